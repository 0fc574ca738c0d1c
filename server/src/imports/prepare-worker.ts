import { parentPort } from 'node:worker_threads';
import type { ImportTarget } from '@leadline/shared';
import { lowerThreadPriority } from '../lib/thread-priority.js';
import { prepareRow } from './prepare';

/**
 * The thread that normalises import rows (`prepare-pool.ts`): each message is a page of staged
 * rows and the mapping, each answer the page prepared, in order.
 */
export interface PrepareRequest {
  id: number;
  rows: readonly { rowNo: number; line: number; cells: readonly string[] }[];
  headers: readonly string[];
  mapping: readonly ImportTarget[];
}

/**
 * An import is a background job: on a busy machine its normalising takes what the request thread,
 * the writer and the panel's reader leave, as the heavy reader's analytics do (nice 10, Linux).
 */
const IMPORT_NICENESS = 10;
lowerThreadPriority(IMPORT_NICENESS);

parentPort?.on('message', ({ id, rows, headers, mapping }: PrepareRequest) => {
  try {
    parentPort?.postMessage({ id, prepared: rows.map((row) => prepareRow(row, headers, mapping)) });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
