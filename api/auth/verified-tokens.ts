// Tokens already verified, so a run of GETs with one token pays the signature check once:
// bounded (least recently used goes first) and keyed by the token's SHA-256, so the cache
// never holds a usable credential. An entry lives until the token expires or a short TTL
// ends, whichever comes first, so a key the provider withdraws stops working within the TTL.
import { createHash } from 'node:crypto';
import type { Actor } from '../deps.js';

export const VERIFIED_TOKEN_TTL_MS = 60_000;
export const VERIFIED_TOKEN_LIMIT = 10_000;

const keyOf = (token: string): string => createHash('sha256').update(token).digest('base64url');

export class VerifiedTokens {
  // A Map iterates in insertion order: re-inserting on a hit keeps the oldest use first.
  private readonly entries = new Map<string, { actor: Actor; until: number }>();

  constructor(private readonly limit = VERIFIED_TOKEN_LIMIT, private readonly ttlMs = VERIFIED_TOKEN_TTL_MS) {}

  get(token: string, now: number): Actor | undefined {
    const key = keyOf(token);
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.until <= now) return undefined;
    this.entries.set(key, entry);
    return entry.actor;
  }

  /** `expiresAt`: the instant (ms) the token stops being valid — its `exp`, or `iat` + the maximum age. */
  set(token: string, actor: Actor, expiresAt: number, now: number): void {
    const until = Math.min(expiresAt, now + this.ttlMs);
    if (until <= now || this.limit <= 0) return;
    const key = keyOf(token);
    this.entries.delete(key);
    this.entries.set(key, { actor, until });
    while (this.entries.size > this.limit) this.entries.delete(this.entries.keys().next().value!);
  }

  get size(): number {
    return this.entries.size;
  }
}
