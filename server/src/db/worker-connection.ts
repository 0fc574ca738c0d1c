import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { LibsqlError, type ResultSet, type Row } from '@libsql/client';

/**
 * One SQLite connection in a worker thread (sqlite-worker.js), and the conversion of what it sends
 * back into libSQL's own shapes: rows, result sets, errors with their SQLite codes.
 */

export interface WorkerResult {
  columns: string[];
  columnTypes: string[];
  rows: unknown[][];
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
  /** In a write transaction: the caches' version as the transaction sees it after this statement. */
  cacheVersion?: number;
}

interface ErrorData {
  name?: string;
  message: string;
  code?: string;
  rawCode?: number;
  /** The error ended the group commit's transaction: every transaction waiting in it failed. */
  group?: boolean;
}

export type Message = { op: string; [key: string]: unknown };

/** The worker's file: beside this module in the source tree and beside the bundle in dist/. */
function workerFile(): URL {
  const url = new URL('./sqlite-worker.js', import.meta.url);
  if (!existsSync(url))
    throw new Error(`The database worker ${url.pathname} is missing (pnpm build copies it)`);
  return url;
}

export interface ConnectionOptions {
  /** This thread's CPU priority below the process's (Linux nice levels; 0 keeps it). */
  niceness?: number;
  /** The writer's `wal_autocheckpoint`, when checkpoints are run elsewhere (sqlite-pool.ts). */
  autocheckpointPages?: number;
  /** Called after each answer from the worker. */
  answered?: () => void;
}

/** One connection in one worker thread; calls are answered in order. */
export class Connection {
  readonly worker: Worker;
  readonly ready: Promise<void>;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  /** The worker has exited: nothing sent to it would ever be answered. */
  private gone = false;
  private readonly answered: (() => void) | undefined;

  constructor(path: string, role: 'writer' | 'reader', options: ConnectionOptions = {}) {
    const { niceness = 0, autocheckpointPages, answered } = options;
    this.answered = answered;
    this.worker = new Worker(workerFile(), {
      workerData: { path, role, busySliceMs: 10, retryEveryMs: 20, niceness, autocheckpointPages },
      // Plain JavaScript: none of the parent's loaders (tsx) need to start in each worker.
      execArgv: [],
    });
    this.ready = new Promise((resolve, reject) => {
      this.pending.set(0, { resolve: () => resolve(), reject });
    });
    this.worker.on('message', (message: { id: number; result?: unknown; error?: ErrorData }) => {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) this.worker.unref();
      if (message.error) call.reject(toError(message.error));
      else call.resolve(message.result);
      this.answered?.();
    });
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', () => {
      this.gone = true;
      this.failAll(new LibsqlError('The client is closed', 'CLIENT_CLOSED'));
    });
  }

  get load() {
    return this.pending.size;
  }

  call<T>(message: Message): Promise<T> {
    if (this.gone) return Promise.reject(new LibsqlError('The client is closed', 'CLIENT_CLOSED'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      // A worker with nothing to do does not keep the process alive; one with a call does.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private failAll(error: Error) {
    for (const call of this.pending.values()) call.reject(error);
    this.pending.clear();
  }

  close() {
    void this.worker.terminate();
  }
}

function toError(data: ErrorData): Error {
  const error = toPlainError(data);
  return data.group ? Object.assign(error, { group: true }) : error;
}

function toPlainError(data: ErrorData): Error {
  if (data.code === 'NOT_A_READ') return Object.assign(new Error(data.message), { code: data.code });
  if (data.code?.startsWith('SQLITE_')) {
    // libSQL's own shape: the base code, the extended one and the number.
    const base =
      data.rawCode === undefined ? data.code : (SQLITE_BASE_CODES[data.rawCode & 0xff] ?? data.code);
    return new LibsqlError(data.message, base, data.code, data.rawCode);
  }
  const error = data.name === 'RangeError' ? new RangeError(data.message) : new Error(data.message);
  return data.code ? Object.assign(error, { code: data.code }) : error;
}

const SQLITE_BASE_CODES: Record<number, string> = {
  1: 'SQLITE_ERROR',
  4: 'SQLITE_ABORT',
  5: 'SQLITE_BUSY',
  6: 'SQLITE_LOCKED',
  8: 'SQLITE_READONLY',
  10: 'SQLITE_IOERR',
  11: 'SQLITE_CORRUPT',
  13: 'SQLITE_FULL',
  14: 'SQLITE_CANTOPEN',
  19: 'SQLITE_CONSTRAINT',
  20: 'SQLITE_MISMATCH',
  25: 'SQLITE_RANGE',
  26: 'SQLITE_NOTADB',
};

const VALUES = Symbol('values');

/**
 * A class for the rows of one result: libSQL's row shape (values by index, with `length`, and by
 * column name, enumerable), with the index getters on the prototype. Defining a property per value
 * per row, as the client does, cost ~2 s of the event loop for 100,000 rows of six columns here;
 * this, a fifth of it.
 */
function rowClass(columns: string[]) {
  // The first of each name wins and a name that is also an index is left to it, as in the client;
  // `length` is a column's name on the row itself.
  const named = columns.flatMap((column, i) =>
    columns.indexOf(column) === i && !(/^\d+$/.test(column) && Number(column) < columns.length) ? [i] : [],
  );
  const plain = columns.map((column) => column !== 'length');
  class WorkerRow {
    constructor(values: unknown[]) {
      Object.defineProperty(this, VALUES, { value: values });
      for (const i of named) {
        const column = columns[i]!;
        if (plain[i]) (this as Record<string, unknown>)[column] = values[i];
        else
          Object.defineProperty(this, column, {
            value: values[i],
            enumerable: true,
            configurable: true,
            writable: true,
          });
      }
    }
  }
  Object.defineProperty(WorkerRow.prototype, 'length', { value: columns.length });
  for (let i = 0; i < columns.length; i++) {
    Object.defineProperty(WorkerRow.prototype, i, {
      get(this: { [VALUES]: unknown[] }) {
        return this[VALUES][i];
      },
    });
  }
  return WorkerRow;
}

/** Row classes by their columns: the same few queries run all day, and a class costs more than a row. */
const rowClasses = new Map<string, ReturnType<typeof rowClass>>();
const MAX_ROW_CLASSES = 500;

function rowClassFor(columns: string[]) {
  const key = columns.join('\u0000');
  let found = rowClasses.get(key);
  if (!found) {
    found = rowClass(columns);
    if (rowClasses.size >= MAX_ROW_CLASSES) rowClasses.delete(rowClasses.keys().next().value!);
    rowClasses.set(key, found);
  }
  return found;
}

export function toResultSet(result: WorkerResult): ResultSet {
  const ResultRow = result.rows.length ? rowClassFor(result.columns) : null;
  const rows = ResultRow ? result.rows.map((values) => new ResultRow(values) as unknown as Row) : [];
  return {
    columns: result.columns,
    columnTypes: result.columnTypes,
    rows,
    rowsAffected: result.rowsAffected,
    lastInsertRowid: result.lastInsertRowid,
    toJSON: () => ({ ...result, lastInsertRowid: result.lastInsertRowid?.toString() }),
  };
}
