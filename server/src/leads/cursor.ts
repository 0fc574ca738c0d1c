import { z } from 'zod';
import { ProblemException } from '../lib/problem';

/** Pagination cursors are opaque to clients: base64url JSON the API made, checked on the way back. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Reads a cursor back, or answers 422 naming `cursor` when it is not one this API made for `what`. */
export function decodeCursor<T>(raw: string, schema: z.ZodType<T>, what = 'this list'): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const result = schema.safeParse(parsed);
  if (result.success) return result.data;
  const message = `Not a cursor this API returned for ${what}`;
  throw new ProblemException('validation', `cursor: ${message}`, [
    { path: ['cursor'], message, code: 'custom' },
  ]);
}

/** Keyset position for lists by time: the sort key and the id of the last row sent. */
export const timeCursorSchema = z.object({ k: z.number().nullable(), id: z.string() });

/** How long a "hottest first" cursor goes on paging the ranking it was made for. */
export const SCORE_CURSOR_TTL_MS = 24 * 3_600_000;
/** Clocks of two API processes may disagree by this much. */
const CLOCK_SKEW_MS = 60_000;

/**
 * "Hottest first" pages: the offset into the ranking, and the moment it was ranked at. The moment
 * is checked like `?at=` would be, within the last day (a forged one far from now made the decay
 * overflow into `null` scores).
 */
export const scoreCursorSchema = (maxOffset: number, nowMs: number) =>
  z.object({
    o: z.number().int().min(0).max(maxOffset),
    t: z
      .number()
      .int()
      .min(nowMs - SCORE_CURSOR_TTL_MS)
      .max(nowMs + CLOCK_SKEW_MS),
  });
