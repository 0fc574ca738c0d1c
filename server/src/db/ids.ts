import { randomFillSync } from 'node:crypto';

/**
 * A new row id: a UUID version 7 (RFC 9562), the Unix time in milliseconds in its first 48 bits and
 * 74 random bits after. Ids made one after another sort together, so the primary-key index and every
 * index ending in an id take new rows at their end instead of on a random page each: a slice of an
 * import dirties (and commits) a few pages per index, not one per row. Not a secret: tokens, form
 * ids and webhook secrets come from `randomBytes`.
 */
export function newId(now = Date.now()): string {
  const bytes = randomFillSync(new Uint8Array(16));
  let time = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = time % 256;
    time = Math.floor(time / 256);
  }
  bytes[6] = 0x70 | (bytes[6]! & 0x0f);
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
