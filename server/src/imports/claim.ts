/**
 * An import's claim: which process runs its next slice (docs/design.md, "Import slices are
 * optimistic too"). A slice writes its claim with its progress (`claimedProgress`); an undo slice
 * reads it under the write lock (`claim`).
 */
import { eq, sql } from 'drizzle-orm';
import { deferWrite, type Executor } from '../db/client';
import { imports } from '../db/schema';

type ImportRow = typeof imports.$inferSelect;

/** How long a process's claim on an import holds without a new slice; then another may take over. */
export const LEASE_MS = 30_000;

/**
 * Whether `owner` may take the next slice: only while the import is in the state and at the cursor
 * this process read, and no other process holds a live claim. Read inside an undo slice's write
 * transaction, which holds the write lock from its first statement, so two processes never undo
 * the same slice.
 */
async function mayClaim(tx: Executor, job: ImportRow, owner: string, now: Date): Promise<boolean> {
  const [row] = await tx
    .select({
      status: imports.status,
      cursor: imports.cursor,
      leaseOwner: imports.leaseOwner,
      leaseUntil: imports.leaseUntil,
    })
    .from(imports)
    .where(eq(imports.id, job.id));
  return (
    row !== undefined &&
    row.status === job.status &&
    row.cursor === job.cursor &&
    (row.leaseOwner === null || row.leaseOwner === owner || (row.leaseUntil?.getTime() ?? 0) < now.getTime())
  );
}

/**
 * An import slice's claim and its progress in one deferred write: the new cursor only if the row is
 * still exactly as the slice was built on (state, cursor, counts) and no other process holds a
 * live claim, else NULL, which the cursor's NOT NULL refuses, so the whole slice fails with nothing
 * written (`isClaimLost`). Nothing is read for it: a slice built while the one before it commits
 * (`runSlices`) is built on what that one will leave, not on what a read would see now.
 */
export function claimedProgress(
  job: ImportRow,
  owner: string,
  now: Date,
  progress: Pick<ImportRow, 'cursor' | 'created' | 'updated' | 'skipped' | 'refused'>,
) {
  const held = sql`(${imports.leaseOwner} is null or ${imports.leaseOwner} = ${owner} or ${imports.leaseUntil} < ${now.getTime()})`;
  const unchanged = sql`${imports.status} = ${job.status} and ${imports.cursor} = ${job.cursor}
    and ${imports.created} = ${job.created} and ${imports.updated} = ${job.updated}
    and ${imports.skipped} = ${job.skipped} and ${imports.refused} = ${job.refused}`;
  const { cursor, ...counts } = progress;
  return {
    ...counts,
    cursor: sql`case when ${unchanged} and ${held} then ${cursor} end`,
    ...lease(owner, now),
  };
}

/** Whether a slice failed because its claim did not hold (`claimedProgress`). */
export function isClaimLost(error: unknown): boolean {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    if (cause instanceof Error && cause.message.includes('NOT NULL constraint failed: imports.cursor'))
      return true;
  }
  return false;
}

/** The claim a slice writes: `owner` holds the import for another `LEASE_MS`. */
export function lease(owner: string, now: Date) {
  return { leaseOwner: owner, leaseUntil: new Date(now.getTime() + LEASE_MS) };
}

/** `mayClaim`, then the claim written (deferred: nothing reads its result). */
export async function claim(tx: Executor, job: ImportRow, owner: string, now: Date): Promise<boolean> {
  if (!(await mayClaim(tx, job, owner, now))) return false;
  await deferWrite(tx, tx.update(imports).set(lease(owner, now)).where(eq(imports.id, job.id)).toSQL());
  return true;
}
