// The API platform: health, docs, auth, problem+json, idempotency.
import { describe, expect, it } from 'vitest';
import { useAppWithWorker } from '../helpers/app-with-worker.js';
import { staffToken, tokenFor, TEST_JWT_SECRET } from '../helpers/app.js';
import { mintToken } from '../../runtime/tokens.js';
import { expectProblem } from '../helpers/problem.js';

const h = useAppWithWorker({ worker: false });

describe('operations', () => {
  it('answers /healthz without a token', async () => {
    const res = await h.http.get('/healthz', { token: null });
    expect(res.statusCode).toBe(200);
  });

  it('is ready when PostgreSQL and Temporal answer', async () => {
    const res = await h.http.get('/readyz', { token: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } });
  });

  it('serves an OpenAPI 3.1 document covering the contract and a docs page', async () => {
    const spec = (await h.http.get('/openapi.json', { token: null })).json();
    expect(spec.openapi).toBe('3.1.0');
    for (const path of ['/program-years/{id}', '/applicants', '/applicants/{id}', '/experts/{id}', '/readyz']) {
      expect(Object.keys(spec.paths)).toContain(path);
    }
    const docs = await h.http.get('/docs/', { token: null });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });

  it('echoes or assigns a request id', async () => {
    const given = await h.http.get('/healthz', { token: null, headers: { 'x-request-id': 'req-123' } });
    expect(given.headers['x-request-id']).toBe('req-123');
    const assigned = await h.http.get('/healthz', { token: null });
    expect(assigned.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('auth', () => {
  it('refuses a missing token with 401 problem+json', async () => {
    expectProblem(await h.http.get('/applicants', { token: null }), 401, 'unauthorized');
  });

  it('refuses a token signed with another secret, an expired token and a token without a role', async () => {
    const forged = mintToken('another-secret', { sub: 'x', role: 'staff' });
    const expired = mintToken(TEST_JWT_SECRET, { sub: 'x', role: 'staff' }, { now: new Date('2020-01-01T00:00:00Z'), expiresInSeconds: 60 });
    const roleless = mintToken(TEST_JWT_SECRET, { sub: 'x', role: 'admin' as 'staff' });
    for (const token of [forged, expired, roleless, 'not-a-jwt']) {
      expect((await h.http.get('/applicants', { token })).statusCode).toBe(401);
    }
  });

  it('refuses a support leader on staff-only routes with 403', async () => {
    const leader = tokenFor({ sub: 'ex_1', role: 'support_leader' });
    expectProblem(await h.http.post('/applicants', { name: 'x', kind: 'sme' }, { token: leader }), 403, 'forbidden');
  });

  it('answers unknown routes with 404 problem+json', async () => {
    expectProblem(await h.http.get('/nope'), 404, 'not_found');
  });
});

describe('bad input', () => {
  it('gives 400 with the field path of the first problem in a schema-invalid body', async () => {
    // Validation stops at the first problem (a huge body must not cost seconds and megabytes).
    for (const [body, path] of [[{ name: 'x', kind: 'sme', extra: 1 }, 'body/extra'], [{ name: '', kind: 'sme' }, 'body/name'], [{ name: 'x', kind: 'pirate' }, 'body/kind']] as const) {
      const res = await h.http.post('/applicants', body);
      expectProblem(res, 400, 'bad_request');
      expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual([path]);
    }
  });

  it('gives 400 for malformed JSON and 415 for an unknown media type', async () => {
    const malformed = await h.app.inject({ method: 'POST', url: '/applicants', headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/json' }, payload: '{"name":' });
    expectProblem(malformed, 400, 'bad_request');
    const text = await h.app.inject({ method: 'POST', url: '/applicants', headers: { authorization: `Bearer ${staffToken}`, 'content-type': 'application/xml' }, payload: '<a/>' });
    expectProblem(text, 415, 'unsupported_media_type');
  });

  it('gives 400 for a bad cursor or limit', async () => {
    expect((await h.http.get('/applicants?cursor=garbage')).statusCode).toBe(400);
    expect((await h.http.get('/applicants?limit=501')).statusCode).toBe(400);
    expect((await h.http.get('/applicants?limit=0')).statusCode).toBe(400);
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, and creates once', async () => {
    const body = { name: '株式会社 冪等', kind: 'sme' };
    const first = await h.http.post('/applicants', body, { headers: { 'idempotency-key': 'k-1' } });
    const second = await h.http.post('/applicants', body, { headers: { 'idempotency-key': 'k-1' } });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const list = (await h.http.get(`/applicants?q=${encodeURIComponent('冪等')}`)).json();
    expect(list.items).toHaveLength(1);
  });

  it('refuses the same key with another body (422 idempotency_key_reused)', async () => {
    await h.http.post('/experts', { name: 'A', organization: 'O' }, { headers: { 'idempotency-key': 'k-2' } });
    const res = await h.http.post('/experts', { name: 'B', organization: 'O' }, { headers: { 'idempotency-key': 'k-2' } });
    expectProblem(res, 422, 'idempotency_key_reused');
  });

  it('scopes keys by caller and replays refusals too', async () => {
    const other = tokenFor({ sub: 'staff-sato', role: 'staff' });
    const a = await h.http.post('/experts', { name: 'C', organization: 'O' }, { headers: { 'idempotency-key': 'k-3' } });
    const b = await h.http.post('/experts', { name: 'C', organization: 'O' }, { token: other, headers: { 'idempotency-key': 'k-3' } });
    expect(b.json().id).not.toBe(a.json().id);
    const bad = { name: 'x', kind: 'sme', corporateNumber: '1234567890123' };
    const r1 = await h.http.post('/applicants', bad, { headers: { 'idempotency-key': 'k-4' } });
    const r2 = await h.http.post('/applicants', bad, { headers: { 'idempotency-key': 'k-4' } });
    expect(r1.statusCode).toBe(422);
    expect(r2.statusCode).toBe(422);
    expect(r2.headers['idempotent-replayed']).toBe('true');
  });
});
