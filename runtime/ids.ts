import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** An opaque, unguessable id with a readable prefix: `sc_3k9x…`. */
export function newId(prefix: string): string {
  const bytes = randomBytes(15);
  let out = '';
  for (const b of bytes) out += ALPHABET[b & 31];
  return `${prefix}_${out}`;
}
