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
import { Connection, toResultSet, type WorkerResult } from './worker-connection';

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
  tx?: WorkerTransaction;
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
const bulkScope = new AsyncLocalStorage<true>();

/**
 * Runs `work` with its write transactions marked as a long job's slices (a rescore, an import): the
 * group commit never holds a request's answer back for one of them (see `keepsOpen`).
 */
export function bulkWrites<T>(work: () => T): T {
  return bulkScope.run(true, work);
}

/**
 * Runs `work` with its reads sent to the reader kept for heavy reads (the analytics), so the
 * panel's short reads never queue behind a year of figures on the same connection.
 */
export function heavyReads<T>(work: () => T): T {
  return heavyScope.run(true, work);
}

export interface SqlitePoolOptions {
  /** How long a write may wait for another connection's write lock before SQLITE_BUSY. */
  busyBudgetMs: number;
  readers?: number;
}

function normalize(stmtOrSql: InStatement | string, args?: InArgs): { sql: string; args?: InArgs } {
  return typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
}

/** At most this many transactions commit together, and the first waits at most this long (ms). */
const GROUP_MEMBERS = 32;
const GROUP_MS = 20;

/**
 * A write to a table whose triggers bump `cache_versions` (migration 0012 and later; no trigger of
 * another table writes to these): a deferred one leaves the caches' version unknown until it runs.
 */
const CACHED_TABLE_WRITE =
  /^\s*(insert(\s+or\s+\w+)?\s+into|replace\s+into|update|delete\s+from)\s+["`]?(api_tokens|routing_rules|scoring_models|team_members|teams|users|workspaces)\b/i;

/** A statement that only reads, by its first word: it may go to a reader connection. */
const READ = /^\s*(select|with)\b/i;

/**
 * The one open transaction on the writer connection. Its BEGIN travels with its first statement
 * (one message less per write); a transaction that runs no statement never begins.
 */
class WorkerTransaction {
  private open = true;
  private begun = false;
  /** Writes whose results nobody reads, sent ahead of the next statement or with the COMMIT. */
  private deferred: { sql: string; args?: InArgs }[] = [];

  constructor(
    private readonly writer: Connection,
    private readonly begin: { mode: TransactionMode; deadline: number },
  ) {}

  get closed() {
    return !this.open;
  }

  /** Whether it ran anything on the writer (so it is a member of the open group). */
  get began() {
    return this.begun;
  }

  async execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
    this.check();
    const stmt = normalize(stmtOrSql, args);
    const begin = this.begun ? undefined : this.begin.mode;
    this.begun = true;
    this.version = undefined;
    const result = await this.writer.call<WorkerResult>({
      op: 'execute',
      stmt,
      before: this.takeDeferred(),
      inTransaction: true,
      begin,
      deadline: this.begin.deadline,
    });
    this.version = result.cacheVersion;
    return toResultSet(result);
  }

  /**
   * The caches' version as this transaction sees it now, when its last answer told it and nothing
   * deferred has run since (a deferred write might change it); else undefined, and the caller reads it.
   */
  get cacheVersion(): number | undefined {
    return this.deferred.some((stmt) => CACHED_TABLE_WRITE.test(stmt.sql)) ? undefined : this.version;
  }

  private version: number | undefined;

  /**
   * Queues a write whose result is not needed (an event row): it travels with the transaction's
   * next message, so it costs no round trip of its own, and runs in order before that statement.
   * Its error, if any, is that message's error: the transaction fails and rolls back all the same.
   */
  defer(stmt: { sql: string; args?: InArgs }) {
    this.check();
    this.deferred.push(stmt);
  }

  private takeDeferred() {
    if (!this.deferred.length) return undefined;
    const taken = this.deferred;
    this.deferred = [];
    return taken;
  }

  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    const results: ResultSet[] = [];
    for (const stmt of stmts) results.push(await this.execute(stmt));
    return results;
  }

  async executeMultiple(sql: string): Promise<void> {
    this.check();
    // Begins the transaction, and runs what it deferred before this SQL.
    if (!this.begun || this.deferred.length) await this.execute('select 1');
    await this.writer.call({ op: 'executeMultiple', sql, inTransaction: true });
  }

  async commit() {
    this.check();
    this.open = false;
    const before = this.takeDeferred();
    if (!this.begun && !before) return;
    const begin = this.begun ? undefined : this.begin.mode;
    this.begun = true;
    await this.writer.call({
      op: 'commit',
      before,
      begin,
      inTransaction: true,
      deadline: this.begin.deadline,
      flush: this.flushWithCommit?.() ?? false,
    });
  }

  /**
   * Asked as the COMMIT is sent: whether the group should commit with it (nobody waits to join),
   * which saves the group's own message. Set by the pool.
   */
  flushWithCommit?: () => boolean;

  async rollback() {
    if (!this.open) return;
    this.open = false;
    this.deferred = [];
    if (!this.begun) return;
    const result = await this.writer.call<{ lost: boolean }>({ op: 'rollback', inTransaction: true });
    // SQLite had rolled back the whole group's transaction: the others in it are lost too.
    if (result.lost) this.lostGroup = true;
  }

  /** Set when this transaction's failure took its group's outer transaction with it. */
  lostGroup = false;

  close() {
    void this.rollback();
  }

  private check() {
    if (!this.open) throw new LibsqlError('The transaction is closed', 'TRANSACTION_CLOSED');
  }
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
  /**
   * Write transactions queued for the writer, in their order: while there are some, an ended one
   * waits for the next (unless it is a long job's slice).
   */
  private readonly queued: { bulk: boolean }[] = [];
  /**
   * The group commit: ended transactions whose COMMIT is still to come, made with the next ones in
   * one COMMIT (one fsync) while others queue behind them. Null when no outer transaction is open.
   */
  private group: {
    since: number;
    members: { resolve: () => void; reject: (error: unknown) => void }[];
  } | null = null;
  /** Transactions committed, and the COMMITs that made them durable (the bench reports both). */
  readonly commits = { transactions: 0, groups: 0 };

  private constructor(
    path: string,
    private readonly options: SqlitePoolOptions,
  ) {
    this.writer = new Connection(path, 'writer');
    this.readers = Array.from({ length: options.readers ?? 2 }, () => new Connection(path, 'reader'));
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
      await this.flush();
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
    const lane =
      this.readers.length < 2 ? this.readers : heavy ? this.readers.slice(-1) : this.readers.slice(0, -1);
    let best = lane[0]!;
    for (const reader of lane) if (reader.load < best.load) best = reader;
    return best;
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
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const turn = this.writeTail;
    this.writeTail = held;
    const entry = { bulk: bulkScope.getStore() === true };
    this.queued.push(entry);
    try {
      await turn;
    } finally {
      this.queued.splice(this.queued.indexOf(entry), 1);
    }
    // Only a write transaction's group can take others: a read-only one cannot hold their writes.
    if (mode !== 'write') await this.flush();
    const tx = new WorkerTransaction(this.writer, { mode, deadline });
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
        // The worker committed the group (or it failed whole: `group` on the error) with this end.
        const mark = failure?.error as { group?: boolean; code?: string } | undefined;
        const lost = mark?.group === true || mark?.code === 'GROUP_LOST';
        if (!lost) this.commits.groups++;
        this.commits.transactions += (this.group?.members.length ?? 0) + (failure ? 0 : 1);
        this.settle(lost ? failure?.error : null);
        release();
        if (failure) throw failure.error;
        return;
      }
      const durable = !failure && tx.began ? this.join() : undefined;
      if (failure && tx.began) this.noteMember(failure.error);
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
          this.settle(
            Object.assign(new Error('The write was lost: the transaction it was to commit with failed'), {
              code: 'GROUP_LOST',
            }),
          );
        }
      } catch (error) {
        this.noteMember(error);
        throw error;
      } finally {
        await this.endTurn(mode, tx.began);
        release();
      }
    };
    if (scope) scope.tx = tx;
    return tx as unknown as Transaction;
  }

  /** This transaction's COMMIT is the group's: it is durable when the group has committed. */
  private join(): Promise<void> {
    this.group ??= { since: performance.now(), members: [] };
    const group = this.group;
    return new Promise<void>((resolve, reject) => {
      group.members.push({ resolve, reject });
    });
  }

  /** A member that failed: when the worker says the group's transaction went with it, so did the others. */
  private noteMember(error: unknown) {
    this.group ??= { since: performance.now(), members: [] };
    const mark = error as { code?: string; group?: boolean };
    if (mark.code === 'GROUP_LOST' || mark.group === true) this.settle(error);
  }

  /**
   * The end of a transaction's turn: the group stays open for the next transaction while one waits
   * (up to GROUP_MEMBERS of them, GROUP_MS since the first ended), else it commits now.
   */
  private async endTurn(mode: TransactionMode, began: boolean) {
    if (began) this.group ??= { since: performance.now(), members: [] };
    if (this.group && !this.keepsOpen(mode, 0)) await this.flush();
  }

  /** Whether the open group waits for the next transaction, counting `ending` members about to join. */
  private keepsOpen(mode: TransactionMode, ending: number) {
    const group = this.group;
    return (
      mode === 'write' &&
      this.queued.length > 0 &&
      // A slice of a long job may hold the writer for tens of milliseconds: not worth the wait.
      !this.queued[0]!.bulk &&
      (group?.members.length ?? 0) + ending <= GROUP_MEMBERS &&
      (!group || performance.now() - group.since < GROUP_MS)
    );
  }

  /** Commits the open group, if any, and tells its members. */
  private async flush() {
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

  private settle(error: unknown) {
    const members = this.group?.members ?? [];
    this.group = null;
    for (const member of members) {
      if (error) member.reject(error);
      else member.resolve();
    }
  }

  async sync(): Promise<undefined> {
    return undefined;
  }

  /** The writer reopens its connection by itself after a lock wait; nothing to do here. */
  async reconnect(): Promise<void> {}

  close() {
    if (this.closed) return;
    this.closed = true;
    this.writer.close();
    for (const reader of this.readers) reader.close();
  }

  private check() {
    if (this.closed) throw new LibsqlError('The client is closed', 'CLIENT_CLOSED');
  }
}
