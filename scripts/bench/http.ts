// JSON over HTTP for the bench, as a careful client sends it: every POST and PATCH carries an
// Idempotency-Key of its own, and a 504 (Temporal slower than the request's deadline) or a
// 503 is sent again with the same key, which attaches to the first attempt's command. Any
// other non-2xx answer is an error with its body. `baseUrl` may list several API processes:
// the calls take them in turn.
import { randomUUID } from 'node:crypto';

const RETRIED = new Set([503, 504]);
const ATTEMPTS = 8;

export function httpClient(baseUrl: string | string[], token: string) {
  const bases = Array.isArray(baseUrl) ? baseUrl : [baseUrl];
  let turn = 0;
  return async function call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const base = bases[turn++ % bases.length]!;
    const key = method === 'POST' || method === 'PATCH' ? randomUUID() : undefined;
    for (let attempt = 1; ; attempt += 1) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (RETRIED.has(response.status) && attempt < ATTEMPTS) {
        await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** (attempt - 1))));
        continue;
      }
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
      return (text ? JSON.parse(text) : {}) as T;
    }
  };
}
export type Http = ReturnType<typeof httpClient>;
