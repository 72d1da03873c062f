// Capacity (支援対象数) is enforced in PostgreSQL: selections of one year that race each
// other through separate workflows still stop at `capacity`.
import { describe, expect, it } from 'vitest';
import { applied, command, currentYear } from './brand-engagements.fixtures.js';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { expectProblem } from '../helpers/problem.js';

const h = useAppWithWorker();

describe('capacity', () => {
  it('selects at most `capacity` groups when more are selected at once', async () => {
    const year = await currentYear(h, { capacity: 3 });
    const ids = await Promise.all(Array.from({ length: 8 }, () => applied(h, year.id)));
    const answers = await Promise.all(ids.map((id) => h.http.post(`/brand-engagements/${id}/selection`, { selected: true })));
    const statuses = answers.map((a) => a.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 422, 422, 422, 422, 422]);
    for (const refused of answers.filter((a) => a.statusCode === 422)) expect(refused.json().code).toBe('capacity_reached');

    const selected = await h.database.db.selectFrom('brand_engagements').select('id').where('program_year_id', '=', year.id).where('status', '=', 'selected').execute();
    expect(selected).toHaveLength(3);
    // A refused selection changed nothing: still applied, no history entry.
    const refusedId = ids[answers.findIndex((a) => a.statusCode === 422)]!;
    const view = (await h.http.get(`/brand-engagements/${refusedId}`)).json();
    expect(view.status).toBe('applied');
    expect(view.history.map((e: { type: string }) => e.type)).toEqual(['applied']);
  });

  it('counts selections, not decisions: not selecting is always possible, a withdrawal frees a place', async () => {
    const year = await currentYear(h, { capacity: 1 });
    const [a, b, c] = [await applied(h, year.id), await applied(h, year.id), await applied(h, year.id)];
    await command(h, `/brand-engagements/${a}/selection`, { selected: true });
    const full = await h.http.post(`/brand-engagements/${b}/selection`, { selected: true });
    expectProblem(full, 422, 'capacity_reached');
    expect((await command(h, `/brand-engagements/${c}/selection`, { selected: false, reason: '定員' })).status).toBe('not_selected');
    await command(h, `/brand-engagements/${a}/withdrawal`, { reason: '辞退' });
    expect((await command(h, `/brand-engagements/${b}/selection`, { selected: true })).status).toBe('selected');
  });

  it('follows a capacity raised by PUT /program-years', async () => {
    const year = await currentYear(h, { capacity: 1 });
    const [a, b] = [await applied(h, year.id), await applied(h, year.id)];
    await command(h, `/brand-engagements/${a}/selection`, { selected: true });
    expect((await h.http.post(`/brand-engagements/${b}/selection`, { selected: true })).statusCode).toBe(422);
    expect((await h.http.put(`/program-years/${year.id}`, { ...year.body, capacity: 2 })).statusCode).toBe(200);
    expect((await command(h, `/brand-engagements/${b}/selection`, { selected: true })).status).toBe('selected');
  });
});
