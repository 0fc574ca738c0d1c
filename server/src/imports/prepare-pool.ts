import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { ImportTarget } from '@leadline/shared';
import type { PreparedRow } from './prepare';
import type { PrepareRequest } from './prepare-worker';

/**
 * The thread import rows are normalised on, off the thread that serves requests: a page of 500
 * rows costs 30-70 ms of names, phones (libphonenumber), URLs and the lead schema, which on the
 * request thread showed as the import's longest event-loop stalls. One thread a process, started
 * at the first page and kept while it has work; it does not keep the process alive.
 *
 * From the bundle (`node dist/index.js`) it runs `dist/prepare-worker.js`; from the source tree
 * (tsx, vitest) it runs `prepare-worker.ts` through tsx's loader, registered inside the thread.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) {
    const bundled = new URL('./prepare-worker.js', import.meta.url);
    if (!existsSync(bundled))
      throw new Error(`The import worker ${bundled.pathname} is missing (pnpm build writes it)`);
    return new Worker(bundled, { execArgv: [] });
  }
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./prepare-worker.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, execArgv: [] });
}

type Pending = { resolve(rows: PreparedRow[]): void; reject(error: Error): void };

class PreparePool {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  prepare(request: Omit<PrepareRequest, 'id'>): Promise<PreparedRow[]> {
    const worker = this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.pending.size === 0) worker.ref();
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } satisfies PrepareRequest);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    worker.on('message', (message: { id: number; prepared?: PreparedRow[]; error?: string }) => {
      const call = this.pending.get(message.id);
      if (!call) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.prepared) call.resolve(message.prepared);
      else call.reject(new Error(`Preparing import rows failed: ${message.error}`));
    });
    // A thread that failed or exited is replaced at the next page; its pages fail, and the import
    // with them, with the reason (never a page silently left unprepared).
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new Error(`The import worker failed: ${error.message}`)));
    worker.on('exit', (code) => fail(new Error(`The import worker exited (code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

const pool = new PreparePool();

/** Prepares a page of staged rows on the import thread: the same rows `prepareRow` gives, in order. */
export function prepareRows(
  rows: readonly { rowNo: number; line: number; cells: readonly string[] }[],
  headers: readonly string[],
  mapping: readonly ImportTarget[],
): Promise<PreparedRow[]> {
  if (!rows.length) return Promise.resolve([]);
  // postMessage copies them (structured clone): no copy of our own first.
  return pool.prepare({ rows, headers, mapping });
}
