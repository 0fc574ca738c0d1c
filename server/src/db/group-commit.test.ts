import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { deferWrite, statementRunner } from './client';
import { bulkWrites } from './group-commit';
import type { SqlitePool } from './sqlite-pool';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const pool = () => t.client as unknown as SqlitePool;
const insert = (id: string) => ({
  sql: 'insert into workspaces (id, name, created_at) values (?, ?, ?)',
  args: [id, `Workspace ${id}`, 0],
});
const ids = async () =>
  (await t.client.execute("select id from workspaces where id like 'ws-g%' order by id")).rows.map((row) =>
    String(row.id),
  );

describe('group commit', () => {
  it('commits queued transactions together, and answers each only once another connection sees it', async () => {
    // A connection of its own (not the pool's): it sees only what is committed to the file.
    const outsider = createClient({ url: t.url });
    try {
      const seenAtAnswer: boolean[] = [];
      const before = { ...pool().commits };
      await Promise.all(
        Array.from({ length: 24 }, async (_, i) => {
          const id = `ws-g${String(i).padStart(2, '0')}`;
          await t.db.transaction(async (tx) => {
            await statementRunner(tx).execute(insert(id));
            await statementRunner(tx).execute('select 1');
          });
          const { rows } = await outsider.execute({
            sql: 'select count(*) from workspaces where id = ?',
            args: [id],
          });
          seenAtAnswer.push(Number(rows[0]?.[0]) === 1);
        }),
      );
      expect(seenAtAnswer).toEqual(Array(24).fill(true));
      const transactions = pool().commits.transactions - before.transactions;
      const groups = pool().commits.groups - before.groups;
      expect(transactions).toBe(24);
      // 24 at once: after the first, the rest queue and go in few COMMITs.
      expect(groups).toBeLessThan(12);
    } finally {
      outsider.close();
    }
  });

  it('rolls back a failing transaction alone: the others of its group commit', async () => {
    const results = await Promise.allSettled(
      ['ws-g1', 'ws-g2', 'ws-g3', 'ws-g4'].map((id) =>
        t.db.transaction(async (tx) => {
          await statementRunner(tx).execute(insert(id));
          if (id === 'ws-g2') throw new Error('this one fails');
          // A statement failing inside the transaction (a duplicate key) fails it the same way.
          if (id === 'ws-g3') await statementRunner(tx).execute(insert('ws-g3'));
        }),
      ),
    );
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    expect(await ids()).toEqual(['ws-g1', 'ws-g4']);
  });

  it("holds an answer back for the next queued transaction, but not for a long job's slice", async () => {
    const order = async (bulk: boolean, ids: [string, string]) => {
      const seen: string[] = [];
      let letFirstEnd!: () => void;
      const firstMayEnd = new Promise<void>((resolve) => {
        letFirstEnd = resolve;
      });
      const first = t.db
        .transaction(async (tx) => {
          await statementRunner(tx).execute(insert(ids[0]));
          await firstMayEnd;
        })
        .then(() => seen.push('first answered'));
      await new Promise((resolve) => setTimeout(resolve, 20));
      const next = () =>
        t.db.transaction(async (tx) => {
          await statementRunner(tx).execute(insert(ids[1]));
          await new Promise((resolve) => setTimeout(resolve, 150));
          seen.push('next ends');
        });
      // Queued while the first holds the writer.
      const second = bulk ? bulkWrites(next) : next();
      await new Promise((resolve) => setTimeout(resolve, 20));
      letFirstEnd();
      await Promise.all([first, second]);
      return seen;
    };
    expect(await order(false, ['ws-g8a', 'ws-g8b'])).toEqual(['next ends', 'first answered']);
    expect(await order(true, ['ws-g9a', 'ws-g9b'])).toEqual(['first answered', 'next ends']);
  });

  it('leaves the next transaction whole when one fails at its COMMIT (drizzle then rolls it back)', async () => {
    await t.client.execute(insert('ws-gf0'));
    const failing = t.db.transaction(async (tx) => {
      await statementRunner(tx).execute('select 1');
      // A duplicate key, deferred: it fails with the COMMIT.
      await deferWrite(tx, { sql: insert('ws-gf0').sql, params: insert('ws-gf0').args });
    });
    const next = t.db.transaction(async (tx) => {
      await statementRunner(tx).execute(insert('ws-gf1'));
      await new Promise((resolve) => setTimeout(resolve, 30));
      await statementRunner(tx).execute(insert('ws-gf2'));
    });
    const results = await Promise.allSettled([failing, next]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    expect(await ids()).toEqual(['ws-gf0', 'ws-gf1', 'ws-gf2']);
  });

  it('commits the group before a write outside a transaction, which is answered as done', async () => {
    const outsider = createClient({ url: t.url });
    try {
      const grouped = Promise.all(
        ['ws-g5', 'ws-g6'].map((id) => t.db.transaction((tx) => statementRunner(tx).execute(insert(id)))),
      );
      await t.client.execute(insert('ws-g7'));
      const { rows } = await outsider.execute("select count(*) from workspaces where id = 'ws-g7'");
      expect(Number(rows[0]?.[0])).toBe(1);
      await grouped;
      expect(await ids()).toEqual(['ws-g5', 'ws-g6', 'ws-g7']);
    } finally {
      outsider.close();
    }
  });
});
