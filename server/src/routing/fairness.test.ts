import type { Lead } from '@leadline/shared';
import { eq, inArray, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadAssignments, leads } from '../db/schema';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function invite(name: string) {
  const res = await t.post('/api/team/people', { name, role: 'rep' });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { person: { id: string } }).person.id;
}

async function routeTo(
  members: { userId: string; weight?: number; capPerDay?: number | null; capOpen?: number | null }[],
) {
  const res = await t.post('/api/teams', { name: `Pool ${Math.random()}`, members });
  expect(res.status, await res.clone().text()).toBe(201);
  const teamId = ((await res.json()) as { id: string }).id;
  const put = await t.request('PUT', '/api/routing', {
    body: {
      accountOwnershipFirst: false,
      capturerKeeps: false,
      rules: [{ id: 'pool', name: 'Pool', action: { type: 'team', teamId, strategy: 'round_robin' } }],
      fallback: { type: 'queue' },
    },
  });
  expect(put.status, await put.clone().text()).toBe(200);
  return teamId;
}

async function createLead(n: number): Promise<Lead> {
  const res = await t.post('/api/leads', { fullName: `Bulk ${n}`, email: `bulk${n}@example.org` });
  expect(res.status).toBe(201);
  return (await res.json()) as Lead;
}

/** The bulk leads by owner, and how often each was placed (assignment rows with cause `created`). */
async function placements() {
  const rows = await t.db.all<{ lead_id: string; n: number }>(
    sql`select lead_id, count(*) as n from lead_assignments where cause = 'created'
        and lead_id in (select id from leads where full_name like 'Bulk %') group by lead_id`,
  );
  const owners = await t.db
    .select({ ownerId: leads.ownerId, n: sql<number>`count(*)` })
    .from(leads)
    .where(sql`${leads.fullName} like 'Bulk %'`)
    .groupBy(leads.ownerId);
  return {
    placedTwice: rows.filter((row) => Number(row.n) !== 1).length,
    placed: rows.length,
    byOwner: new Map(owners.map((row) => [row.ownerId, Number(row.n)])),
  };
}

describe('weighted round robin under bulk load', () => {
  // 2,000 in the suite (each share then within 1% is ±3 leads at the smallest); FAIRNESS_LEADS=10000
  // runs the issue's full size (docs/benchmarks.md has its figures).
  const total = Number(process.env.FAIRNESS_LEADS ?? 2000);
  it(`splits ${total} leads from 16 concurrent clients 3/2/1/1 within 1% of each share, each placed once`, async () => {
    const reps = [
      await invite('Wanda 3'),
      await invite('Xaver 2'),
      await invite('Yuki 1'),
      await invite('Zoe 1'),
    ];
    const weights = [3, 2, 1, 1];
    await routeTo(reps.map((userId, i) => ({ userId, weight: weights[i]! })));
    const clients = 16;
    let next = 0;
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < total) {
          const n = next++;
          await createLead(n);
        }
      }),
    );
    const { placedTwice, placed, byOwner } = await placements();
    expect(placed).toBe(total);
    expect(placedTwice).toBe(0);
    const sum = weights.reduce((a, b) => a + b, 0);
    reps.forEach((rep, i) => {
      const share = (total * weights[i]!) / sum;
      expect(Math.abs(byOwner.get(rep)! - share) / share, `rep ${i + 1}`).toBeLessThan(0.01);
    });
    expect(byOwner.get(null)).toBeUndefined();
    // The shares routing counts from (rolling 30 days of the team's assignments) are the owners' counts: no drift.
    const counted = await t.db
      .select({ ownerId: leadAssignments.ownerId, n: sql<number>`count(*)` })
      .from(leadAssignments)
      .where(eq(leadAssignments.cause, 'created'))
      .groupBy(leadAssignments.ownerId);
    for (const rep of reps)
      expect(Number(counted.find((row) => row.ownerId === rep)?.n)).toBe(byOwner.get(rep));
  }, 600_000);
});

type Step =
  | { kind: 'create' }
  | { kind: 'away'; rep: number; away: boolean }
  | { kind: 'cap'; rep: number; capPerDay: number | null; capOpen: number | null };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ kind: 'create' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('away' as const), rep: fc.nat(2), away: fc.boolean() }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('cap' as const),
      rep: fc.nat(2),
      capPerDay: fc.option(fc.integer({ min: 0, max: 4 })),
      capOpen: fc.option(fc.integer({ min: 0, max: 4 })),
    }),
  },
);

describe('routing, for any sequence of creations, aways and cap changes', () => {
  it('never takes a rep past a cap or to an away rep, and leaves every lead with one current owner or in the queue', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 14 }), async (steps) => {
        run += 1;
        const reps = [await invite(`P${run}a`), await invite(`P${run}b`), await invite(`P${run}c`)];
        const members = reps.map((userId) => ({
          userId,
          weight: 1,
          capPerDay: null as number | null,
          capOpen: null as number | null,
        }));
        const teamId = await routeTo(members);
        // The model: what each rep holds (all leads here are new today and open) and who is away.
        const held = [0, 0, 0];
        const away = [false, false, false];
        const created: string[] = [];
        for (const s of steps) {
          if (s.kind === 'create') {
            const res = await t.post('/api/leads', { fullName: `Prop ${run} ${created.length}` });
            expect(res.status).toBe(201);
            const lead = (await res.json()) as Lead;
            created.push(lead.id);
            const eligible = members.map(
              (m, i) =>
                !away[i] &&
                (m.capPerDay === null || held[i]! < m.capPerDay) &&
                (m.capOpen === null || held[i]! < m.capOpen),
            );
            if (lead.ownerId === null) {
              expect(eligible, 'queued while a rep could take it').toEqual([false, false, false]);
            } else {
              const i = reps.indexOf(lead.ownerId);
              expect(i, 'owner outside the team').toBeGreaterThanOrEqual(0);
              expect(eligible[i], `rep ${i} was away or at a cap`).toBe(true);
              held[i]! += 1;
            }
            continue;
          }
          if (s.kind === 'away') {
            const awayUntil = s.away ? new Date(Date.now() + 86_400_000).toISOString() : null;
            expect((await t.patch(`/api/team/people/${reps[s.rep]}`, { awayUntil })).status).toBe(200);
            away[s.rep] = s.away;
            continue;
          }
          members[s.rep] = { ...members[s.rep]!, capPerDay: s.capPerDay, capOpen: s.capOpen };
          const put = await t.request('PUT', `/api/teams/${teamId}`, {
            body: { name: `Pool ${run}`, members },
          });
          expect(put.status, await put.clone().text()).toBe(200);
        }
        // Stored state agrees with the model: each lead has exactly one placement and its owner.
        const rows = await t.db
          .select({ id: leads.id, ownerId: leads.ownerId })
          .from(leads)
          .where(sql`${leads.fullName} like ${`Prop ${run} %`}`);
        expect(rows).toHaveLength(created.length);
        for (const [i, rep] of reps.entries()) {
          expect(rows.filter((row) => row.ownerId === rep)).toHaveLength(held[i]!);
        }
        if (created.length) {
          const placements = await t.db
            .select({ leadId: leadAssignments.leadId, ownerId: leadAssignments.ownerId })
            .from(leadAssignments)
            .where(inArray(leadAssignments.leadId, created));
          expect(placements).toHaveLength(created.length);
          for (const placed of placements) {
            expect(placed.ownerId).toBe(rows.find((row) => row.id === placed.leadId)!.ownerId);
          }
        }
      }),
      { numRuns: 25 },
    );
  }, 600_000);
});
