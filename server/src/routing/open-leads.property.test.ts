import type { Lead } from '@leadline/shared';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
let reps: string[];
beforeAll(async () => {
  t = await createTestApp();
  reps = [];
  for (const name of ['Ola', 'Per']) {
    const res = await t.post('/api/team/people', { name, role: 'rep' });
    reps.push(((await res.json()) as { person: { id: string } }).person.id);
  }
});
afterAll(() => t.close());

type Op =
  | { kind: 'create'; owner: number | null }
  | { kind: 'owner'; lead: number; owner: number | null }
  | { kind: 'stage'; lead: number; stage: 'new' | 'mql' | 'won' | 'lost' }
  | { kind: 'delete'; lead: number };

const owner = fc.option(fc.nat(2), { nil: null });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('create' as const), owner }),
  fc.record({ kind: fc.constant('owner' as const), lead: fc.nat(20), owner }),
  fc.record({
    kind: fc.constant('stage' as const),
    lead: fc.nat(20),
    stage: fc.constantFrom('new', 'mql', 'won', 'lost'),
  }),
  fc.record({ kind: fc.constant('delete' as const), lead: fc.nat(20) }),
);

/** The counters as stored, and as counted from the leads themselves. */
async function counters() {
  const stored = await t.db.all<{ owner_id: string; open_count: number }>(
    sql`select owner_id, open_count from owner_open_leads where workspace_id = ${t.workspaceId} and open_count <> 0 order by owner_id`,
  );
  const counted = await t.db.all<{ owner_id: string; open_count: number }>(
    sql`select owner_id, count(*) as open_count from leads where workspace_id = ${t.workspaceId}
        and owner_id is not null and stage not in ('won', 'lost') group by owner_id order by owner_id`,
  );
  return { stored, counted };
}

describe('open leads per owner (owner_open_leads, kept by triggers)', () => {
  it('equal a count of the leads after any sequence of creations, reassignments, closes, reopenings and deletes', async () => {
    const people = () => [t.adminUserId, ...reps];
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const ids: string[] = [];
        for (const step of ops) {
          const target = step.kind === 'create' ? undefined : ids[step.lead % Math.max(1, ids.length)];
          if (step.kind === 'create') {
            const res = await t.post('/api/leads', { fullName: `Open ${ids.length}` });
            expect(res.status).toBe(201);
            const lead = (await res.json()) as Lead;
            ids.push(lead.id);
            if (step.owner !== null)
              await t.patch(`/api/leads/${lead.id}`, { ownerId: people()[step.owner] });
          } else if (!target) {
          } else if (step.kind === 'owner') {
            const res = await t.patch(`/api/leads/${target}`, {
              ownerId: step.owner === null ? null : people()[step.owner],
            });
            expect(res.status, await res.clone().text()).toBe(200);
          } else if (step.kind === 'stage') {
            const closing = step.stage === 'won' || step.stage === 'lost';
            const res = await t.patch(`/api/leads/${target}`, {
              stage: step.stage,
              ...(closing ? { closeReason: 'Other: property test' } : {}),
            });
            expect([200, 422]).toContain(res.status);
          } else {
            expect((await t.request('DELETE', `/api/leads/${target}`)).status).toBe(204);
            ids.splice(ids.indexOf(target), 1);
          }
        }
        const { stored, counted } = await counters();
        expect(stored.map((r) => [r.owner_id, Number(r.open_count)])).toEqual(
          counted.map((r) => [r.owner_id, Number(r.open_count)]),
        );
      }),
      { numRuns: 30 },
    );
    // A deactivation hands its open leads to a colleague in one write: the counters follow.
    await t.post(`/api/team/people/${reps[0]}/deactivate`, { openLeads: { to: reps[1] } });
    const { stored, counted } = await counters();
    expect(stored.map((r) => [r.owner_id, Number(r.open_count)])).toEqual(
      counted.map((r) => [r.owner_id, Number(r.open_count)]),
    );
  }, 300_000);
});
