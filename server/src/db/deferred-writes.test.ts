import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { deferWrite, statementRunner } from './client';
import { workspaces } from './schema';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const insertWorkspace = (id: string) => ({
  sql: 'insert into workspaces (id, name, created_at) values (?, ?, ?)',
  params: [id, `Workspace ${id}`, 0],
});
const names = async () =>
  (await t.client.execute("select id from workspaces where id like 'ws-d%' order by id")).rows.map((row) =>
    String(row.id),
  );

describe('deferWrite', () => {
  it('runs before the next statement of its transaction, which sees it, and commits with it', async () => {
    await t.db.transaction(async (tx) => {
      await deferWrite(tx, insertWorkspace('ws-d1'));
      expect(await tx.select().from(workspaces).where(eq(workspaces.id, 'ws-d1'))).toHaveLength(1);
      await deferWrite(tx, insertWorkspace('ws-d2'));
    });
    expect(await names()).toEqual(['ws-d1', 'ws-d2']);
  });

  it('commits a transaction that ran nothing else', async () => {
    await t.db.transaction((tx) => deferWrite(tx, insertWorkspace('ws-d3')));
    expect(await names()).toEqual(['ws-d3']);
  });

  it('is dropped with a transaction that rolls back', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await deferWrite(tx, insertWorkspace('ws-d4'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await names()).toEqual([]);
  });

  it('fails its transaction when it fails at the COMMIT, leaving nothing of it written', async () => {
    let ranOn = false;
    await expect(
      t.db.transaction(async (tx) => {
        const first = insertWorkspace('ws-d5');
        await statementRunner(tx).execute({ sql: first.sql, args: first.params as string[] });
        await deferWrite(tx, insertWorkspace('ws-d5'));
        // Deferred on the embedded file: the duplicate is only tried with the COMMIT.
        ranOn = true;
      }),
    ).rejects.toThrow(/UNIQUE/);
    expect(ranOn).toBe(true);
    expect(await names()).toEqual([]);
    // The writer is usable after it.
    await t.db.transaction((tx) => deferWrite(tx, insertWorkspace('ws-d6')));
    expect(await names()).toEqual(['ws-d6']);
  });

  it('runs at once outside a transaction', async () => {
    await deferWrite(t.db, insertWorkspace('ws-d7'));
    expect(await names()).toEqual(['ws-d7']);
  });
});
