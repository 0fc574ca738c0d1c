import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Client, createClient, type InStatement, type InValue, type ResultSet } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import { corruptMessage, databaseFile, openFailure, prepareDatabaseFile, StartupError } from './location';
import * as schema from './schema';
import { SqlitePool, toValues, transactionScope } from './sqlite-pool';

export type Database = LibSQLDatabase<typeof schema>;
/** A database handle or an open transaction on it: both run the same queries. */
export type Executor = Database | Parameters<Parameters<Database['transaction']>[0]>[0];

/** Runs one statement with its parameters as given: the libSQL connection under an `Executor`. */
export interface StatementRunner {
  execute(statement: InStatement): Promise<ResultSet>;
}

/**
 * The libSQL client or open transaction under a drizzle handle, for the few bulk statements whose
 * parameters are laid out by hand: drizzle's SQL builder costs ~5 us a row there, more than the
 * database itself (a million-lead rescore: 5 s of 40). drizzle 0.45 has no public accessor (its
 * session keeps them private), so this is the one place that knows, and it fails loudly if that
 * ever changes (the rescore tests run through it).
 */
export function statementRunner(executor: Executor): StatementRunner {
  const session = (executor as unknown as { session?: { tx?: unknown; client?: unknown } }).session;
  const runner = (session?.tx ?? session?.client) as Partial<StatementRunner> | undefined;
  if (typeof runner?.execute !== 'function') {
    throw new Error('No libSQL connection found under this drizzle handle: has drizzle-orm changed?');
  }
  return runner as StatementRunner;
}

/**
 * A read's rows as arrays of values in column order: from the embedded file's reader as the worker
 * sent them (no row objects built), from a libSQL server or inside a transaction by converting.
 */
export async function readRows(executor: Executor, stmt: { sql: string; params: unknown[] }) {
  const runner = statementRunner(executor) as StatementRunner & {
    readRows?: (stmt: { sql: string; args: InValue[] }) => Promise<unknown[][]>;
  };
  const args = stmt.params as InValue[];
  if (typeof runner.readRows === 'function') return runner.readRows({ sql: stmt.sql, args });
  return (await runner.execute({ sql: stmt.sql, args })).rows.map(toValues);
}

/**
 * Runs a write whose result nobody reads, as late as the transaction allows: in a transaction on the
 * embedded file it is sent with the transaction's next statement or its COMMIT (one round trip to
 * the writer thread less); anywhere else (a libSQL server, outside a transaction) it runs now.
 */
export async function deferWrite(executor: Executor, stmt: { sql: string; params: unknown[] }) {
  const runner = statementRunner(executor) as StatementRunner & {
    defer?: (stmt: { sql: string; args: InValue[] }) => void;
  };
  const args = stmt.params as InValue[];
  if (typeof runner.defer === 'function') runner.defer({ sql: stmt.sql, args });
  else await runner.execute({ sql: stmt.sql, args });
}

export interface DatabaseHandle {
  db: Database;
  client: Client;
  close(): void;
}

/**
 * `server/drizzle`, found upwards from this module: it is `src/db/` when run from source and
 * `dist/` when run from the bundle that `pnpm build` makes.
 */
function migrationsFolder(from = dirname(fileURLToPath(import.meta.url))): string {
  const candidate = join(from, 'drizzle');
  if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
  const parent = dirname(from);
  if (parent === from) throw new Error('The drizzle migrations folder (server/drizzle) was not found');
  return migrationsFolder(parent);
}

/** How long a libSQL server may take to answer the first statement before start-up gives up. */
const REMOTE_TIMEOUT_MS = 10_000;

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out: ${message}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** How long a write waits for another process's write lock before it is refused with 503 busy. */
const DEFAULT_BUSY_BUDGET_MS = 2000;

/**
 * Opens the database at `url` (an embedded `file:` or a libSQL server) and applies the migrations.
 * An embedded file is served by worker threads (sqlite-pool.ts), so no statement ever runs on the
 * thread that serves requests; a libSQL server's client is asynchronous already and is used as is.
 * Both are the same `Client` to drizzle, so the same code serves sqld and Turso.
 */
export async function openDatabase(
  url: string,
  authToken?: string,
  options: { busyTimeoutMs?: number } = {},
): Promise<DatabaseHandle> {
  // Refuses, with one line naming DATABASE_URL, what would fail later or lose data: no path, a
  // folder, a read-only place, a corrupt file, a server that does not answer.
  const file = databaseFile(url);
  if (file) prepareDatabaseFile(file);
  const query = url.includes('?') ? url.slice(url.indexOf('?')) : '';
  const busyBudgetMs = options.busyTimeoutMs ?? DEFAULT_BUSY_BUDGET_MS;
  let client: Client;
  try {
    client =
      file && !query
        ? await SqlitePool.open(file, { busyBudgetMs })
        : createClient({
            url: file ? `file:${file}${query}` : url,
            authToken,
            timeout: busyBudgetMs,
            concurrency: 4,
          });
  } catch (error) {
    const line = openFailure(error, url, file);
    throw line ? new StartupError(line, { cause: error }) : error;
  }
  let db: Database;
  try {
    if (file) {
      // WAL lets readers proceed while a write transaction is open; the setting is stored in the file.
      await client.execute('PRAGMA journal_mode = WAL');
      const check = await client.execute('PRAGMA quick_check(1)');
      const verdict = String(check.rows[0]?.[0] ?? 'no answer')
        .replace(/\s+/g, ' ')
        .trim();
      if (verdict !== 'ok') throw new StartupError(corruptMessage(file, `quick_check: ${verdict}`));
    } else {
      await withTimeout(client.execute('select 1'), REMOTE_TIMEOUT_MS, 'no answer within 10 s');
    }
    await client.execute('PRAGMA foreign_keys = ON');
    await assertForeignKeys(client);
    db = drizzle(client, { schema });
    serializeTransactions(db, client, busyBudgetMs);
    await migrate(db, { migrationsFolder: migrationsFolder() });
  } catch (error) {
    client.close();
    if (error instanceof StartupError) throw error;
    const line = openFailure(error, url, file);
    throw line ? new StartupError(line, { cause: error }) : error;
  }
  return { db, client, close: () => client.close() };
}

/**
 * The integrity rule: the database enforces foreign keys, and deleting a lead cascades to its
 * touchpoints and stage changes (`onDelete: 'cascade'` in schema.ts); code deletes only what has no
 * foreign key (the lead's events). libSQL enforces them by default, embedded and on sqld; opening a
 * database asks for it anyway and refuses a connection where it is off, where a delete would leave
 * orphans behind.
 */
export async function assertForeignKeys(client: Pick<Client, 'execute'>) {
  const { rows } = await client.execute('PRAGMA foreign_keys');
  if (Number(rows[0]?.[0]) !== 1) {
    throw new Error(
      'This database does not enforce foreign keys (PRAGMA foreign_keys = 0): Leadline relies on them to delete a lead with its touchpoints and stage changes',
    );
  }
}

/**
 * Runs this process's write transactions one at a time. The embedded driver waits for a lock
 * synchronously, so a second `BEGIN IMMEDIATE` on another connection would block the event loop
 * that the first transaction needs to finish (a deadlock until the busy timeout). SQLite has one
 * writer at a time anyway; other processes on the same file still wait through the busy timeout,
 * and a libSQL server orders concurrent writers itself. Every write therefore goes through
 * `db.transaction`.
 *
 * When another process held the lock past the busy timeout, the embedded driver leaves the failed
 * statement open on its pooled connection, and every later COMMIT there fails ("SQL statements in
 * progress"). The pool is reopened then, before the next write: no write of this process is open
 * at that moment, so nothing is lost.
 */
function serializeTransactions(db: Database, client: Client, busyBudgetMs: number) {
  const transaction = db.transaction.bind(db);
  const pooled = client instanceof SqlitePool;
  let tail: Promise<unknown> = Promise.resolve();
  db.transaction = ((run, config) => {
    // The busy budget counts from the request, not from its turn: while another process holds the
    // lock, every queued write is refused within the budget instead of one budget after another.
    const deadline = Date.now() + busyBudgetMs;
    const attempt = async (optimistic: boolean) => {
      const committed: (() => void)[] = [];
      const value = await transactionScope.run({ deadline, optimistic }, () =>
        transaction((tx) => {
          commitHooks.set(tx, committed);
          return run(tx);
        }, config),
      );
      return { value, committed };
    };
    // What an optimistic try read changed before it could write: nothing of it was written, and
    // the work runs again holding the lock from its first statement.
    const begin = () =>
      pooled && optimisticScope.getStore() === true
        ? attempt(true).catch((error) => {
            if (hasSqliteCode(error, 'OPTIMISTIC_CONFLICT')) return attempt(false);
            throw error;
          })
        : attempt(false);
    // The embedded pool queues its transactions itself, and must see them queued to commit them
    // together (sqlite-pool.ts); a libSQL server's client is given one at a time.
    const result = pooled ? begin() : tail.then(begin);
    if (!pooled) {
      tail = result.catch((error) => {
        if (isDatabaseBusy(error)) client.reconnect();
      });
    }
    // Only once the transaction has committed: a rolled-back write announces nothing.
    return result.then(({ value, committed }) => {
      for (const hook of committed) {
        try {
          hook();
        } catch (error) {
          console.error('after-commit hook failed:', error);
        }
      }
      return value;
    });
  }) as Database['transaction'];
}

const optimisticScope = new AsyncLocalStorage<true>();

/**
 * Runs `work` with its write transactions optimistic on the embedded file (optimistic-transaction.ts):
 * their reads run outside the write lock, and their deferred writes are sent with a check of those
 * reads in one message at the end, so the writer is never held while this thread computes. For
 * short transactions that read a few rows and then write (a touchpoint); one whose reads changed
 * meanwhile runs again as an ordinary transaction, so `work` must do nothing but database work.
 */
export function optimistically<T>(work: () => T): T {
  return optimisticScope.run(true, work);
}

/** What runs after each open write transaction commits, by its transaction handle. */
const commitHooks = new WeakMap<object, (() => void)[]>();

/**
 * Runs `hook` once the write transaction `executor` belongs to has committed (once per transaction,
 * however often it is asked), or at once when `executor` is the database itself (an autocommitted
 * statement, already committed). Every write transaction of this process is one of
 * `db.transaction`'s (nothing here opens savepoints), so a write never has to announce itself.
 */
export function afterCommit(executor: Executor, hook: () => void) {
  const hooks = commitHooks.get(executor);
  if (!hooks) {
    queueMicrotask(hook);
    return;
  }
  if (!hooks.includes(hook)) hooks.push(hook);
}

/**
 * Whether an error (or one it wraps: drizzle wraps the driver's) says the database is locked by
 * another connection past the busy timeout: a moment to retry, not a bug.
 */
export function isDatabaseBusy(error: unknown): boolean {
  return hasSqliteCode(error, 'SQLITE_BUSY');
}

/**
 * Whether an error says the write's group commit was lost with another member's failure (see
 * sqlite-pool.ts): nothing of it was saved.
 */
export function isGroupLost(error: unknown): boolean {
  return hasSqliteCode(error, 'GROUP_LOST');
}

/** Whether an error says the disk (or the server's storage) is full: SQLite's SQLITE_FULL. */
export function isDatabaseFull(error: unknown): boolean {
  return hasSqliteCode(error, 'SQLITE_FULL');
}

function hasSqliteCode(error: unknown, prefix: string): boolean {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith(prefix)) return true;
  }
  return false;
}
