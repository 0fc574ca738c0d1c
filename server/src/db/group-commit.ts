import { AsyncLocalStorage } from 'node:async_hooks';
import type { TransactionMode } from '@libsql/client';
import type { Connection } from './worker-connection';
import type { WorkerTransaction } from './worker-transaction';

/**
 * Group commit on the embedded file (docs/design.md, "Group commit"): while write transactions
 * queue for the writer, one that ends does not commit alone; each is a savepoint of one outer
 * transaction in the worker (sqlite-worker.js), and the group commits with one COMMIT, one fsync.
 * A member's `commit()` resolves only once the group has committed.
 */

/** At most this many transactions commit together, and the first waits at most this long (ms). */
const GROUP_MEMBERS = 32;
const GROUP_MS = 20;

const bulkScope = new AsyncLocalStorage<true>();

/**
 * Runs `work` with its write transactions marked as a long job's slices (a rescore, an import): the
 * group commit never holds a request's answer back for one of them (see `keepsOpen`).
 */
export function bulkWrites<T>(work: () => T): T {
  return bulkScope.run(true, work);
}

/** Whether the caller runs inside `bulkWrites`: a long job's slice. */
export const inBulkWrites = () => bulkScope.getStore() === true;

/** Whether a member's error says the group's outer transaction went with it (sqlite-worker.js). */
function endsGroup(error: unknown) {
  const mark = error as { code?: string; group?: boolean } | undefined;
  return mark?.group === true || mark?.code === 'GROUP_LOST';
}

interface Group {
  since: number;
  members: { resolve: () => void; reject: (error: unknown) => void }[];
}

export class GroupCommit {
  /** Transactions committed, and the COMMITs that made them durable (the tests read both). */
  readonly commits = { transactions: 0, groups: 0 };
  /**
   * Write transactions queued for the writer, in their order: while there are some, an ended one
   * waits for the next (unless it is a long job's slice).
   */
  private readonly queued: { bulk: boolean }[] = [];
  /** The ended transactions whose COMMIT is still to come; null when no outer transaction is open. */
  private group: Group | null = null;
  /**
   * Optimistic transactions still reading (optimistic-transaction.ts): each will want the writer
   * within a millisecond or two, so an ended transaction waits for them as for a queued one.
   */
  private readonly reading = new Set<object>();

  constructor(
    private readonly writer: Connection,
    /** Commits the open group in the writer's turn (after whoever holds it now). */
    private readonly flushInTurn: () => Promise<void>,
  ) {}

  /** An optimistic transaction began reading: a group may wait for it. */
  startReading(tx: object) {
    this.reading.add(tx);
  }

  /**
   * It stopped reading: it joins the writer's queue now (`joins`), or it ended without writing,
   * and a group that waited for it alone commits.
   */
  stopReading(tx: object, joins: boolean) {
    if (!this.reading.delete(tx) || joins) return;
    if (this.group && !this.keepsOpen('write', 0)) void this.flushInTurn();
  }

  /** Waits for the writer's `turn`, counted as a transaction queued for it meanwhile. */
  async waitForTurn(turn: Promise<unknown>) {
    const entry = { bulk: inBulkWrites() };
    this.queued.push(entry);
    try {
      await turn;
    } finally {
      this.queued.splice(this.queued.indexOf(entry), 1);
    }
  }

  /**
   * Makes `tx` a member: its commit and rollback end its turn on the writer once (`release`), keep
   * the group open for the next queued transaction or commit it, and its commit resolves once
   * the group's COMMIT has.
   */
  enrol(tx: WorkerTransaction, mode: TransactionMode, release: () => void) {
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    let flushed = false;
    // Nobody waits to join: the group commits in the same message as this transaction's end.
    tx.flushWithCommit = () => {
      flushed = !this.keepsOpen(mode, 1);
      return flushed;
    };
    // The turn ends once: drizzle rolls back after a failed commit, when the writer may be the next
    // transaction's already.
    let ended = false;
    tx.commit = async () => {
      if (ended) return commit();
      ended = true;
      let failure: { error: unknown } | null = null;
      try {
        await commit();
      } catch (error) {
        failure = { error };
      }
      if (flushed) {
        // The worker committed the group (or it failed whole) with this transaction's end.
        const lost = failure !== null && endsGroup(failure.error);
        if (!lost) this.commits.groups++;
        this.commits.transactions += (this.group?.members.length ?? 0) + (failure ? 0 : 1);
        this.settle(lost ? failure?.error : null);
        release();
        if (failure) throw failure.error;
        return;
      }
      const durable = !failure && tx.began ? this.join() : undefined;
      if (failure && endsGroup(failure.error)) this.settle(failure.error);
      await this.endTurn(mode, tx.began);
      release();
      if (failure) throw failure.error;
      await durable;
    };
    tx.rollback = async () => {
      if (ended) return rollback();
      ended = true;
      try {
        await rollback();
        if (tx.lostGroup) {
          const error = new Error('The write was lost: the transaction it was to commit with failed');
          this.settle(Object.assign(error, { code: 'GROUP_LOST' }));
        }
      } catch (error) {
        if (endsGroup(error)) this.settle(error);
        throw error;
      } finally {
        await this.endTurn(mode, tx.began);
        release();
      }
    };
  }

  /** Commits the open group, if any, and tells its members. */
  async flush() {
    const group = this.group;
    if (!group) return;
    try {
      await this.writer.call({ op: 'flush', inTransaction: true });
      if (group.members.length) this.commits.groups++;
      this.commits.transactions += group.members.length;
      this.settle(null);
    } catch (error) {
      this.settle(error);
    }
  }

  private opened(): Group {
    if (!this.group) {
      const group: Group = { since: performance.now(), members: [] };
      this.group = group;
      // A group waiting for readers that never come (one reads for long) commits all the same.
      setTimeout(() => {
        if (this.group === group) void this.flushInTurn();
      }, GROUP_MS).unref();
    }
    return this.group;
  }

  /** This transaction's COMMIT is the group's: it is durable when the group has committed. */
  private join(): Promise<void> {
    const group = this.opened();
    return new Promise<void>((resolve, reject) => {
      group.members.push({ resolve, reject });
    });
  }

  /**
   * The end of a transaction's turn: the group stays open for the next transaction while one waits
   * (up to GROUP_MEMBERS of them, GROUP_MS since the first ended), else it commits now.
   */
  private async endTurn(mode: TransactionMode, began: boolean) {
    if (began) this.opened();
    if (this.group && !this.keepsOpen(mode, 0)) await this.flush();
  }

  /** Whether the open group waits for the next transaction, counting `ending` members about to join. */
  private keepsOpen(mode: TransactionMode, ending: number) {
    const group = this.group;
    // A slice of a long job may hold the writer for tens of milliseconds: not worth the wait.
    const next = this.queued.length ? !this.queued[0]!.bulk : this.reading.size > 0;
    return (
      mode === 'write' &&
      next &&
      (group?.members.length ?? 0) + ending <= GROUP_MEMBERS &&
      (!group || performance.now() - group.since < GROUP_MS)
    );
  }

  private settle(error: unknown) {
    const members = this.group?.members ?? [];
    this.group = null;
    for (const member of members) {
      if (error) member.reject(error);
      else member.resolve();
    }
  }
}
