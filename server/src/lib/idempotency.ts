import { and, eq, lt } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Executor } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { ProblemException } from './problem';
import { sha256 } from './tokens';
import type { AppBindings } from './types';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** How long a key is remembered: a repeat after that is a new request. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 3_600_000;

/** Forgets keys past their day (run hourly by the API process; a lookup ignores them meanwhile). */
export async function pruneIdempotencyKeys(db: Executor, now = new Date()) {
  await db
    .delete(idempotencyKeys)
    .where(lt(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_KEY_TTL_MS)));
}

export interface IdempotencyOptions<T> {
  /**
   * On a replay: what the first response made is no longer there (a created lead since deleted).
   * Returns why, and the replay is a 410 `gone` instead of a response naming something deleted.
   */
  goneSince?: (first: T, tx: Executor) => Promise<string | null>;
}

/**
 * Runs a write in one transaction together with its idempotency record: a repeat of the same
 * `Idempotency-Key` returns the first response's body and changes nothing, and a failed write leaves
 * neither data nor key behind. Keys are scoped to the workspace; reusing one for another request
 * (method, path or body) is refused with a 422. A replay carries `Idempotent-Replayed: true`. Keys
 * expire after a day; a replay of a create whose result was since deleted is a 410 (`goneSince`).
 */
export async function idempotentWrite<T>(
  c: Context<AppBindings>,
  body: unknown,
  write: (tx: Executor) => Promise<T>,
  options: IdempotencyOptions<T> = {},
): Promise<T> {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return c.var.db.transaction(write);
  if (!KEY.test(key)) {
    throw new ProblemException('bad-request', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
  }
  const { workspaceId } = c.var.principal;
  const requestHash = sha256(`${c.req.method} ${c.req.path}\n${JSON.stringify(body ?? null)}`);
  const { result, replayed } = await c.var.db.transaction(async (tx) => {
    const [previous] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.workspaceId, workspaceId), eq(idempotencyKeys.key, key)));
    const now = new Date();
    if (previous && previous.createdAt.getTime() <= now.getTime() - IDEMPOTENCY_KEY_TTL_MS) {
      // Expired: the key starts over.
      await tx
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.workspaceId, workspaceId), eq(idempotencyKeys.key, key)));
    } else if (previous) {
      if (previous.requestHash !== requestHash) {
        throw new ProblemException(
          'idempotency-key-reused',
          `Idempotency-Key "${key}" was first used for another request (${previous.method} ${previous.path})`,
        );
      }
      const first = JSON.parse(previous.body) as T;
      const gone = options.goneSince ? await options.goneSince(first, tx) : null;
      if (gone) {
        throw new ProblemException(
          'gone',
          `${gone}; send the request with a new Idempotency-Key to make it again`,
        );
      }
      return { result: first, replayed: true };
    }
    const written = await write(tx);
    await tx.insert(idempotencyKeys).values({
      workspaceId,
      key,
      method: c.req.method,
      path: c.req.path,
      requestHash,
      body: JSON.stringify(written),
      createdAt: now,
    });
    return { result: written, replayed: false };
  });
  if (replayed) c.header('Idempotent-Replayed', 'true');
  return result;
}
