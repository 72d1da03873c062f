// Brand engagements run their commands through the same command log as subsidy cases: a
// retry with the same Idempotency-Key — its first answer lost — finds what the first attempt
// made (the engagement, the session) and does nothing twice, also when the engagement's
// workflow has moved on or ended.
import { describe, expect, it } from 'vitest';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { applicant, at, currentYear, days, inSupport, lecture, receivedInCurrentYear } from './brand-engagements.fixtures.js';

const h = useAppWithWorker();
const keyed = (key: string) => ({ headers: { 'idempotency-key': key } });
/** As if the process died after the command took effect and before its answer was stored. */
const forgetAnswer = (key: string) => h.db.updateTable('idempotency_keys').set({ status_code: null, response_body: null }).where('key', '=', key).execute();
const historyTypes = async (id: string) =>
  (await h.db.selectFrom('history').select('type').where('entity_id', '=', id).orderBy('id').execute()).map((r) => r.type);

describe('brand engagement commands, exactly once', () => {
  it('gives a retried application the same engagement, one row and one workflow', async () => {
    const year = await currentYear(h);
    const body = { programYearId: year.id, applicantId: await applicant(h), productName: '美瑛小麦', municipality: '美瑛町', goals: ['branding'], receivedAt: receivedInCurrentYear() };
    const key = `apply-${year.id}`;
    const first = await h.http.post('/brand-engagements', body, keyed(key));
    expect(first.statusCode, first.body).toBe(201);
    await forgetAnswer(key);
    const second = await h.http.post('/brand-engagements', body, keyed(key));
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect(await h.db.selectFrom('brand_engagements').select('id').where('program_year_id', '=', year.id).execute()).toHaveLength(1);
    expect(await historyTypes(first.json().id)).toEqual(['applied']);
  });

  it('adds a retried session once, with the id of the first attempt', async () => {
    const year = await currentYear(h);
    const { id } = await inSupport(h, year.id);
    const key = `session-${id}`;
    const session = lecture(at(days(5)), '追加講義');
    const first = await h.http.post(`/brand-engagements/${id}/sessions`, session, keyed(key));
    expect(first.statusCode, first.body).toBe(201);
    await forgetAnswer(key);
    const second = await h.http.post(`/brand-engagements/${id}/sessions`, session, keyed(key));
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect((await historyTypes(id)).filter((t) => t === 'session_added')).toHaveLength(1);
  });

  it('answers a retried withdrawal from its receipt once the workflow has ended', async () => {
    const year = await currentYear(h);
    const { id } = await inSupport(h, year.id);
    const key = `withdraw-${id}`;
    const first = await h.http.post(`/brand-engagements/${id}/withdrawal`, { reason: '辞退' }, keyed(key));
    expect(first.statusCode, first.body).toBe(200);
    await forgetAnswer(key);
    const second = await h.http.post(`/brand-engagements/${id}/withdrawal`, { reason: '辞退' }, keyed(key));
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json().status).toBe('withdrawn');
    expect((await historyTypes(id)).filter((t) => t === 'withdrawn')).toHaveLength(1);
  });
});
