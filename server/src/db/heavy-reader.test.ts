import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createTestApp } from '../test-utils';

/**
 * The nice level of each thread of this process (of those named `name`), from /proc (Linux: where
 * the priority is set).
 */
function threadNiceness(name?: string): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      if (name && stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== name) return [];
      // Fields after the command's closing parenthesis start at the 3rd (state); nice is the 19th.
      return [Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16])];
    } catch {
      return []; // the thread ended while being listed
    }
  });
}

const lowered = () => threadNiceness().filter((nice) => nice === 10).length;

describe('the heavy reader', () => {
  it('runs at a lower CPU priority than the writer and the panel reader', async () => {
    const before = lowered();
    const threadsBefore = threadNiceness().length;
    const t = await createTestApp();
    try {
      // Opening the database starts the writer and two readers; only the last (heavy) one is lowered.
      expect(threadNiceness().length).toBeGreaterThanOrEqual(threadsBefore + 3);
      expect(lowered()).toBe(before + 1);
      // libsql's runtime threads keep the process's priority, whichever thread started them.
      expect(threadNiceness('tokio-runtime-w').every((nice) => nice === 0)).toBe(true);
      const res = await t.get('/api/analytics/funnel');
      expect(res.status).toBe(200);
    } finally {
      t.close();
    }
  });
});
