import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { statementRunner } from './client';
import type { SqlitePool } from './sqlite-pool';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const pool = () => t.client as unknown as SqlitePool;
const PAGE = 4096;

describe('checkpoints off the writer', () => {
  it('checkpoints the log from the heavy reader after writes, so the log stays small and every row stays', async () => {
    // About 150 pages a round, 10 rounds: 1,500 pages in all, past SQLite's own 1,000-page
    // autocheckpoint and far below the writer's 10,000-page backstop.
    const rounds = 10;
    const rows = 300;
    for (let round = 0; round < rounds; round++) {
      const before = pool().checkpoints;
      await t.db.transaction(async (tx) => {
        for (let i = 0; i < rows; i++) {
          await statementRunner(tx).execute({
            sql: 'insert into workspaces (id, name, created_at) values (?, ?, ?)',
            args: [`ws-c${round}-${i}`, `${round}-${i}-`.padEnd(2000, 'x'), 0],
          });
        }
      });
      // The checkpoint follows within ~100 ms of the writer's answer.
      await vi.waitUntil(() => pool().checkpoints > before, { timeout: 3000, interval: 10 });
    }
    // A log checkpointed to its end is written again from its start: it holds a few rounds at
    // most (a reader's snapshot can keep a checkpoint from reaching the end). Unchecked, it would
    // hold all 1,500 pages, or 1,000 with SQLite's own autocheckpoint.
    const log = statSync(`${fileURLToPath(t.url)}-wal`).size;
    expect(log).toBeLessThan(800 * PAGE);

    const outsider = createClient({ url: t.url });
    try {
      const { rows: counted } = await outsider.execute(
        "select count(*) from workspaces where id like 'ws-c%'",
      );
      expect(Number(counted[0]?.[0])).toBe(rounds * rows);
    } finally {
      outsider.close();
    }
  });
});
