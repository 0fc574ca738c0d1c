import { createClient } from '@libsql/client';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { isDatabaseBusy, statementRunner } from './client';
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

describe('a database locked by another process', () => {
  it('answers a write with 503 busy and Retry-After, saves nothing, and takes the retry', async () => {
    const app = await createTestApp({ busyTimeoutMs: 100 });
    const other = createClient({ url: app.url });
    try {
      const lock = await other.transaction('write');
      const lead = { fullName: 'Bea Busy', email: 'bea@busy.example' };
      const refused = await app.post('/api/leads', lead);
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toBe('application/problem+json');
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toMatchObject({ type: '/problems/busy', status: 503 });
      await lock.rollback();
      const { rows } = await app.client.execute('select count(*) as n from leads');
      expect(rows[0]!.n).toBe(0);
      const retried = await app.post('/api/leads', lead);
      expect(retried.status).toBe(201);
    } finally {
      other.close();
      app.close();
    }
  });

  it('is recognised through the errors that wrap it, and only it', () => {
    const busy = Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    expect(isDatabaseBusy(new Error('Failed query', { cause: busy }))).toBe(true);
    expect(isDatabaseBusy(Object.assign(new Error('x'), { code: 'SQLITE_CONSTRAINT' }))).toBe(false);
    expect(isDatabaseBusy(new Error('plain'))).toBe(false);
  });
});
