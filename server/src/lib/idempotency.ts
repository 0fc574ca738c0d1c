import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Executor } from '../db/client';
import { idempotencyKeys } from '../db/schema';
import { ProblemException } from './problem';
import { sha256 } from './tokens';
import type { AppBindings } from './types';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * Runs a write in one transaction together with its idempotency record: a repeat of the same
 * `Idempotency-Key` returns the first response's body and changes nothing, and a failed write leaves
 * neither data nor key behind. Keys are scoped to the workspace; reusing one for another request
 * (method, path or body) is refused with a 422. A replay carries `Idempotent-Replayed: true`.
 */
export async function idempotentWrite<T>(
  c: Context<AppBindings>,
  body: unknown,
  write: (tx: Executor) => Promise<T>,
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
    if (previous) {
      if (previous.requestHash !== requestHash) {
        throw new ProblemException(
          'idempotency-key-reused',
          `Idempotency-Key "${key}" was first used for another request (${previous.method} ${previous.path})`,
        );
      }
      return { result: JSON.parse(previous.body) as T, replayed: true };
    }
    const written = await write(tx);
    await tx.insert(idempotencyKeys).values({
      workspaceId,
      key,
      method: c.req.method,
      path: c.req.path,
      requestHash,
      body: JSON.stringify(written),
      createdAt: new Date(),
    });
    return { result: written, replayed: false };
  });
  if (replayed) c.header('Idempotent-Replayed', 'true');
  return result;
}
