// Program years, applicants and experts: the first resources, with history rows.
import { describe, expect, it } from 'vitest';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { tokenFor } from '../helpers/app.js';
import { corporateNumberCheckDigit } from '../../domain/corporate-number.js';
import { expectProblem } from '../helpers/problem.js';

const h = useAppWithWorker({ worker: false });
const leader = tokenFor({ sub: 'ex_leader', role: 'support_leader' });

const validNumber = (base12: string) => `${corporateNumberCheckDigit(base12)}${base12}`;

describe('program years', () => {
  it('ships the seed years with every value of the domain', async () => {
    const ip = (await h.http.get('/program-years/overseas-ip-2024')).json();
    expect(ip).toMatchObject({
      id: 'overseas-ip-2024', program: 'overseas_ip_subsidy', fiscalYear: 2024,
      rate: { numerator: 1, denominator: 2 }, roundingUnitJpy: 1000,
      caps: { filing: { patent: 1_500_000, utility_model: 600_000, design: 600_000, trademark: 600_000, anti_squatting_trademark: 300_000 }, office_action_response: { patent: 500_000 }, examination_request: { patent: 500_000 } },
      perApplicantCaps: { filing: 3_000_000 }, perApplicantCapExemptKinds: ['university'],
      statusReports: { years: 5, asOf: '03-31', due: '05-31' },
    });
    expect(ip.windows).toHaveLength(4);
    expect(ip.windows[2]).toMatchObject({ label: '第3回', opensAt: '2024-11-18T00:00:00+09:00', closesAt: '2024-12-03T12:00:00+09:00' });
    const brand = (await h.http.get('/program-years/regional-brand-2024', { token: leader })).json();
    expect(brand).toMatchObject({ capacity: 4, sessionGraceDays: 7, callWindow: { closesAt: '2024-07-31T17:00:00+09:00' } });
    const list = (await h.http.get('/program-years')).json();
    expect(list.items.map((y: { id: string }) => y.id).sort()).toEqual(['design-management-2023', 'design-management-2024', 'overseas-ip-2024', 'regional-brand-2024']);
  });

  it('creates (201) then replaces (200) a year, recording both in history', async () => {
    const year = { program: 'regional_brand', fiscalYear: 2025, title: '令和7年度', callWindow: { opensAt: '2025-07-01T00:00:00+09:00', closesAt: '2025-07-31T17:00:00+09:00' }, capacity: 4, supportEndsAt: '2026-03-31T23:59:59+09:00', sessionGraceDays: 7 };
    expect((await h.http.put('/program-years/regional-brand-2025', year)).statusCode).toBe(201);
    const replaced = await h.http.put('/program-years/regional-brand-2025', { ...year, capacity: 5 });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().capacity).toBe(5);
    const history = await h.database.db.selectFrom('history').selectAll().where('entity_id', '=', 'regional-brand-2025').orderBy('id').execute();
    expect(history.map((h) => [h.type, h.actor])).toEqual([['created', 'staff:staff-tanaka'], ['replaced', 'staff:staff-tanaka']]);
  });

  it('refuses inconsistent rules with 422 and the paths at fault', async () => {
    const bad = {
      program: 'overseas_ip_subsidy', fiscalYear: 2025, title: 'x',
      windows: [{ label: 'w', procedures: ['filing'], opensAt: '2025-08-30T12:00:00+09:00', closesAt: '2025-08-19T00:00:00+09:00' },
        { label: 'late', procedures: ['filing'], opensAt: '2026-05-01T00:00:00+09:00', closesAt: '2026-05-10T00:00:00+09:00' }],
      rate: { numerator: 3, denominator: 2 }, roundingUnitJpy: 1000, caps: { filing: { patent: 1_500_000 } }, perApplicantCaps: {},
      perApplicantCapExemptKinds: [], reportDeadline: '2026-03-31T17:00:00+09:00', statusReports: { years: 5, asOf: '03-31', due: '05-31' },
    };
    const res = await h.http.put('/program-years/overseas-ip-2025', bad);
    expect(res.statusCode).toBe(422);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body/windows/0/closesAt', 'body/windows/1/opensAt', 'body/rate']));
  });

  it('refuses a negative cap or an unknown field with 400, and support leaders with 403', async () => {
    const ip = (await h.http.get('/program-years/overseas-ip-2024')).json();
    delete ip.id;
    delete ip.revision;
    expect((await h.http.put('/program-years/overseas-ip-2024', { ...ip, caps: { filing: { patent: -1 } } })).statusCode).toBe(400);
    expect((await h.http.put('/program-years/overseas-ip-2024', { ...ip, surprise: true })).statusCode).toBe(400);
    expect((await h.http.put('/program-years/overseas-ip-2024', ip, { token: leader })).statusCode).toBe(403);
    expect((await h.http.put('/program-years/overseas-ip-2024', ip)).statusCode).toBe(200);
  });

  it('answers 404 for an unknown year and 409 when a year would change program', async () => {
    expect((await h.http.get('/program-years/none-1999')).statusCode).toBe(404);
    const brand = (await h.http.get('/program-years/regional-brand-2024')).json();
    delete brand.id;
    delete brand.revision;
    const ip = (await h.http.get('/program-years/overseas-ip-2024')).json();
    delete ip.id;
    delete ip.revision;
    const res = await h.http.put('/program-years/regional-brand-2024', ip);
    expect(res.statusCode).toBe(409);
  });
});

describe('applicants', () => {
  it('registers an applicant with a valid 法人番号 and history', async () => {
    const res = await h.http.post('/applicants', { name: '株式会社 美瑛ファーム', kind: 'sme', corporateNumber: validNumber('000012050001'), prefecture: '北海道', contactEmail: 'info@example.jp' });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created.id).toMatch(/^ap_/);
    const fetched = (await h.http.get(`/applicants/${created.id}`)).json();
    expect(fetched).toMatchObject({ name: '株式会社 美瑛ファーム', kind: 'sme', prefecture: '北海道', capUsage: expect.any(Array) });
    const history = await h.database.db.selectFrom('history').selectAll().where('entity_id', '=', created.id).execute();
    expect(history).toHaveLength(1);
  });

  it('refuses a wrong check digit (422) and a duplicate number (409)', async () => {
    const number = validNumber('000012050099');
    const wrong = `${(Number(number[0]) + 1) % 10}${number.slice(1)}`;
    const bad = await h.http.post('/applicants', { name: 'x', kind: 'sme', corporateNumber: wrong });
    expectProblem(bad, 422, 'invalid_corporate_number');
    expect((await h.http.post('/applicants', { name: 'A', kind: 'sme', corporateNumber: number })).statusCode).toBe(201);
    const dup = await h.http.post('/applicants', { name: 'B', kind: 'sme', corporateNumber: number });
    expectProblem(dup, 409, 'conflict');
  });

  it('lists with name search, kind filter and a cursor that walks every page once', async () => {
    for (let i = 0; i < 7; i++) await h.http.post('/applicants', { name: `大学 ${i}`, kind: 'university' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Array<{ id: string; kind: string }>; nextCursor: string | null } = (await h.http.get(`/applicants?kind=university&limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.items.every((a) => a.kind === 'university')).toBe(true);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(7);
    const q = (await h.http.get(`/applicants?q=${encodeURIComponent('大学 3')}`)).json();
    expect(q.items).toHaveLength(1);
  });

  it('answers 404 for an unknown applicant', async () => {
    const res = await h.http.get('/applicants/ap_missing');
    expectProblem(res, 404, 'not_found');
  });
});

describe('experts', () => {
  it('registers, reads and lists experts (staff only)', async () => {
    const res = await h.http.post('/experts', { name: '山田 花子', organization: '札幌特許事務所', title: '弁理士', email: 'yamada@example.jp' });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    expect((await h.http.get(`/experts/${id}`)).json()).toMatchObject({ name: '山田 花子', organization: '札幌特許事務所' });
    expect((await h.http.get('/experts')).json().items.map((e: { id: string }) => e.id)).toContain(id);
    expect((await h.http.get(`/experts/${id}`, { token: leader })).statusCode).toBe(403);
    expect((await h.http.post('/experts', { name: 'x', organization: 'o', email: 'not-an-email' })).statusCode).toBe(400);
    expect((await h.http.get('/experts/ex_nope')).statusCode).toBe(404);
  });
});
