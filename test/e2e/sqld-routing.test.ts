import { type DatabaseHandle, openDatabase } from '@leadline/server/db';
import type { Lead } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type SqldServer, startSqld } from '../support/sqld';

// Weighted round robin stays fair when two API processes on one libSQL server (sqld) place leads
// from many clients at once: each decision counts the team's assignments in its own write
// transaction, so neither process works from a stale share.
let sqld: SqldServer;
let first: ApiServer;
let second: ApiServer;
let handle: DatabaseHandle;

beforeAll(async () => {
  sqld = await startSqld();
  first = await startApiServer({ databaseUrl: sqld.url });
  second = await startApiServer({ databaseUrl: sqld.url, token: first.token });
  handle = await openDatabase(sqld.url);
});
afterAll(async () => {
  handle?.close();
  await first?.dispose();
  await second?.dispose();
  await sqld?.dispose();
});

describe('routing with two API processes on one database', () => {
  it('splits leads from 16 clients across both processes 3/2/1/1 within 1% of each share, each placed once', async () => {
    const weights = [3, 2, 1, 1];
    const reps: string[] = [];
    for (const [i] of weights.entries()) {
      const invited = await api<{ person: { id: string } }>(first, 'POST', '/api/team/people', {
        name: `Rep ${i + 1}`,
        role: 'rep',
      });
      expect(invited.status).toBe(201);
      reps.push(invited.body.person.id);
    }
    const team = await api<{ id: string }>(second, 'POST', '/api/teams', {
      name: 'Inbound',
      members: reps.map((userId, i) => ({ userId, weight: weights[i] })),
    });
    expect(team.status).toBe(201);
    const routing = await api(first, 'PUT', '/api/routing', {
      accountOwnershipFirst: false,
      rules: [{ id: 'inbound', name: 'Inbound', action: { type: 'team', teamId: team.body.id } }],
      fallback: { type: 'queue' },
    });
    expect(routing.status).toBe(200);

    // Each client does what the side panel's outbox does with a 503 `busy`: waits and sends again
    // (a refused write wrote nothing).
    const total = 700;
    let next = 0;
    let busy = 0;
    await Promise.all(
      Array.from({ length: 16 }, async (_, client) => {
        const server = client % 2 ? first : second;
        while (next < total) {
          const n = next++;
          for (;;) {
            const created = await api<Lead>(server, 'POST', '/api/leads', { fullName: `Twin lead ${n}` });
            if (created.status === 503) {
              busy += 1;
              await new Promise((resolve) => setTimeout(resolve, 200));
              continue;
            }
            expect(created.status).toBe(201);
            break;
          }
        }
      }),
    );
    console.info(`sqld routing: ${total} leads from 16 clients, ${busy} answered 503 busy and sent again`);

    const { rows: owners } = await handle.client.execute(
      `select owner_id, count(*) as n from leads where full_name like 'Twin lead %' group by owner_id`,
    );
    const { rows: placed } = await handle.client.execute(
      `select count(*) as placements, count(distinct lead_id) as leads from lead_assignments
       where lead_id in (select id from leads where full_name like 'Twin lead %')`,
    );
    expect({ placements: Number(placed[0]!.placements), leads: Number(placed[0]!.leads) }).toEqual({
      placements: total,
      leads: total,
    });
    const byOwner = new Map(owners.map((row) => [String(row.owner_id), Number(row.n)]));
    expect([...byOwner.values()].reduce((a, b) => a + b, 0)).toBe(total);
    reps.forEach((rep, i) => {
      const share = (total * weights[i]!) / 7;
      expect(Math.abs((byOwner.get(rep) ?? 0) - share) / share, `rep ${i + 1}`).toBeLessThan(0.01);
    });
    // The open-lead counters the caps read agree with the leads, after both processes wrote.
    const { rows: drift } = await handle.client.execute(
      `select count(*) as n from owner_open_leads o where open_count <>
         (select count(*) from leads l where l.workspace_id = o.workspace_id and l.owner_id = o.owner_id
          and l.stage not in ('won', 'lost'))`,
    );
    expect(Number(drift[0]!.n)).toBe(0);
  }, 600_000);
});
