import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

const encode = (bytes: Uint8Array): string => {
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return out;
};

/** An opaque, unguessable id with a readable prefix: `sc_3k9x…`. */
export function newId(prefix: string): string {
  return `${prefix}_${encode(randomBytes(15))}`;
}

/**
 * The same opaque id every time for the same seed: what a command creates is named after
 * its Idempotency-Key, so a retried request finds what the first attempt made instead of
 * making another. The seed holds the caller's scope and key, which nobody else can send.
 */
export function derivedId(prefix: string, seed: string): string {
  return `${prefix}_${encode(createHash('sha256').update(`${prefix}\u0000${seed}`).digest().subarray(0, 20))}`;
}
