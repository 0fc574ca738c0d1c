import {
  type InArgs,
  type InStatement,
  LibsqlError,
  type ResultSet,
  type TransactionMode,
} from '@libsql/client';
import { type Connection, toResultSet, type WorkerResult } from './worker-connection';

/** A statement that only reads, by its first word: it may go to a reader connection. */
export const READ = /^\s*(select|with)\b/i;

/** A transaction's batch: its statements one after another, in it (a batch of its own would not be). */
export async function executeEach(
  tx: { execute(stmt: InStatement): Promise<ResultSet> },
  stmts: InStatement[],
): Promise<ResultSet[]> {
  const results: ResultSet[] = [];
  for (const stmt of stmts) results.push(await tx.execute(stmt));
  return results;
}

/** Reads run outside the lock, with their results' digests, and the caches' version they saw. */
export interface ReadCheck {
  reads: { stmt: { sql: string; args?: InArgs }; digest: string }[];
  cacheVersion?: number;
}

export function normalize(stmtOrSql: InStatement | string, args?: InArgs): { sql: string; args?: InArgs } {
  return typeof stmtOrSql === 'string' ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
}

/**
 * A write to a table whose triggers bump `cache_versions` (migration 0012 and later; no trigger of
 * another table writes to these): a deferred one leaves the caches' version unknown until it runs.
 */
export const CACHED_TABLE_WRITE =
  /^\s*(insert(\s+or\s+\w+)?\s+into|replace\s+into|update|delete\s+from)\s+["`]?(api_tokens|routing_rules|scoring_models|team_members|teams|users|workspaces)\b/i;

/**
 * The one open transaction on the writer connection. Its BEGIN travels with its first statement
 * (one message less per write); a transaction that runs no statement never begins.
 */
export class WorkerTransaction {
  private open = true;
  private begun = false;
  /** Writes whose results nobody reads, sent ahead of the next statement or with the COMMIT. */
  private deferred: { sql: string; args?: InArgs }[] = [];
  /** What an optimistic transaction read before this one began, checked with its BEGIN. */
  private readCheck: ReadCheck | undefined;

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
      validate: this.takeCheck(),
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

  /**
   * Makes this transaction the continuation of an optimistic one (optimistic-transaction.ts): its
   * first message checks, under the lock, that what was read outside it is still so.
   */
  continues(check: ReadCheck, deferred: { sql: string; args?: InArgs }[]) {
    this.readCheck = check;
    this.deferred.push(...deferred);
  }

  private takeCheck() {
    const check = this.readCheck;
    this.readCheck = undefined;
    return check;
  }

  private takeDeferred() {
    if (!this.deferred.length) return undefined;
    const taken = this.deferred;
    this.deferred = [];
    return taken;
  }

  batch(stmts: InStatement[]): Promise<ResultSet[]> {
    return executeEach(this, stmts);
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
    if (!this.begun && !before && !this.readCheck) return;
    const begin = this.begun ? undefined : this.begin.mode;
    this.begun = true;
    await this.writer.call({
      op: 'commit',
      validate: this.takeCheck(),
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
