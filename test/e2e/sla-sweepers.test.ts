import { type DatabaseHandle, openDatabase } from '@leadline/server/db';
import { runSlaPass } from '@leadline/server/routing';
import type { Lead } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type SqldServer, startSqld } from '../support/sqld';

// An SLA breach must be recorded once, whatever number of API processes sweep one database: two
// real API processes on one libSQL server (sqld) route the leads, two sweeps on their own
// connections settle them on one controllable clock.
let sqld: SqldServer;
let first: ApiServer;
let second: ApiServer;
let handle: DatabaseHandle;
const MIN = 60_000;
const ALWAYS = JSON.stringify(
  Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
  ),
);

beforeAll(async () => {
  sqld = await startSqld();
  // The processes' own sweeps run often on today's clock: they must leave deadlines 30 minutes away alone.
  const env = { SLA_INTERVAL_MS: '150' };
  first = await startApiServer({ databaseUrl: sqld.url, env });
  second = await startApiServer({ databaseUrl: sqld.url, token: first.token, env });
  handle = await openDatabase(sqld.url);
});
afterAll(async () => {
  handle?.close();
  await first?.dispose();
  await second?.dispose();
  await sqld?.dispose();
});

describe('the SLA sweep with two API processes on one database', () => {
  it('breaches each overdue assignment once, and routes it away from its owner', async () => {
    const reps: string[] = [];
    for (const name of ['Anna', 'Ben', 'Cleo']) {
      const invited = await api<{ person: { id: string } }>(first, 'POST', '/api/team/people', { name });
      expect(invited.status).toBe(201);
      reps.push(invited.body.person.id);
    }
    await handle.client.execute({ sql: 'update users set working_hours = ?', args: [ALWAYS] });
    const team = await api<{ id: string }>(first, 'POST', '/api/teams', {
      name: 'Inbound',
      members: reps.map((userId) => ({ userId })),
    });
    expect(team.status).toBe(201);
    const routing = await api(second, 'PUT', '/api/routing', {
      accountOwnershipFirst: false,
      rules: [
        {
          id: 'inbound',
          name: 'Inbound',
          action: { type: 'team', teamId: team.body.id },
          sla: { minutes: 30, onBreach: 'reassign' },
        },
      ],
    });
    expect(routing.status).toBe(200);
    const owners = new Map<string, string>();
    for (let i = 0; i < 30; i++) {
      const created = await api<Lead>(i % 2 ? first : second, 'POST', '/api/leads', {
        fullName: `Twin ${i}`,
      });
      expect(created.status).toBe(201);
      owners.set(created.body.id, created.body.ownerId!);
    }
    // Both processes' sweeps have run meanwhile, on today's clock: nothing is due yet.
    const early = await handle.client.execute(
      "select count(*) as n from lead_assignments where cause = 'sla_breach'",
    );
    expect(Number(early.rows[0]!.n)).toBe(0);

    const other = await openDatabase(sqld.url);
    try {
      const later = new Date(Date.now() + 31 * MIN);
      const [a, b] = await Promise.all([
        runSlaPass(handle.db, later, { batchSize: 4 }),
        runSlaPass(other.db, later, { batchSize: 4 }),
      ]);
      expect(a.reassigned + b.reassigned).toBe(30);
      const again = await Promise.all([runSlaPass(handle.db, later), runSlaPass(other.db, later)]);
      expect(again[0].settled + again[1].settled).toBe(0);
    } finally {
      other.close();
    }
    const { rows } = await handle.client.execute(
      `select lead_id, from_owner_id, owner_id, json_extract(trace, '$.breach.assignmentId') as breached
       from lead_assignments where cause = 'sla_breach'`,
    );
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((row) => String(row.breached))).size).toBe(30);
    for (const row of rows) {
      expect(row.from_owner_id).toBe(owners.get(String(row.lead_id)));
      expect(row.owner_id).not.toBe(row.from_owner_id);
    }
  });
});
