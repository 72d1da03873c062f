// A tiny HTTP client for the demo loaders: they fill a running system through its API,
// exactly as staff and support leaders would.
export interface DemoClient {
  baseUrl: string;
  /** Calls with a staff token unless `token` is given; throws on a non-2xx answer. */
  request<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<T>;
  /** A token for another caller (a support leader: role support_leader, sub = expert id). */
  tokenFor(claims: { sub: string; role: 'staff' | 'support_leader' | 'expert'; name?: string }): string;
  log(line: string): void;
}

export function createDemoClient(options: { baseUrl: string; staffToken: string; mint: DemoClient['tokenFor'] }): DemoClient {
  return {
    baseUrl: options.baseUrl,
    tokenFor: options.mint,
    log: (line) => console.log(`[demo] ${line}`),
    async request<T>(method: string, path: string, body?: unknown, token?: string): Promise<T> {
      const response = await fetch(`${options.baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token ?? options.staffToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
  };
}
