// Findings of the security and fuzz review (items 5–14): input PostgreSQL cannot store,
// huge bodies, internal text in answers, forged cursors, type coercion of bodies, Fastify's
// own errors, the OpenAPI document, response headers and tokens without exp, and 503 when a
// dependency cannot be reached. Each answer is checked for status, content type and code.
import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { LightMyRequestResponse } from 'fastify';
import { createHmac } from 'node:crypto';
import { buildApp } from '../../api/app.js';
import errors from '../../api/plugins/errors.js';
import { domainErrorOfTemporal } from '../../api/temporal-errors.js';
import { createDatabase } from '../../db/database.js';
import { systemClock } from '../../runtime/clock.js';
import { DomainError, isKnownCode, statusOfCode } from '../../domain/errors.js';
import { TEST_JWT_SECRET, tokenFor } from '../helpers/app.js';
import { actionPlan, applicant, currentYear, expert, inSupport } from './brand-engagements.fixtures.js';
import { filingBody, newApplicant, openYear, putYear } from './subsidy-cases-fixtures.js';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { expectProblem } from '../helpers/problem.js';

const h = useAppWithWorker();

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function overseasYear(): Promise<string> {
  const id = 'overseas-ip-hygiene';
  await putYear(h.http, id, openYear(new Date()));
  return id;
}

describe('5. NUL in an intake', () => {
  it('is a 400 at once, before anything reaches Temporal', async () => {
    const yearId = await overseasYear();
    const applicantId = await newApplicant(h.http);
    for (const field of ['title', 'jpoApplicationNumber']) {
      const started = Date.now();
      const res = await h.http.post('/subsidy-cases', filingBody(yearId, applicantId, { [field]: `特願2024\u0000012345` }));
      const body = expectProblem(res, 400, 'bad_request');
      expect(body.errors).toEqual([{ path: `body/${field}`, message: expect.any(String) }]);
      expect(Date.now() - started).toBeLessThan(5000);
    }
    const list = await h.http.get(`/subsidy-cases?applicantId=${applicantId}`);
    expect(list.json().items).toEqual([]);
  });
});

describe('6. huge bodies', () => {
  it('answers a 100,000-goal body with one short problem, fast', async () => {
    const year = (await currentYear(h, { capacity: 100 })).id;
    const goals = Array.from({ length: 100_000 }, (_, i) => `g${i}`);
    const started = Date.now();
    const res = await h.http.post('/brand-engagements', { programYearId: year, applicantId: await applicant(h), productName: 'x', municipality: 'y', goals });
    const body = expectProblem(res, 400, 'bad_request');
    expect((body.errors as unknown[]).length).toBeLessThanOrEqual(10);
    expect(res.body.length).toBeLessThan(5000);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers 300,000 empty estimated costs with one short problem', async () => {
    const res = await h.http.post('/subsidy-cases', filingBody('overseas-ip-hygiene', 'ap_x', { estimatedCosts: Array.from({ length: 300_000 }, () => ({})) }));
    // 1 MB body limit or schema: either way a short problem+json.
    expect([400, 413]).toContain(res.statusCode);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.length).toBeLessThan(5000);
  });

  it('refuses a support leader on another engagement with 403 before looking at a huge body', async () => {
    const year = (await currentYear(h, { capacity: 100 })).id;
    const e = await inSupport(h, year);
    const other = await expert(h, '別の リーダー');
    const actions = Array.from({ length: 60_000 }, () => ({}));
    const started = Date.now();
    const res = await h.http.post(`/brand-engagements/${e.id}/action-plan`, { summary: 'x', actions }, { token: other.token });
    expectProblem(res, 403, 'forbidden');
    expect(Date.now() - started).toBeLessThan(5000);
    // Its own leader gets the schema's answer for the same body, and 200 for a real one.
    expectProblem(await h.http.post(`/brand-engagements/${e.id}/action-plan`, { summary: 'x', actions }, { token: e.leader.token }), 400, 'bad_request');
    expect((await h.http.post(`/brand-engagements/${e.id}/action-plan`, actionPlan, { token: e.leader.token })).statusCode).toBe(200);
  });
});

describe('7. NUL and lone surrogates anywhere', () => {
  it('are a 400 naming the path in bodies, path ids, query filters and cursors', async () => {
    const cases: Array<[LightMyRequestResponse, string]> = [
      [await h.http.post('/applicants', { name: 'a\u0000b', kind: 'sme' }), 'body/name'],
      [await h.http.post('/experts', { name: '\ud800', organization: 'x' }), 'body/name'],
      [await h.http.post('/experts', { name: 'x', organization: 'y', title: 'ok\udc00' }), 'body/title'],
      [await h.http.get('/applicants/ap_%00'), 'params/id'],
      [await h.http.get('/brand-engagements/be_%00'), 'params/id'],
      [await h.http.get('/applicants?q=%00'), 'querystring/q'],
      [await h.http.get('/subsidy-cases?applicantId=x%00'), 'querystring/applicantId'],
      [await h.http.get(`/experts?cursor=${encodeURIComponent('\u0000')}`), 'querystring/cursor'],
    ];
    for (const [res, path] of cases) {
      const body = expectProblem(res, 400, 'bad_request');
      expect(body.errors).toEqual([{ path, message: expect.any(String) }]);
    }
    // A cursor that decodes to text with NUL is refused by the cursor check.
    expectProblem(await h.http.get(`/applicants?cursor=${b64(['2024-08-20T01:00:00.000Z', 'ap_\u0000'])}`), 400, 'bad_request');
    // A path segment that is not UTF-8 at all (a lone surrogate, percent-encoded).
    expectProblem(await h.http.get('/applicants/%ED%A0%80'), 400, 'bad_request');
  });

  it('are a 400 on an expense, at once, not a 422 DatabaseError after retries', async () => {
    const started = Date.now();
    const res = await h.http.post('/subsidy-cases/sc_x/expenses', { category: 'translation_fee', payee: 'a\u0000', incurredOn: '2024-09-01', paidOn: '2024-09-02', amountJpy: 1000, country: 'US' });
    expectProblem(res, 400, 'bad_request');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});

describe('8. no internal text in answers', () => {
  it('knows the contract codes and nothing else', () => {
    for (const code of ['window_closed', 'capacity_reached', 'idempotency_key_reused', 'invalid_state', 'unavailable', 'timeout', 'action_plan_missing']) expect(isKnownCode(code)).toBe(true);
    for (const code of ['DatabaseError', 'Error', 'TypeError', 'internalError']) expect(isKnownCode(code)).toBe(false);
    expect(statusOfCode('unavailable')).toBe(503);
    expect(statusOfCode('timeout')).toBe(504);
  });

  it('turns a failure of an unknown type into a 500, a known one into its code', () => {
    const failed = (type: string) => new WorkflowUpdateFailedError('update failed', ApplicationFailure.create({ type, message: 'recordApplication failed: invalid input syntax for type json' }));
    const unknown = domainErrorOfTemporal(failed('DatabaseError'), 'Subsidy case sc_1');
    expect(unknown).not.toBeInstanceOf(DomainError);
    const internal = domainErrorOfTemporal(failed('internal'), 'Subsidy case sc_1');
    expect(internal).not.toBeInstanceOf(DomainError);
    const known = domainErrorOfTemporal(failed('capacity_reached'), 'x');
    expect(known).toBeInstanceOf(DomainError);
    expect((known as DomainError).status).toBe(422);
  });

  it('answers a driver error with a generic 500, and an unreachable dependency with 503 and Retry-After', async () => {
    const app = Fastify();
    await app.register(errors);
    const dbError = Object.assign(new Error('invalid input syntax for type json'), { name: 'DatabaseError', code: '22P02' });
    const grpc = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14, details: 'No connection established', metadata: {} });
    app.get('/db', async () => { throw dbError; });
    app.get('/internal', async () => { throw new DomainError('internal', 'recordApplication failed: invalid input syntax for type json'); });
    app.get('/pg-down', async () => { throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }); });
    app.get('/pg-gone', async () => { throw new Error('Connection terminated unexpectedly'); });
    app.get('/pg-shutdown', async () => { throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }); });
    app.get('/temporal-down', async () => { throw new Error('Failed to start update', { cause: grpc }); });
    for (const url of ['/db', '/internal']) {
      const body = expectProblem(await app.inject({ url }), 500, 'internal');
      expect(JSON.stringify(body)).not.toMatch(/DatabaseError|invalid input|recordApplication/);
    }
    for (const url of ['/pg-down', '/pg-gone', '/pg-shutdown', '/temporal-down']) {
      const res = await app.inject({ url });
      const body = expectProblem(res, 503, 'unavailable');
      expect(res.headers['retry-after']).toBe('2');
      expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|terminat|UNAVAILABLE/);
    }
    await app.close();
  });

  it('answers 503 when PostgreSQL cannot be reached, and /readyz says so within its probe timeout', async () => {
    const dead = createDatabase({ url: 'postgres://nobody:x@127.0.0.1:1/none', poolSize: 1 });
    const app = await buildApp({ db: dead.db, temporal: h.app.deps.temporal, clock: systemClock, jwtSecret: TEST_JWT_SECRET, taskQueue: h.app.deps.taskQueue, logger: false });
    try {
      const res = await app.inject({ url: '/applicants', headers: { authorization: `Bearer ${tokenFor({ sub: 's', role: 'staff' })}` } });
      expectProblem(res, 503, 'unavailable');
      expect(res.headers['retry-after']).toBe('2');
      const started = Date.now();
      const ready = await app.inject({ url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await app.close();
      await dead.close();
    }
  });
});

describe('9. forged cursors', () => {
  it('are a 400 on every list, never a 500', async () => {
    const forged = [
      b64(['-004714-11-24T00:00:00.000Z', 'ap_x']), b64(['1000-01-01T00:00:00.000Z', 'ap_x']), b64(['2300-01-01T00:00:00.000Z', 'ap_x']),
      b64(['2024-02-30T00:00:00.000Z', 'ap_x']), b64(['2024-08-20T01:00:00.000Z', 'x'.repeat(101)]), b64(['2024-08-20T01:00:00.000Z', 5]),
      b64({ a: 1 }), b64(['2024-08-20T01:00:00.000Z']), 'bm90IGpzb24', '!!!',
    ];
    for (const url of ['/applicants', '/experts', '/subsidy-cases', '/brand-engagements']) {
      for (const cursor of forged) expectProblem(await h.http.get(`${url}?cursor=${cursor}`), 400, 'bad_request');
    }
    expectProblem(await h.http.get(`/me/sessions?cursor=${forged[0]}`, { token: tokenFor({ sub: 'ex_x', role: 'support_leader' }) }), 400, 'bad_request');
    expect((await h.http.get(`/applicants?cursor=${b64(['2024-08-20T01:00:00.000Z', 'ap_x'])}`)).statusCode).toBe(200);
  });
});

describe('10. bodies are taken as sent', () => {
  it('refuses a boolean for a string, a number for a string and a string for a number', async () => {
    const year = (await currentYear(h, { capacity: 100 })).id;
    const e = await inSupport(h, year);
    expectProblem(await h.http.post(`/brand-engagements/${e.id}/withdrawal`, { reason: false }), 400, 'bad_request');
    expect((await h.http.get(`/brand-engagements/${e.id}`)).json().status).toBe('in_support');
    expectProblem(await h.http.post('/experts', { name: 1234, organization: 'x' }), 400, 'bad_request');
    const res = await h.http.post('/subsidy-cases/sc_x/expenses', { category: 'translation_fee', payee: 'x', incurredOn: '2024-09-01', paidOn: '2024-09-02', amountJpy: '5000', country: 'US' });
    expect(expectProblem(res, 400, 'bad_request').errors).toEqual([{ path: 'body/amountJpy', message: expect.any(String) }]);
  });

  it('still coerces the querystring', async () => {
    const res = await h.http.get('/applicants?limit=5');
    expect(res.statusCode).toBe(200);
  });
});

describe('12. Fastify\'s own errors are problem+json', () => {
  it('answers a long path id with 400 after authentication, not a 414', async () => {
    const long = 'x'.repeat(300);
    expectProblem(await h.http.get(`/applicants/${long}`, { token: null }), 401, 'unauthorized');
    const body = expectProblem(await h.http.get(`/applicants/${long}`), 400, 'bad_request');
    expect(body.errors).toEqual([{ path: 'params/id', message: expect.any(String) }]);
    expectProblem(await h.http.get(`/applicants/${'x'.repeat(5000)}`), 400, 'bad_request');
  });

  it('answers unknown routes, bad encodings, bad bodies and media types with problem+json', async () => {
    const auth = { authorization: `Bearer ${tokenFor({ sub: 's', role: 'staff' })}` };
    expectProblem(await h.http.get('/nope'), 404, 'not_found');
    const wrongMethod = await h.app.inject({ method: 'DELETE', url: '/applicants' });
    expectProblem(wrongMethod, 405, 'method_not_allowed');
    expect(wrongMethod.headers.allow).toBe('GET, POST');
    expectProblem(await h.http.get('/applicants/%E0%A4%A'), 400, 'bad_request');
    expectProblem(await h.app.inject({ method: 'POST', url: '/applicants', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"name":' }), 400, 'bad_request');
    expectProblem(await h.app.inject({ method: 'POST', url: '/applicants', headers: { ...auth, 'content-type': 'application/json' }, payload: '' }), 400, 'bad_request');
    expectProblem(await h.app.inject({ method: 'POST', url: '/applicants', headers: { ...auth, 'content-type': 'application/xml' }, payload: '<a/>' }), 415, 'unsupported_media_type');
    expectProblem(await h.app.inject({ method: 'POST', url: '/applicants', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ name: 'x'.repeat(1_100_000) }) }), 413, 'payload_too_large');
  });
});

describe('13. the OpenAPI document says what is served', () => {
  it('documents problem+json errors, program year answers, the download and the upload', async () => {
    const spec = (await h.http.get('/openapi.json', { token: null })).json();
    const op = (path: string, method: string) => spec.paths[path][method];
    for (const [path, ops] of Object.entries(spec.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>)) {
      for (const [method, operation] of Object.entries(ops)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) >= 400 && path !== '/readyz') expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
        }
      }
    }
    expect(Object.keys(op('/program-years/{id}', 'get').responses)).toContain('200');
    expect(Object.keys(op('/program-years/{id}', 'put').responses)).toEqual(expect.arrayContaining(['200', '201', '409', '422']));
    expect(Object.keys(op('/subsidy-cases/{id}/expenses/{expenseId}/documents/{documentId}', 'get').responses['200'].content)).toEqual(['application/pdf', 'image/png', 'image/jpeg']);
    const upload = op('/subsidy-cases/{id}/expenses/{expenseId}/documents', 'post');
    expect(upload.requestBody.content['multipart/form-data'].schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    expect(op('/applicants', 'post').responses['201'].content).toHaveProperty(['application/json']);
  });
});

describe('14. headers and tokens', () => {
  it('marks JSON answers no-store and nosniff, and 401s with WWW-Authenticate', async () => {
    for (const res of [await h.http.get('/applicants'), await h.http.get('/nope'), await h.http.get('/healthz', { token: null })]) {
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    const res = await h.http.get('/applicants', { token: null });
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('refuses a token without exp', async () => {
    const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'staff-x', role: 'staff', iat: Math.floor(Date.now() / 1000) })}`;
    const token = `${unsigned}.${createHmac('sha256', TEST_JWT_SECRET).update(unsigned).digest('base64url')}`;
    const res = await h.http.get('/applicants', { token });
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
  });
});
