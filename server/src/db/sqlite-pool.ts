import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type Client,
  type InArgs,
  type InStatement,
  LibsqlError,
  type ResultSet,
  type Transaction,
  type TransactionMode,
} from '@libsql/client';
import { GroupCommit, inBulkWrites } from './group-commit';
import { OptimisticTransaction } from './optimistic-transaction';
import { Connection, toResultSet, type WorkerResult } from './worker-connection';
import { normalize, READ, WorkerTransaction } from './worker-transaction';

/**
 * The embedded database file served from worker threads: one writer connection and a few readers,
 * behind the `Client` interface drizzle's libSQL driver already speaks, so services keep their
 * queries and types. The embedded driver runs every statement synchronously (a lock wait too);
 * in a worker that blocks the worker, never the thread that serves requests. See docs/design.md.
 */

/** The open write transaction of the code running now, set by `db.transaction` (client.ts). */
export interface TransactionScope {
  /** When a write waiting for another process's lock gives up with SQLITE_BUSY (epoch ms). */
  deadline: number;
  /** Its write transaction reads first, outside the lock (optimistic-transaction.ts). */
  optimistic?: boolean;
  tx?: WorkerTransaction | OptimisticTransaction;
}

export const transactionScope = new AsyncLocalStorage<TransactionScope>();

/**
 * The caches' version as the open write transaction of the calling code sees it, when its writer
 * told it with its last answer (versioned-cache.ts): a read of it saved. Undefined otherwise.
 */
export function knownCacheVersion(): number | undefined {
  const tx = transactionScope.getStore()?.tx;
  return tx && !tx.closed ? tx.cacheVersion : undefined;
}

const heavyScope = new AsyncLocalStorage<true>();

/** A libSQL row's values in column order. */
export const toValues = (row: ArrayLike<unknown>): unknown[] => Array.from(row);

/**
 * Runs `work` with its reads sent to the reader kept for heavy reads (the analytics, an import's
 * run and dry run), so the panel's short reads never queue behind a year of figures or an import
 * slice's matching on the same connection.
 */
export function heavyReads<T>(work: () => T): T {
  return heavyScope.run(true, work);
}

/**
 * How much lower the heavy reader's CPU priority is (Linux nice levels: at 10 it gets about a tenth
 * of what a thread at 0 gets when both want a core). See docs/design.md, "Analytics at a lower
 * priority".
 */
const HEAVY_READER_NICENESS = 10;

/**
 * Checkpoints run on the heavy reader, at most this often while there are writes (ms); the writer's
 * own COMMIT checkpoints only once the log holds this many pages (4 KiB each) all the same.
 */
const CHECKPOINT_EVERY_MS = 100;
const CHECKPOINT_BACKSTOP_PAGES = 10_000;

export interface SqlitePoolOptions {
  /** How long a write may wait for another connection's write lock before SQLITE_BUSY. */
  busyBudgetMs: number;
  readers?: number;
}

/**
 * The `Client` for an embedded file. Writes, outside a transaction or in one, go to the writer
 * one unit at a time (a transaction holds it from BEGIN to COMMIT); a statement run by code inside
 * `db.transaction` joins that transaction even when it was made on `db`, so it sees the
 * transaction's own writes. Plain reads go to the least busy reader.
 */
export class SqlitePool {
  readonly protocol = 'file';
  closed = false;
  private readonly writer: Connection;
  private readonly readers: Connection[];
  /** The writer's queue: the end of the last unit of work given to it. */
  private writeTail: Promise<unknown> = Promise.resolve();
  /** Transactions that end while others queue commit together (group-commit.ts). */
  private readonly group: GroupCommit;
  /** Checkpoints run to their end on the heavy reader (the tests read it). */
  checkpoints = 0;
  /** Reads sent to each reader, in the readers' order: the last is the heavy one (the tests read it). */
  readonly reads: number[];
  /** The next checkpoint, once the writer has written since the last one; the one running. */
  private checkpointTimer: NodeJS.Timeout | null = null;
  private checkpointing: Promise<void> | null = null;

  private constructor(
    path: string,
    private readonly options: SqlitePoolOptions,
  ) {
    const readers = options.readers ?? 2;
    // With a reader to checkpoint from, the writer's COMMIT checkpoints only as a backstop.
    this.writer = new Connection(path, 'writer', {
      autocheckpointPages: readers ? CHECKPOINT_BACKSTOP_PAGES : undefined,
      answered: readers ? () => this.checkpointSoon() : undefined,
    });
    this.group = new GroupCommit(this.writer, () => this.exclusive(async () => {}));
    // The last reader takes the heavy reads (see `reader()`), at a lower CPU priority.
    this.reads = Array.from({ length: readers }, () => 0);
    this.readers = Array.from(
      { length: readers },
      (_, i) =>
        new Connection(path, 'reader', {
          niceness: readers >= 2 && i === readers - 1 ? HEAVY_READER_NICENESS : 0,
        }),
    );
  }

  static async open(path: string, options: SqlitePoolOptions): Promise<Client> {
    const pool = new SqlitePool(path, options);
    try {
      // The writer first: it creates the file and the readers need it to exist.
      await pool.writer.ready;
      await Promise.all(pool.readers.map((reader) => reader.ready));
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool as unknown as Client;
  }

  private deadline() {
    return transactionScope.getStore()?.deadline ?? Date.now() + this.options.busyBudgetMs;
  }

  /** The open transaction of the calling code, if any. */
  private current() {
    const tx = transactionScope.getStore()?.tx;
    return tx && !tx.closed ? tx : undefined;
  }

  /**
   * Runs `work` on the writer once every earlier unit of work there has finished and the open
   * group has committed (a statement outside a transaction is answered as done: it must not run
   * inside the group's transaction).
   */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.writeTail.then(async () => {
      await this.group.flush();
      return work();
    });
    this.writeTail = result.catch(() => {});
    return result;
  }

  /**
   * The least busy reader of the lane: with two or more readers the last one takes the heavy reads
   * and the others the rest.
   */
  private reader(): Connection {
    const heavy = heavyScope.getStore() === true;
    const count = this.readers.length;
    // The lane, as indexes: every reader, the last (heavy) one, or all the others.
    const [from, to] = count < 2 ? [0, count] : heavy ? [count - 1, count] : [0, count - 1];
    let best = from;
    for (let i = from + 1; i < to; i++) if (this.readers[i]!.load < this.readers[best]!.load) best = i;
    this.reads[best]!++;
    return this.readers[best]!;
  }

  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    this.check();
    const stmt = normalize(stmtOrSql, args);
    const tx = this.current();
    if (tx) return tx.execute(stmt);
    if (this.readers.length && READ.test(stmt.sql)) {
      try {
        return toResultSet(await this.reader().call<WorkerResult>({ op: 'execute', stmt }));
      } catch (error) {
        if ((error as { code?: string }).code !== 'NOT_A_READ') throw error;
      }
    }
    const deadline = this.deadline();
    return this.exclusive(async () =>
      toResultSet(await this.writer.call<WorkerResult>({ op: 'execute', stmt, deadline })),
    );
  }

  /**
   * A read's rows as plain arrays of values, without libSQL's row objects: for walks over many
   * rows (an export), where building an object a row costs more than the read. See `readRows`.
   */
  async readRows(stmt: { sql: string; args?: InArgs }): Promise<unknown[][]> {
    this.check();
    if (this.current() || !this.readers.length) return (await this.execute(stmt)).rows.map(toValues);
    return (await this.reader().call<WorkerResult>({ op: 'execute', stmt })).rows;
  }

  async batch(
    stmts: (InStatement | [string, InArgs?])[],
    mode: TransactionMode = 'deferred',
  ): Promise<ResultSet[]> {
    this.check();
    const normalized = stmts.map((stmt) => (Array.isArray(stmt) ? normalize(stmt[0], stmt[1]) : stmt));
    const tx = this.current();
    if (tx) return tx.batch(normalized);
    const deadline = this.deadline();
    return this.exclusive(async () =>
      (await this.writer.call<WorkerResult[]>({ op: 'batch', stmts: normalized, mode, deadline })).map(
        toResultSet,
      ),
    );
  }

  async migrate(stmts: InStatement[]): Promise<ResultSet[]> {
    this.check();
    const deadline = this.deadline();
    return this.exclusive(async () =>
      (await this.writer.call<WorkerResult[]>({ op: 'migrate', stmts, deadline })).map(toResultSet),
    );
  }

  async executeMultiple(sql: string): Promise<void> {
    this.check();
    await this.exclusive(() => this.writer.call({ op: 'executeMultiple', sql }));
  }

  /**
   * The writer's transaction, once the writer is free; its first statement waits for another
   * process's lock until the caller's deadline. The writer stays this transaction's until it
   * commits or rolls back.
   */
  async transaction(mode: TransactionMode = 'write'): Promise<Transaction> {
    this.check();
    const scope = transactionScope.getStore();
    const deadline = this.deadline();
    if (mode === 'write' && scope?.optimistic && this.readers.length) {
      const tx: OptimisticTransaction = new OptimisticTransaction(
        (stmt) => this.reader().call({ op: 'execute', stmt, digest: true }),
        () => {
          this.group.stopReading(tx, true);
          return this.writeTransaction(mode, deadline);
        },
        () => this.group.stopReading(tx, false),
      );
      // A long job's slice reads for tens of milliseconds: no group waits for it.
      if (!inBulkWrites()) this.group.startReading(tx);
      scope.tx = tx;
      return tx as unknown as Transaction;
    }
    return (await this.writeTransaction(mode, deadline)) as unknown as Transaction;
  }

  private async writeTransaction(mode: TransactionMode, deadline: number): Promise<WorkerTransaction> {
    const scope = transactionScope.getStore();
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const turn = this.writeTail;
    this.writeTail = held;
    await this.group.waitForTurn(turn);
    // Only a write transaction's group can take others: a read-only one cannot hold their writes.
    if (mode !== 'write') await this.group.flush();
    const tx = new WorkerTransaction(this.writer, { mode, deadline });
    this.group.enrol(tx, mode, release);
    if (scope) scope.tx = tx;
    return tx;
  }

  /**
   * Checkpoints the log on the heavy reader within CHECKPOINT_EVERY_MS of a write (docs/design.md,
   * "Checkpoints off the writer"). A checkpoint that fails (another process's is running) is
   * simply the next one's to do.
   */
  private checkpointSoon() {
    if (this.checkpointTimer || this.closed) return;
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = null;
      if (this.closed) return;
      const reader = this.readers.at(-1);
      if (!reader) return;
      this.checkpointing = reader
        .call<[number, number, number]>({ op: 'checkpoint' })
        .then(([busy]) => {
          if (busy === 0) this.checkpoints++;
        })
        .catch(() => {})
        .finally(() => {
          this.checkpointing = null;
        });
    }, CHECKPOINT_EVERY_MS);
    this.checkpointTimer.unref();
  }

  /** Transactions committed, and the COMMITs that made them durable. */
  get commits() {
    return this.group.commits;
  }

  async sync(): Promise<undefined> {
    return undefined;
  }

  /** The writer reopens its connection by itself after a lock wait; nothing to do here. */
  async reconnect(): Promise<void> {}

  close() {
    if (this.closed) return;
    this.closed = true;
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    this.writer.close();
    // A thread stopped inside libsql's native code takes the process down (a panic in its
    // bindings): the reader running a checkpoint stops once it has ended.
    const checkpointer = this.checkpointing ? this.readers.at(-1) : undefined;
    for (const reader of this.readers) if (reader !== checkpointer) reader.close();
    void this.checkpointing?.finally(() => checkpointer?.close());
  }

  private check() {
    if (this.closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
  }
}
