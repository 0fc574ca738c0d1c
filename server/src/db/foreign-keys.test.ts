import type { Lead } from '@leadline/shared';
import { createClient } from '@libsql/client';
import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { assertForeignKeys } from './client';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const count = async (sql: string, id: string) =>
  Number((await t.client.execute({ sql, args: [id] })).rows[0]![0]);

async function leadWithHistory(name: string) {
  const lead = (await (await t.post('/api/leads', { fullName: name, title: 'VP Sales' })).json()) as Lead;
  expect((await t.post(`/api/leads/${lead.id}/touchpoints`, { type: 'meeting_held' })).status).toBe(201);
  expect((await t.patch(`/api/leads/${lead.id}`, { stage: 'sql' })).status).toBe(200);
  expect(await count('select count(*) from touchpoints where lead_id = ?', lead.id)).toBe(1);
  expect(await count('select count(*) from stage_changes where lead_id = ?', lead.id)).toBeGreaterThan(1);
  return lead.id;
}

describe('foreign keys: the database enforces them and a lead takes its history with it (embedded file)', () => {
  it('enforces them on every connection, inside a write transaction too', async () => {
    expect((await t.client.execute('PRAGMA foreign_keys')).rows[0]![0]).toBe(1);
    await t.db.transaction(async (tx) => {
      expect(Number((await tx.values(sql`PRAGMA foreign_keys`))[0]![0])).toBe(1);
    });
    await expect(
      t.client.execute({
        sql: `insert into touchpoints (id, workspace_id, lead_id, type, occurred_at, created_at)
              values ('orphan', ?, 'no-such-lead', 'note', 0, 0)`,
        args: [t.workspaceId],
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it('refuses to open on a connection that does not enforce them', async () => {
    const client = createClient({ url: `file:${t.dir}/other.db` });
    try {
      await client.execute('PRAGMA foreign_keys = OFF');
      await expect(assertForeignKeys(client)).rejects.toThrow(/does not enforce foreign keys/);
    } finally {
      client.close();
    }
  });

  it('deletes a lead with its touchpoints, stage changes and events, through the API or the database alone', async () => {
    const viaApi = await leadWithHistory('Ada Api');
    expect((await t.del(`/api/leads/${viaApi}`)).status).toBe(204);
    const viaSql = await leadWithHistory('Sol Sql');
    await t.client.execute({ sql: 'delete from leads where id = ?', args: [viaSql] });
    for (const id of [viaApi, viaSql]) {
      expect(await count('select count(*) from touchpoints where lead_id = ?', id)).toBe(0);
      expect(await count('select count(*) from stage_changes where lead_id = ?', id)).toBe(0);
    }
    // The event log keeps only that the lead was deleted.
    const events = await t.client.execute({
      sql: 'select type from events where lead_id = ?',
      args: [viaApi],
    });
    expect(events.rows.map((row) => row[0])).toEqual(['lead.deleted']);
  });
});
