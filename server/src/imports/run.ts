import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { type Database, deferWrite, type Executor, isDatabaseBusy, optimistically } from '../db/client';
import { emitEvent } from '../db/events';
import { bulkWrites } from '../db/group-commit';
import { newId } from '../db/ids';
import { imports, users, workspaces } from '../db/schema';
import { heavyReads } from '../db/sqlite-pool';
import type { Principal } from '../lib/types';
import { recordOutcomes } from './bulk-writes';
import { claim, claimedProgress, isClaimLost, lease } from './claim';
import type { PreparedRow } from './prepare';
import { prepareRows } from './prepare-pool';
import { readStagedRows, type StagedRow } from './staged';
import { undoSlice } from './undo';
import { type SliceContext, writeSlice } from './write';

/** Rows a slice writes: one short write transaction (tens of milliseconds of the lock). */
export const IMPORT_SLICE = 500;

type ImportRow = typeof imports.$inferSelect;

export interface RunOptions {
  sliceSize?: number;
  /** Stop after this many slices (tests: a process killed mid-way). */
  slices?: number;
  /** Who claims the slices (tests: two processes); a new id per run by default. */
  owner?: string;
  /** Awaited in each slice's transaction once the slice is built, before its commit (tests). */
  beforeCommit?: () => Promise<void>;
}

/** The person who started the import, as the principal its writes are made by. */
async function principalOf(db: Executor, job: ImportRow): Promise<Principal> {
  const [row] = await db
    .select({ role: users.role, repsSeeOnlyOwnLeads: workspaces.repsSeeOnlyOwnLeads })
    .from(users)
    .innerJoin(workspaces, eq(workspaces.id, users.workspaceId))
    .where(eq(users.id, job.createdBy));
  return {
    userId: job.createdBy,
    workspaceId: job.workspaceId,
    role: row?.role ?? 'manager',
    tokenId: '',
    repsSeeOnlyOwnLeads: row?.repsSeeOnlyOwnLeads ?? false,
  };
}

/** The workspace's active people by folded e-mail and by folded name: how a file names owners. */
async function ownersOf(db: Executor, workspaceId: string): Promise<Map<string, string>> {
  const people = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), isNull(users.deactivatedAt)));
  const owners = new Map<string, string>();
  for (const person of people) {
    owners.set(person.name.trim().toLowerCase(), person.id);
    if (person.email) owners.set(person.email.trim().toLowerCase(), person.id);
  }
  return owners;
}

async function finish(
  tx: Executor,
  job: ImportRow,
  counts: Pick<ImportRow, 'created' | 'updated' | 'skipped' | 'refused'>,
  now: Date,
) {
  await tx
    .update(imports)
    .set({ status: 'done', finishedAt: now, leaseOwner: null, leaseUntil: null })
    .where(eq(imports.id, job.id));
  await emitEvent(
    tx,
    job.workspaceId,
    'import.finished',
    null,
    { importId: job.id, fileName: job.fileName, rows: job.totalRows, ...counts },
    now,
  );
}

/** A slice's rows, read and normalised: work done on this thread while the writer writes. */
interface SliceInput {
  after: number;
  staged: StagedRow[];
  prepared: PreparedRow[];
  /** The rows the dry run found repeating an earlier row of the file, with its reason. */
  repeats: Map<number, string>;
}

async function loadSlice(
  db: Database,
  job: ImportRow,
  after: number,
  sliceSize: number,
): Promise<SliceInput> {
  const staged = await readStagedRows(db, job.id, after, sliceSize);
  const repeats = new Map(staged.flatMap((row) => (row.reason ? [[row.rowNo, row.reason] as const] : [])));
  return { after, staged, prepared: await prepareRows(staged, job.headers, job.mapping), repeats };
}

/**
 * One slice of the run, from `job` as it stands (or will stand once the slice before commits):
 * true while more rows follow. `built` hears, before the commit, what the import row will be
 * after it. Fails with `isClaimLost` when the row is not as `job` says or another process holds it.
 */
async function importSlice(
  db: Database,
  job: ImportRow,
  context: SliceContext,
  owner: string,
  sliceSize: number,
  input: SliceInput,
  built: (after: ImportRow) => void,
  beforeCommit?: () => Promise<void>,
) {
  const { staged, prepared, repeats } = input;
  // Optimistic (docs/design.md, "Optimistic writes"): the matching, scoring and building of the
  // slice's rows run on the readers and this thread while the writer serves others; the writer runs
  // the checks and the writes in one message at the end. A check that fails (a matched lead changed
  // meanwhile) runs the slice again as an ordinary transaction.
  return bulkWrites(() =>
    optimistically(() =>
      db.transaction(async (tx) => {
        const now = new Date();
        const outcomes = staged.length ? await writeSlice(tx, context, prepared, now, repeats) : [];
        await recordOutcomes(tx, job.id, outcomes);
        const count = (kinds: string[]) => outcomes.filter((o) => kinds.includes(o.outcome)).length;
        const counts = {
          created: job.created + count(['created']),
          updated: job.updated + count(['updated']),
          skipped: job.skipped + count(['skipped', 'unchanged']),
          refused: job.refused + count(['refused']),
        };
        const cursor = staged.at(-1)?.rowNo ?? job.cursor;
        await deferWrite(
          tx,
          tx
            .update(imports)
            .set(claimedProgress(job, owner, now, { cursor, ...counts }))
            .where(eq(imports.id, job.id))
            .toSQL(),
        );
        const more = staged.length === sliceSize;
        if (!more) await finish(tx, job, counts, now);
        built({ ...job, cursor, ...counts, ...lease(owner, now) });
        await beforeCommit?.();
        return more;
      }),
    ),
  );
}

/** A slice under way: its outcome, and whether it was built on the one before's projection. */
interface Slice {
  result: Promise<{ ok: true; value: boolean } | { ok: false; error: unknown }>;
  builtAhead: boolean;
}

/** A promise's outcome without its rejection going unhandled. */
function settle<T>(promise: Promise<T>) {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

/**
 * Runs the import's slices from `first` on, two at a time: while one slice's commit waits for the
 * writer and runs there, the next is read, matched and built on the import row the first will
 * leave. The second's claim (`claimedProgress`) holds only if the first committed as it projected;
 * else it writes nothing. 'stop' when there is nothing more for this process to do, 'again' when a
 * slice built ahead must be built again from the import as it now stands.
 */
async function runSlices(
  db: Database,
  first: ImportRow,
  context: SliceContext,
  owner: string,
  sliceSize: number,
  slices: number,
  beforeCommit?: () => Promise<void>,
): Promise<{ next: 'stop' | 'again'; started: number }> {
  let job = first;
  let ahead: Promise<SliceInput | null> | null = null;
  // Each slice's outcome is taken as it comes (settled), so a failure is never left unhandled.
  let committing: Slice | null = null;
  let started = 0;
  // A lost claim: a slice built ahead on one that did not commit as projected (or whose commit
  // came after its own) is built again from the import row; otherwise another process holds it.
  const outcome = async ({ result: settled, builtAhead }: Slice): Promise<'more' | 'stop' | 'again'> => {
    const result = await settled;
    if (result.ok) return result.value ? 'more' : 'stop';
    if (!isClaimLost(result.error)) throw result.error;
    return builtAhead ? 'again' : 'stop';
  };
  for (;;) {
    const ready: SliceInput | null = ahead ? await ahead : null;
    const input: SliceInput =
      ready?.after === job.cursor ? ready : await loadSlice(db, job, job.cursor, sliceSize);
    const last = input.staged.at(-1)?.rowNo;
    const full = input.staged.length === sliceSize && last !== undefined;
    ahead = full ? loadSlice(db, job, last, sliceSize).catch(() => null) : null;
    let built!: (after: ImportRow) => void;
    const projected = new Promise<ImportRow>((resolve) => {
      built = resolve;
    });
    const current: Slice = {
      result: settle(importSlice(db, job, context, owner, sliceSize, input, built, beforeCommit)),
      builtAhead: committing !== null,
    };
    started++;
    if (committing) {
      // The slice this one was built on, first.
      const before = await outcome(committing).catch(async (error: unknown) => {
        await current.result;
        throw error;
      });
      committing = null;
      if (before !== 'more') {
        await current.result;
        return { next: before, started };
      }
    }
    // Once this slice is built (its commit under way), the next is built on what it will leave.
    const after = await Promise.race([projected, current.result.then(() => null)]);
    if (!full || !after || started >= slices) {
      const next = await outcome(current);
      // 'more' at the last slice asked for: the caller stops there.
      return { next: next === 'stop' ? 'stop' : 'again', started };
    }
    committing = current;
    job = after;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * Runs an import (or its undo) from where it stands to its end, slice by slice, yielding to the
 * event loop between slices so the API keeps answering. A process killed mid-way leaves the
 * import `running` with its cursor at the last committed slice; `startImportRunner` of any process
 * picks it up once the claim has lapsed.
 */
export function runImport(db: Database, id: string, options: RunOptions = {}): Promise<void> {
  // Its reads (the staged rows, the leads they match, each slice's checks) go to the heavy reader:
  // on the panel's reader, a slice's reads queued in front of the hot list and the lead detail
  // (p99 650-780 ms during a 100,000-row import under the load bench; 100-140 ms with them here).
  return heavyReads(() => runSlicesUntilDone(db, id, options));
}

async function runSlicesUntilDone(db: Database, id: string, options: RunOptions): Promise<void> {
  const owner = options.owner ?? newId();
  const sliceSize = options.sliceSize ?? IMPORT_SLICE;
  let context: SliceContext | null = null;
  let slices = options.slices ?? Number.POSITIVE_INFINITY;
  while (slices > 0) {
    const [job] = await db.select().from(imports).where(eq(imports.id, id));
    if (!job || (job.status !== 'running' && job.status !== 'undoing')) return;
    try {
      if (job.status === 'running') {
        context ??= {
          importId: job.id,
          principal: await principalOf(db, job),
          policy: job.policy,
          campaign: job.campaign,
          owners: await ownersOf(db, job.workspaceId),
        };
        const run = await runSlices(db, job, context, owner, sliceSize, slices, options.beforeCommit);
        slices -= run.started;
        if (run.next === 'stop') return;
      } else {
        const principal = await principalOf(db, job);
        slices--;
        if (!(await bulkWrites(() => undoSlice(db, job, principal, owner, sliceSize, claim)))) return;
      }
    } catch (error) {
      if (!isDatabaseBusy(error)) {
        await fail(db, job, error);
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function fail(db: Database, job: ImportRow, error: unknown) {
  const message = error instanceof Error ? error.message : String(error);
  await db
    .transaction((tx) =>
      tx
        .update(imports)
        .set({
          status: 'failed',
          error: `Stopped at row ${job.cursor + 1}: ${message}`.slice(0, 500),
          leaseOwner: null,
        })
        .where(eq(imports.id, job.id)),
    )
    .catch(() => {});
}

/**
 * Every API process runs this: at start and then every `intervalMs` it takes up imports (and
 * undos) whose claim has lapsed, such as those a stopped process left half done.
 */
export function startImportRunner(db: Database, intervalMs = 10_000) {
  const active = new Set<string>();
  const pass = async () => {
    const now = new Date();
    const due = await db
      .select({ id: imports.id })
      .from(imports)
      .where(
        and(
          inArray(imports.status, ['running', 'undoing']),
          or(isNull(imports.leaseUntil), lt(imports.leaseUntil, now)),
        ),
      );
    for (const { id } of due) {
      if (active.has(id)) continue;
      active.add(id);
      void runImport(db, id)
        .catch((error) => console.error(`import ${id}:`, error))
        .finally(() => active.delete(id));
    }
  };
  const tick = () => void pass().catch((error) => console.error('import runner:', error));
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return { run: tick, stop: () => clearInterval(timer) };
}

/** Counts as the dry run shows them beside the run's: the share done, the rate and the time left. */
export function progressOf(job: ImportRow, nowMs = Date.now()) {
  const done = Math.min(job.cursor, job.totalRows);
  const elapsed = job.startedAt ? ((job.finishedAt?.getTime() ?? nowMs) - job.startedAt.getTime()) / 1000 : 0;
  const running = job.status === 'running' || job.status === 'undoing';
  const rowsPerSecond = job.startedAt && elapsed > 0 && done > 0 ? Math.round(done / elapsed) : null;
  return {
    done,
    total: job.totalRows,
    created: job.created,
    updated: job.updated,
    skipped: job.skipped,
    refused: job.refused,
    rowsPerSecond,
    secondsLeft:
      running && rowsPerSecond ? Math.ceil((job.totalRows - done) / rowsPerSecond) : running ? null : 0,
  };
}
