// @ts-check
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';

/**
 * Lowers the calling thread's CPU priority by `niceness` (Linux nice levels: at 10 a thread gets
 * about a tenth of what one at 0 gets when both want a core). Linux schedules threads by their own
 * id, which /proc/thread-self names; elsewhere (no /proc, or no permission) the thread keeps the
 * process's priority. Threads this one starts afterwards inherit the lower priority.
 *
 * Plain JavaScript: the database worker (sqlite-worker.js) runs without a TypeScript loader.
 *
 * @param {number} niceness
 */
export function lowerThreadPriority(niceness) {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, niceness);
  } catch {
    // The same priority as the rest of the process.
  }
}
