// A client as the contract asks clients to be: every POST carries an Idempotency-Key that
// names one logical command, and is sent again with the same key and body after a 5xx, a
// timeout or a lost connection, with bounded backoff, until it gets a 2xx or a 4xx.
// A 409 saying the key is "still in progress" is retried too, but only for so long: a key
// that stays in progress is stuck, and that is what this harness is here to find.

export type Final = 'ok' | 'client_error' | 'stuck' | 'no_answer';

export interface CommandRecord {
  key: string;
  label: string;
  final: Final;
  status: number | null;
  code: string | null;
  attempts: number;
  /** First attempt to final answer (or to giving up). */
  ms: number;
}

export interface ClientLimits {
  attemptTimeoutMs: number;
  /** Give up on a command after this long without a final answer. */
  commandBudgetMs: number;
  /** Call a key stuck after answering "in progress" for this long. */
  stuckAfterMs: number;
}

export interface Answer<T> {
  status: number;
  body: T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isInProgress(status: number, body: unknown): boolean {
  if (status !== 409) return false;
  const b = body as { code?: string; detail?: string } | null;
  return b?.code === 'conflict' && /in progress|just failed|retry/i.test(b.detail ?? '');
}

export class FaultClient {
  readonly commands: CommandRecord[] = [];
  attempts = 0;
  /** Why attempts were retried: http_503, timeout, network, in_progress… */
  readonly retryReasons: Record<string, number> = {};

  constructor(private readonly baseUrl: string, private readonly token: string, private readonly limits: ClientLimits, private readonly stopAll: AbortSignal) {}

  get retries(): number {
    return Object.values(this.retryReasons).reduce((a, b) => a + b, 0);
  }

  /** A GET, retried like a command; null if no 2xx came within the budget. */
  async get<T>(path: string): Promise<T | null> {
    const started = Date.now();
    for (let delay = 200; Date.now() - started < this.limits.commandBudgetMs && !this.stopAll.aborted; delay = Math.min(5000, delay * 2)) {
      try {
        const res = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${this.token}` }, signal: AbortSignal.any([this.stopAll, AbortSignal.timeout(this.limits.attemptTimeoutMs)]) });
        const text = await res.text();
        if (res.ok) return JSON.parse(text) as T;
        if (res.status < 500) return null;
      } catch {
        // a fault: try again
      }
      await sleep(delay);
    }
    return null;
  }

  /** One logical command: the same key and body until a final answer. */
  async command<T>(label: string, key: string, path: string, body: unknown): Promise<Answer<T> & { record: CommandRecord }> {
    const started = Date.now();
    const record: CommandRecord = { key, label, final: 'no_answer', status: null, code: null, attempts: 0, ms: 0 };
    this.commands.push(record);
    let inProgressSince: number | null = null;
    let last: Answer<T> = { status: 0, body: null as T };
    for (let delay = 200; record.attempts < 1000; delay = Math.min(5000, delay * 2)) {
      if (this.stopAll.aborted || Date.now() - started > this.limits.commandBudgetMs) break;
      record.attempts++;
      this.attempts++;
      let reason: string;
      try {
        const res = await fetch(`${this.baseUrl}${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'idempotency-key': key },
          body: JSON.stringify(body),
          signal: AbortSignal.any([this.stopAll, AbortSignal.timeout(this.limits.attemptTimeoutMs)]),
        });
        const text = await res.text();
        let parsed: unknown = text;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          // not JSON: keep the text
        }
        last = { status: res.status, body: parsed as T };
        record.status = res.status;
        record.code = (parsed as { code?: string } | null)?.code ?? null;
        if (res.status < 400) {
          record.final = 'ok';
          break;
        }
        if (isInProgress(res.status, parsed)) {
          inProgressSince ??= Date.now();
          if (Date.now() - inProgressSince > this.limits.stuckAfterMs) {
            record.final = 'stuck';
            break;
          }
          reason = 'in_progress';
        } else if (res.status < 500) {
          record.final = 'client_error';
          break;
        } else {
          reason = `http_${res.status}`;
        }
      } catch (error) {
        // A lost connection does not end an "in progress" streak: the key is still held.
        record.status = null;
        record.code = null;
        reason = (error as Error).name === 'TimeoutError' ? 'timeout' : 'network';
      }
      this.retryReasons[reason] = (this.retryReasons[reason] ?? 0) + 1;
      // Jitter keeps sixteen clients from retrying in lockstep after a restart.
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
    if (record.final === 'no_answer' && inProgressSince !== null) record.final = 'stuck';
    record.ms = Date.now() - started;
    return { ...last, record };
  }
}
