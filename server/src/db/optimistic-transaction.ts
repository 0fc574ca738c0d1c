import { type InArgs, type InStatement, LibsqlError, type ResultSet } from '@libsql/client';
import { toResultSet, type WorkerResult } from './worker-connection';
import {
  CACHED_TABLE_WRITE,
  executeEach,
  normalize,
  READ,
  type ReadCheck,
  type WorkerTransaction,
} from './worker-transaction';

/**
 * An optimistic write transaction on the embedded file (docs/design.md, "Optimistic writes"): its
 * reads run on the readers, outside the write lock, and its deferred writes wait; when it commits,
 * it takes the writer, and one message there runs its reads again, checks that every one gives the
 * same result (and the caches' version is the one it saw), then its writes and its end. The writer
 * is held for that message only, never while this thread computes between two statements.
 *
 * If a check fails, nothing of it is written and the commit fails with OPTIMISTIC_CONFLICT:
 * `db.transaction` (client.ts) then runs the work again as an ordinary transaction. A statement
 * that needs the lock before the end (a write whose result is read, a read after a deferred write)
 * takes it there, with the same check, and the rest runs as an ordinary transaction.
 */
export class OptimisticTransaction {
  private open = true;
  private readonly reads: ReadCheck['reads'] = [];
  private version: number | undefined;
  private deferred: { sql: string; args?: InArgs }[] = [];
  /** The ordinary transaction it became once it took the lock. */
  private locked: Promise<WorkerTransaction> | undefined;
  private inner: WorkerTransaction | undefined;

  constructor(
    /** Runs a read on a reader, with its result's digest and the caches' version. */
    private readonly read: (stmt: {
      sql: string;
      args?: InArgs;
    }) => Promise<WorkerResult & { digest: string }>,
    /** The writer's transaction, once the writer is this one's. */
    private readonly lock: () => Promise<WorkerTransaction>,
    /** Told when it ends without having taken the lock. */
    private readonly ended: () => void = () => {},
  ) {}

  get closed() {
    return this.inner ? this.inner.closed : !this.open;
  }

  /** As `WorkerTransaction.cacheVersion`: what its reads were told, unless a deferred write may change it. */
  get cacheVersion(): number | undefined {
    if (this.inner) return this.inner.cacheVersion;
    return this.deferred.some((stmt) => CACHED_TABLE_WRITE.test(stmt.sql)) ? undefined : this.version;
  }

  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    this.check();
    const stmt = normalize(stmtOrSql, args);
    if (!this.locked && !this.deferred.length && READ.test(stmt.sql)) {
      let result: (WorkerResult & { digest: string }) | undefined;
      try {
        result = await this.read(stmt);
      } catch (error) {
        // A statement that reads by its first word but writes: the writer runs it.
        if ((error as { code?: string }).code !== 'NOT_A_READ') throw error;
      }
      if (result && !this.locked) {
        this.seeVersion(result.cacheVersion);
        this.reads.push({ stmt, digest: result.digest });
        return toResultSet(result);
      }
    }
    return (await this.takeLock()).execute(stmt);
  }

  defer(stmt: { sql: string; args?: InArgs }) {
    this.check();
    if (this.inner) this.inner.defer(stmt);
    else this.deferred.push(stmt);
  }

  batch(stmts: InStatement[]): Promise<ResultSet[]> {
    return executeEach(this, stmts);
  }

  async executeMultiple(sql: string): Promise<void> {
    this.check();
    await (await this.takeLock()).executeMultiple(sql);
  }

  async commit() {
    this.check();
    // Nothing to write and one read at most: that read was true when it ran, and nothing depends on it.
    if (!this.locked && !this.deferred.length && this.reads.length <= 1) {
      this.open = false;
      this.ended();
      return;
    }
    const inner = await this.takeLock();
    this.open = false;
    await inner.commit();
  }

  async rollback() {
    if (!this.open && !this.inner) return;
    this.open = false;
    this.deferred = [];
    if (this.locked) await (await this.locked).rollback();
    else this.ended();
  }

  close() {
    void this.rollback();
  }

  /** Reads that saw two versions of the caches saw a change mid-way: rerun it holding the lock. */
  private seeVersion(version: number | undefined) {
    if (version === undefined) return;
    if (this.version !== undefined && this.version !== version) throw conflict();
    this.version = version;
  }

  private takeLock(): Promise<WorkerTransaction> {
    this.locked ??= this.lock().then((inner) => {
      inner.continues({ reads: this.reads, cacheVersion: this.version }, this.deferred);
      this.deferred = [];
      this.inner = inner;
      return inner;
    });
    return this.locked;
  }

  private check() {
    if (!this.open) throw new LibsqlError('The transaction is closed', 'TRANSACTION_CLOSED');
  }
}

/** The error an optimistic transaction fails with when what it read has changed (as the worker's). */
export function conflict() {
  return Object.assign(new Error('What this transaction read has changed since: it runs again'), {
    code: 'OPTIMISTIC_CONFLICT',
  });
}
