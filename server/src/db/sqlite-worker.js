// @ts-check
/**
 * One SQLite connection to the embedded database file, in a worker thread (see sqlite-pool.ts and
 * docs/design.md, "The request thread never waits on the database"). The embedded driver runs every
 * statement synchronously, lock waits included; here that blocks this thread only, never the one
 * serving requests. Plain JavaScript, so the same file runs under tsx, vitest and the built server.
 *
 * Messages in: { id, op, ... } (see `handle`); out: { id, result } or { id, error }.
 */
import { createHash } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'libsql';
import { lowerThreadPriority } from '../lib/thread-priority.js';

/**
 * @type {{ path: string, role: 'writer' | 'reader', busySliceMs: number, retryEveryMs: number,
 *   niceness?: number }}
 */
const config = workerData;
const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);

/** @type {Database.Database | null} */
let db = null;
/** Prepared statements by SQL text: preparing costs more than running most of these statements. */
let statements = new Map();
const MAX_STATEMENTS = 500;

function open() {
  // `timeout` is SQLite's busy timeout: a short synchronous wait, retried below without blocking
  // this thread's message loop for long.
  const connection = new Database(config.path, { timeout: config.busySliceMs });
  connection.exec('PRAGMA foreign_keys = ON');
  // The pool checkpoints from a reader (`checkpoint` below): the writer's COMMIT only does when
  // the log has grown this far all the same, so it stays bounded if those checkpoints lag.
  if (config.role === 'writer' && config.autocheckpointPages)
    connection.exec(`PRAGMA wal_autocheckpoint = ${config.autocheckpointPages}`);
  if (config.role === 'reader') connection.exec('PRAGMA query_only = ON');
  return connection;
}

function connection() {
  db ??= open();
  return db;
}

/**
 * Closes and reopens the connection. Needed after SQLITE_BUSY: the failed statement stays open
 * until it is garbage-collected and keeps a read snapshot from before the other writer's commit,
 * so every later `BEGIN IMMEDIATE` on this connection fails at once with SQLITE_BUSY (the ~1.2 s
 * tail in KNOWN.md: it lasts until a GC finalizes that statement).
 */
function reopen() {
  statements = new Map();
  try {
    db?.close();
  } catch {
    // a connection that cannot close is dropped all the same
  }
  db = null;
}

function prepare(sql) {
  let statement = statements.get(sql);
  if (!statement) {
    statement = connection().prepare(sql);
    statement.safeIntegers(true);
    if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value);
    statements.set(sql, statement);
  }
  return statement;
}

const MIN_SAFE = -9007199254740991n;
const MAX_SAFE = 9007199254740991n;

function fromSql(value) {
  if (typeof value === 'bigint') {
    if (value < MIN_SAFE || value > MAX_SAFE) {
      throw new RangeError('Received integer which cannot be safely represented as a JavaScript number');
    }
    return Number(value);
  }
  if (Buffer.isBuffer(value))
    return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

function toSql(value) {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new RangeError('Only finite numbers (not Infinity or NaN) can be passed as arguments');
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError('undefined cannot be passed as argument to the database');
  return value;
}

function args(input) {
  if (input === undefined) return [];
  if (Array.isArray(input)) return input.map(toSql);
  const named = {};
  for (const name of Object.keys(input)) {
    named['@$:'.includes(name[0]) ? name.slice(1) : name] = toSql(input[name]);
  }
  return named;
}

/** A statement's result as plain data (rows as arrays); sqlite-pool.ts makes libSQL rows of them. */
function execute(stmt) {
  const statement = prepare(typeof stmt === 'string' ? stmt : stmt.sql);
  const bound = typeof stmt === 'string' ? [] : args(stmt.args);
  // A reader connection refuses writes (PRAGMA query_only), so a write sent there by mistake is
  // sent to the writer instead, never half applied.
  if (!statement.reader) {
    if (config.role === 'reader') throw notARead();
    const info = statement.run(bound);
    return {
      columns: [],
      columnTypes: [],
      rows: [],
      rowsAffected: info.changes,
      lastInsertRowid: BigInt(info.lastInsertRowid),
    };
  }
  const columns = statement.columns();
  let rows;
  try {
    rows = statement.raw(true).all(bound);
  } catch (error) {
    if (config.role === 'reader' && error?.code?.startsWith('SQLITE_READONLY')) throw notARead();
    throw error;
  }
  return {
    columns: columns.map((column) => column.name),
    columnTypes: columns.map((column) => column.type ?? ''),
    rows: rows.map((row) => row.map(fromSql)),
    rowsAffected: 0,
    lastInsertRowid: undefined,
  };
}

/**
 * A read's result in a few bytes: what an optimistic transaction read on a reader, compared with
 * the same read run again on the writer before its writes (see `validate`).
 */
function digest(result) {
  const hash = createHash('sha1');
  hash.update(result.columns.join('\u0000'));
  for (const row of result.rows) {
    for (const value of row) {
      // The type and the value: 1 and '1' differ, and so do null and 'null'.
      if (value === null) hash.update('\u0001n');
      else if (value instanceof ArrayBuffer) hash.update('\u0001b').update(Buffer.from(value));
      else hash.update(`\u0001${(typeof value)[0]}${String(value)}`);
    }
    hash.update('\u0002');
  }
  return hash.digest('base64');
}

/**
 * An optimistic transaction (optimistic-transaction.ts) read on readers, outside any lock; its
 * writes come with this check, run first once the writer holds the lock: every read gives the same
 * result again and the caches' version is the one it saw, or nothing of it is written.
 */
function validate(check) {
  if (!check) return;
  const stale =
    (check.cacheVersion !== undefined && cacheVersion() !== check.cacheVersion) ||
    check.reads.some((read) => digest(execute(read.stmt)) !== read.digest);
  if (stale) {
    throw Object.assign(new Error('What this transaction read has changed since: it runs again'), {
      code: 'OPTIMISTIC_CONFLICT',
    });
  }
}

function notARead() {
  return Object.assign(new Error('not a read: send it to the writer'), { code: 'NOT_A_READ' });
}

function batch(stmts, begin) {
  const results = [];
  connection().exec(begin);
  try {
    for (const stmt of stmts)
      results.push(execute(Array.isArray(stmt) ? { sql: stmt[0], args: stmt[1] } : stmt));
    connection().exec('COMMIT');
  } catch (error) {
    if (db?.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
  return results;
}

function migrate(stmts) {
  connection().exec('PRAGMA foreign_keys = OFF');
  try {
    return batch(stmts, 'BEGIN DEFERRED');
  } finally {
    connection().exec('PRAGMA foreign_keys = ON');
  }
}

const BEGIN = { write: 'BEGIN IMMEDIATE', read: 'BEGIN TRANSACTION READONLY', deferred: 'BEGIN DEFERRED' };

function isBusy(error) {
  return typeof error?.code === 'string' && error.code.startsWith('SQLITE_BUSY');
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` and, while another connection holds the write lock, tries again every few
 * milliseconds on a fresh connection until `deadline` (epoch ms); then the SQLITE_BUSY goes back.
 * Only for work that starts outside a transaction: nothing of it is left applied when it fails.
 */
async function withRetry(work, deadline) {
  for (;;) {
    try {
      return work();
    } catch (error) {
      if (!isBusy(error)) throw error;
      reopen();
      if (Date.now() + config.retryEveryMs > deadline) throw error;
      await sleep(config.retryEveryMs);
    }
  }
}

/**
 * The caches' version (versioned-cache.ts) as this transaction sees it after its statement: sent
 * with every answer in a transaction, so a cache checked there needs no round trip of its own.
 * Undefined before the migration that makes the table.
 */
function cacheVersion() {
  try {
    const row = prepare('select version from cache_versions where id = 1').raw(true).get();
    return row === undefined ? undefined : Number(row[0]);
  } catch {
    return undefined;
  }
}

/**
 * Whether an outer transaction is open that holds transactions already ended here (released
 * savepoints) whose COMMIT is still to come: the pool's group commit (sqlite-pool.ts). Each of the
 * pool's transactions is a savepoint `member` inside it, so one can roll back alone; `flush` commits
 * them all with one COMMIT, one fsync.
 */
let outer = false;

function groupLost() {
  outer = false;
  return Object.assign(new Error('The write was lost: the transaction it was to commit with failed'), {
    code: 'GROUP_LOST',
  });
}

async function beginMember(mode, deadline) {
  if (outer && !db?.inTransaction) throw groupLost();
  if (!outer) {
    await withRetry(() => connection().exec(BEGIN[mode]), deadline);
    outer = true;
  }
  connection().exec('SAVEPOINT member');
}

/**
 * Undoes the current member only; the others in the outer transaction stay. True when SQLite had
 * already rolled back the whole outer transaction (a full disk, an I/O error): the others are lost.
 */
function rollbackMember() {
  if (!db?.inTransaction) {
    const lost = outer;
    outer = false;
    return lost;
  }
  db.exec('ROLLBACK TO member');
  db.exec('RELEASE member');
  return false;
}

function flush() {
  if (!outer) return;
  if (!db?.inTransaction) throw groupLost();
  outer = false;
  try {
    db.exec('COMMIT');
  } catch (error) {
    // A COMMIT that fails (a full disk) leaves nothing half done: the transaction is over.
    if (db?.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}

/** `flush` with the commit of the last member: its failure is the group's, marked so for the pool. */
function flushGroup() {
  try {
    flush();
  } catch (error) {
    throw Object.assign(error, { group: true });
  }
}

async function handle(message) {
  switch (message.op) {
    case 'execute':
      if (message.begin) await beginMember(message.begin, message.deadline);
      if (message.inTransaction) {
        assertInTransaction();
        validate(message.validate);
        // Writes the transaction deferred (their results unread) run first, in order.
        for (const stmt of message.before ?? []) execute(stmt);
        const result = execute(message.stmt);
        result.cacheVersion = cacheVersion();
        return result;
      }
      if (config.role === 'reader') {
        const result = execute(message.stmt);
        if (message.digest) {
          result.digest = digest(result);
          result.cacheVersion = cacheVersion();
        }
        return result;
      }
      return withRetry(() => execute(message.stmt), message.deadline);
    case 'batch':
      return withRetry(() => batch(message.stmts, BEGIN[message.mode ?? 'deferred']), message.deadline);
    case 'migrate':
      return withRetry(() => migrate(message.stmts), message.deadline);
    case 'executeMultiple':
      connection().exec(message.sql);
      return null;
    case 'commit':
      // The member ends; its COMMIT is the group's (`flush`).
      if (message.begin) await beginMember(message.begin, message.deadline);
      assertInTransaction();
      try {
        validate(message.validate);
        for (const stmt of message.before ?? []) execute(stmt);
      } catch (error) {
        // The member's own error, marked when it took the whole group with it.
        if (rollbackMember()) throw Object.assign(error, { group: true });
        if (message.flush) flushGroup();
        throw error;
      }
      connection().exec('RELEASE member');
      if (message.flush) flushGroup();
      return null;
    case 'rollback':
      return { lost: rollbackMember() };
    case 'flush':
      flush();
      return null;
    case 'checkpoint':
      // PASSIVE: copies what no reader still needs back into the file, never waits for a lock.
      return connection().prepare('PRAGMA wal_checkpoint(PASSIVE)').raw(true).get();
    case 'reopen':
      outer = false;
      reopen();
      return null;
    case 'close':
      outer = false;
      reopen();
      return null;
    default:
      throw new Error(`unknown operation ${message.op}`);
  }
}

/**
 * A statement of a transaction that is not open (its BEGIN or COMMIT failed) must not run on its
 * own as an autocommitted write.
 */
function assertInTransaction() {
  if (!db?.inTransaction)
    throw Object.assign(new Error('The transaction is closed'), { code: 'TRANSACTION_CLOSED' });
}

function errorData(error) {
  return {
    name: error?.name,
    message: error instanceof Error ? error.message : String(error),
    code: error?.code,
    rawCode: error?.rawCode,
    group: error?.group === true,
  };
}

// One message at a time, in order: a transaction's statements arrive one after another anyway.
let queue = Promise.resolve();
port.on('message', (message) => {
  queue = queue.then(async () => {
    try {
      port.postMessage({ id: message.id, result: await handle(message) });
    } catch (error) {
      // A connection left inside a transaction by a failed statement outside one is reset.
      if (!message.inTransaction && db?.inTransaction) {
        outer = false;
        try {
          db.exec('ROLLBACK');
        } catch {
          reopen();
        }
      }
      port.postMessage({ id: message.id, error: errorData(error) });
    }
  });
});

try {
  connection();
  // Only once the connection is open: libsql starts its runtime's threads (tokio) in the first
  // thread that opens one, and a thread inherits the priority of the thread that starts it, so
  // lowered first, the heavy reader would lower them for every connection of the process.
  if (config.niceness) lowerThreadPriority(config.niceness);
  port.postMessage({ id: 0, result: 'ready' });
} catch (error) {
  port.postMessage({ id: 0, error: errorData(error) });
}
