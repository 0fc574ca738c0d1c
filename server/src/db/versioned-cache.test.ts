import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { deferWrite, statementRunner } from './client';
import { VersionedCache } from './versioned-cache';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

/** A cached value that counts its loads, and the version it was loaded under. */
function counted() {
  let loads = 0;
  const cache = new VersionedCache<{ version: number; load: number }>();
  const get = (executor: Parameters<typeof cache.get>[0]) =>
    cache.get(executor, 'key', async () => {
      loads++;
      const { rows } = await statementRunner(executor).execute(
        'select version from cache_versions where id = 1',
      );
      return { version: Number(rows[0]?.[0]), load: loads };
    });
  return { get, loads: () => loads };
}

const bump = (executor: Parameters<typeof statementRunner>[0]) =>
  statementRunner(executor).execute(
    "update workspaces set name = name || '.' where id = (select id from workspaces limit 1)",
  );

describe('VersionedCache in a write transaction', () => {
  it('takes the version its last statement brought back, and sees its own transaction change it', async () => {
    const cache = counted();
    await t.db.transaction(async (tx) => {
      await statementRunner(tx).execute('select 1');
      const first = await cache.get(tx);
      expect(await cache.get(tx)).toEqual(first);
      expect(cache.loads()).toBe(1);
      // A write in this transaction that bumps the version: the next use loads again.
      await bump(tx);
      const second = await cache.get(tx);
      expect(second!.version).toBe(first!.version + 1);
      expect(cache.loads()).toBe(2);
    });
  });

  it('reads the version again when a deferred write to a cached table is still to run', async () => {
    const cache = counted();
    await t.db.transaction(async (tx) => {
      await statementRunner(tx).execute('select 1');
      const first = await cache.get(tx);
      await deferWrite(tx, {
        sql: "update workspaces set name = name || '.' where id = (select id from workspaces limit 1)",
        params: [],
      });
      expect((await cache.get(tx))!.version).toBe(first!.version + 1);
    });
  });

  it('sees a change another connection committed before the transaction began', async () => {
    const cache = counted();
    const before = await cache.get(t.db);
    await bump(t.db);
    await t.db.transaction(async (tx) => {
      await statementRunner(tx).execute('select 1');
      expect((await cache.get(tx))!.version).toBe(before!.version + 1);
    });
    expect(cache.loads()).toBe(2);
  });
});
