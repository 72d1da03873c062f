// Every refusal is problem+json with the contract's status and code (api/plugins/errors.ts).
import { expect } from 'vitest';

interface Answer {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
}

export function expectProblem(res: Answer, status: number, code: string): Record<string, unknown> {
  expect(res.statusCode, res.body.slice(0, 500)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  return body;
}
