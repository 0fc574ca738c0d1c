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

/** "Hottest first" pages: the offset into the ranking, and the moment it was ranked at. */
export const scoreCursorSchema = (maxOffset: number) =>
  z.object({ o: z.number().int().min(0).max(maxOffset), t: z.number().finite() });
