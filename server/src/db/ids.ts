import { randomFillSync } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
/** Random bytes drawn a few kilobytes at a time: one system call per 400 ids, not one each. */
const pool = new Uint8Array(4096);
let used = pool.length;

function randomBytes10(): Uint8Array {
  if (used + 10 > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 10;
  return pool.subarray(used - 10, used);
}

let lastTime = -1;
let lastTimeHex = '';

/** The 48-bit time as 12 hex digits (ids come in bursts within one millisecond: kept for the next). */
function timeHex(now: number): string {
  if (now !== lastTime) {
    lastTimeHex = '';
    for (let shift = 40; shift >= 0; shift -= 8) lastTimeHex += HEX[Math.floor(now / 2 ** shift) % 256];
    lastTime = now;
  }
  return lastTimeHex;
}

/**
 * A new row id: a UUID version 7 (RFC 9562), the Unix time in milliseconds in its first 48 bits and
 * 74 random bits after. Ids made one after another sort together, so the primary-key index and every
 * index ending in an id take new rows at their end instead of on a random page each: a slice of an
 * import dirties (and commits) a few pages per index, not one per row. Not a secret: tokens, form
 * ids and webhook secrets come from `randomBytes`.
 */
export function newId(now = Date.now()): string {
  const random = randomBytes10();
  const time = timeHex(now);
  const r = (i: number) => HEX[random[i]!];
  return `${time.slice(0, 8)}-${time.slice(8)}-${HEX[0x70 | (random[0]! & 0x0f)]}${r(1)}-${HEX[0x80 | (random[2]! & 0x3f)]}${r(3)}-${r(4)}${r(5)}${r(6)}${r(7)}${r(8)}${r(9)}`;
}
