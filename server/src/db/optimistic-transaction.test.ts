import { createClient } from '@libsql/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { afterCommit, deferWrite, optimistically, statementRunner } from './client';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  await t.client.execute("insert into workspaces (id, name, created_at) values ('ws-o', 'Counter 0', 0)");
});
afterEach(() => t.close());

const readCounter = async (tx: Tx) => {
  const { rows } = await statementRunner(tx).execute("select name from workspaces where id = 'ws-o'");
  return Number(String(rows[0]?.[0]).replace('Counter ', ''));
};
const writeCounter = (tx: Tx, value: number) =>
  deferWrite(tx, { sql: "update workspaces set name = ? where id = 'ws-o'", params: [`Counter ${value}`] });
const counter = async () =>
  (await t.client.execute("select name from workspaces where id = 'ws-o'")).rows[0]?.[0];

type Tx = Parameters<Parameters<TestApp['db']['transaction']>[0]>[0];

/**
 * Runs `work` optimistically; `change()` has another process run `sql` on the first try only (a
 * no-op on the rerun). Returns how many times `work` ran.
 */
async function changedOnFirstTry(
  sql: string,
  work: (tx: Tx, attempt: number, change: () => Promise<unknown>) => Promise<void>,
) {
  const outsider = createClient({ url: t.url });
  try {
    let attempts = 0;
    await optimistically(() =>
      t.db.transaction(async (tx) => {
        const attempt = ++attempts;
        await work(tx, attempt, async () => (attempt === 1 ? outsider.execute(sql) : undefined));
      }),
    );
    return attempts;
  } finally {
    outsider.close();
  }
}

describe('optimistic write transactions', () => {
  it('lose no update: concurrent read-then-write transactions whose reads changed run again', async () => {
    let attempts = 0;
    let hooks = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        optimistically(() =>
          t.db.transaction(async (tx) => {
            attempts++;
            const value = await readCounter(tx);
            afterCommit(tx, () => hooks++);
            await writeCounter(tx, value + 1);
          }),
        ),
      ),
    );
    // All read 0 outside the lock; one wrote 1, and the others, finding 1 at their check, ran again.
    expect(await counter()).toBe('Counter 20');
    expect(attempts).toBeGreaterThan(20);
    // A rerun's hooks are its own: each transaction announces itself once.
    expect(hooks).toBe(20);
  });

  it('leave the writer free while they read and compute', async () => {
    let letItWrite!: () => void;
    const mayWrite = new Promise<void>((resolve) => {
      letItWrite = resolve;
    });
    const seen: string[] = [];
    const optimistic = optimistically(() =>
      t.db.transaction(async (tx) => {
        const value = await readCounter(tx);
        await mayWrite;
        await writeCounter(tx, value + 1);
      }),
    ).then(() => seen.push('optimistic committed'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // An ordinary transaction meanwhile: it would wait for the writer if the optimistic one held it.
    await t.db.transaction((tx) =>
      statementRunner(tx).execute("insert into workspaces (id, name, created_at) values ('ws-p', 'P', 0)"),
    );
    seen.push('ordinary committed');
    letItWrite();
    await optimistic;
    expect(seen).toEqual(['ordinary committed', 'optimistic committed']);
    expect(await counter()).toBe('Counter 1');
  });

  it('write nothing when their reads changed, even what they had deferred before the change', async () => {
    const attempts = await changedOnFirstTry(
      "update workspaces set name = 'Counter 5' where id = 'ws-o'",
      async (tx, attempt, change) => {
        const value = await readCounter(tx);
        await deferWrite(tx, {
          sql: 'insert into workspaces (id, name, created_at) values (?, ?, 0)',
          params: [`ws-try${attempt}`, `read ${value}`],
        });
        // Another process changes what was read before this one commits.
        await change();
        await writeCounter(tx, value + 1);
      },
    );
    expect(attempts).toBe(2);
    expect(await counter()).toBe('Counter 6');
    const tries = await t.client.execute("select id, name from workspaces where id like 'ws-try%'");
    expect(tries.rows.map((row) => [row.id, row.name])).toEqual([['ws-try2', 'read 5']]);
  });

  it('run again when the cached tables changed after they read (a revoked token, a new model)', async () => {
    const attempts = await changedOnFirstTry(
      "update workspaces set name = name where id <> 'ws-o'",
      async (tx, _attempt, change) => {
        const value = await readCounter(tx);
        await change();
        await writeCounter(tx, value + 1);
      },
    );
    expect(attempts).toBe(2);
  });

  it('see their own deferred writes: a read after one takes the lock and runs on the writer', async () => {
    const seen = await optimistically(() =>
      t.db.transaction(async (tx) => {
        await writeCounter(tx, 41);
        return readCounter(tx);
      }),
    );
    expect(seen).toBe(41);
    expect(await counter()).toBe('Counter 41');
  });
});
