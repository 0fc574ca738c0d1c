import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { statementRunner } from './client';
import { workspaces } from './schema';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const insertWorkspace = (id: string) => ({
  sql: 'insert into workspaces (id, name, created_at) values (?, ?, ?)',
  args: [id, `Workspace ${id}`, 0],
});

describe('statementRunner', () => {
  it('runs inside the drizzle transaction it comes from: seen by it, rolled back with it', async () => {
    await expect(
      t.db.transaction(async (tx) => {
        await statementRunner(tx).execute(insertWorkspace('ws-raw'));
        const seen = await tx.select().from(workspaces).where(eq(workspaces.id, 'ws-raw'));
        expect(seen).toHaveLength(1);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await t.db.select().from(workspaces).where(eq(workspaces.id, 'ws-raw'))).toEqual([]);
  });

  it('runs on the client under a database handle, committed at once', async () => {
    await statementRunner(t.db).execute(insertWorkspace('ws-direct'));
    const { rows } = await t.client.execute("select name from workspaces where id = 'ws-direct'");
    expect(rows.map((row) => row.name)).toEqual(['Workspace ws-direct']);
  });

  it('says plainly when there is no libSQL connection underneath', () => {
    expect(() => statementRunner({} as never)).toThrow(/drizzle-orm changed/);
  });
});
