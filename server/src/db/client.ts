import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Client, createClient, type InStatement, type ResultSet } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
import { migrate } from 'drizzle-orm/libsql/migrator';
import * as schema from './schema';

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

/**
 * Opens the database at `url` (an embedded `file:` or a libSQL server) and applies the migrations.
 * Only the async client interface is used, so the same code serves sqld and Turso.
 */
export async function openDatabase(
  url: string,
  authToken?: string,
  options: { busyTimeoutMs?: number } = {},
): Promise<DatabaseHandle> {
  const isFile = url.startsWith('file:');
  if (isFile) {
    const path = url.slice('file:'.length).split('?')[0]!;
    if (path && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  }
  // timeout: how long a writer waits for another connection's lock on an embedded file.
  const client = createClient({ url, authToken, timeout: options.busyTimeoutMs ?? 5000, concurrency: 4 });
  if (isFile) {
    // WAL lets readers proceed while a write transaction is open; the setting is stored in the file.
    await client.execute('PRAGMA journal_mode = WAL');
  }
  const db = drizzle(client, { schema });
  serializeTransactions(db, client);
  await migrate(db, { migrationsFolder: migrationsFolder() });
  return { db, client, close: () => client.close() };
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
function serializeTransactions(db: Database, client: Client) {
  const transaction = db.transaction.bind(db);
  let tail: Promise<unknown> = Promise.resolve();
  db.transaction = ((run, config) => {
    const result = tail.then(() => transaction(run, config));
    tail = result.catch((error) => {
      if (isDatabaseBusy(error)) client.reconnect();
    });
    return result;
  }) as Database['transaction'];
}

/**
 * Whether an error (or one it wraps: drizzle wraps the driver's) says the database is locked by
 * another connection past the busy timeout: a moment to retry, not a bug.
 */
export function isDatabaseBusy(error: unknown): boolean {
  for (let cause = error; cause; cause = (cause as { cause?: unknown }).cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) return true;
  }
  return false;
}
