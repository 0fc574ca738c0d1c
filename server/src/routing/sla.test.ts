import type { Lead } from '@leadline/shared';
import type { Assignment, RoutingAnalytics } from '@leadline/shared/routing';
import { and, count, eq, inArray, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { events, leadAssignments, leads, users } from '../db/schema';
import { createTestApp, type TestApp } from '../test-utils';
import { routeLead } from './routing.service';
import { runSlaPass } from './sla';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const MIN = 60_000;
/** Every hour of every day: working minutes are wall-clock minutes, whatever day the test runs. */
const ALWAYS = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
) as never;

async function invite(name: string, role = 'rep') {
  const res = await t.post('/api/team/people', { name, role });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { person: { id: string }; token: string };
  return { id: body.person.id, token: body.token };
}
async function team(name: string, members: { userId: string; weight?: number }[], managerId?: string) {
  const res = await t.post('/api/teams', { name, members, managerId: managerId ?? null });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
async function putRouting(body: unknown) {
  const res = await t.request('PUT', '/api/routing', { body });
  expect(res.status, await res.clone().text()).toBe(200);
}
let serial = 0;
async function lead(fields: Record<string, unknown> = {}) {
  serial += 1;
  const res = await t.post('/api/leads', { fullName: `Lead ${serial}`, ...fields });
  expect(res.status).toBe(201);
  return (await res.json()) as Lead;
}
const history = async (id: string) =>
  ((await (await t.get(`/api/leads/${id}/assignments`)).json()) as { items: Assignment[] }).items;
const ownerOf = async (id: string) => ((await (await t.get(`/api/leads/${id}`)).json()) as Lead).ownerId;
async function touch(leadId: string, type: string, occurredAt?: Date) {
  const body = { type, ...(occurredAt ? { occurredAt: occurredAt.toISOString() } : {}) };
  const res = await t.post(`/api/leads/${leadId}/touchpoints`, body);
  expect(res.status, await res.clone().text()).toBe(201);
}
const later = (minutes: number) => new Date(Date.now() + minutes * MIN);
const alwaysAtWork = () => t.db.update(users).set({ timeZone: 'UTC', workingHours: ALWAYS });

/** Anna and Ben in one team, every lead to it by round robin, with a 30-minute SLA. */
async function twoReps(onBreach: 'reassign' | 'escalate', managerId?: string) {
  const [anna, ben] = [await invite('Anna'), await invite('Ben')];
  await alwaysAtWork();
  const teamId = await team('Inbound', [{ userId: anna.id }, { userId: ben.id }], managerId);
  await putRouting({
    accountOwnershipFirst: false,
    rules: [
      {
        id: 'inbound',
        name: 'Inbound',
        action: { type: 'team', teamId },
        sla: { minutes: 30, onBreach },
      },
    ],
  });
  return { anna, ben, teamId };
}

describe('routing SLA', () => {
  it('refuses a bad SLA with a 422 naming it', async () => {
    const res = await t.request('PUT', '/api/routing', {
      body: {
        rules: [
          { id: 'a', name: 'A', action: { type: 'queue' }, sla: { minutes: 0, onBreach: 'reassign' } },
          { id: 'b', name: 'B', action: { type: 'queue' }, sla: { minutes: 30, onBreach: 'shout' } },
          { id: 'c', name: 'C', action: { type: 'queue' }, sla: { minutes: 10_081, onBreach: 'escalate' } },
        ],
      },
    });
    expect(res.status).toBe(422);
    const issues = ((await res.json()) as { issues: { path: (string | number)[] }[] }).issues;
    expect(issues.map((issue) => issue.path.join('.'))).toEqual([
      'rules.0.sla.minutes',
      'rules.1.sla.onBreach',
      'rules.2.sla.minutes',
    ]);
    expect(((await (await t.get('/api/routing')).json()) as { version: number }).version).toBe(0);
  });

  it('breaches only after the deadline and only without an outbound touch; the reassignment skips the owner', async () => {
    const { anna, ben } = await twoReps('reassign');
    const untouched = await lead();
    const answered = await lead();
    const inbound = await lead();
    const [placed] = await history(untouched.id);
    expect(placed!.trace).toMatchObject({ via: 'rule', ruleId: 'inbound', sla: { minutes: 30 } });
    await touch(answered.id, 'email_sent');
    // An inbound reply is not the owner's touch.
    await touch(inbound.id, 'email_replied');

    expect(await runSlaPass(t.db, later(29))).toMatchObject({ settled: 0, reassigned: 0 });
    expect(await history(untouched.id)).toHaveLength(1);

    const pass = await runSlaPass(t.db, later(31));
    expect(pass).toMatchObject({ settled: 3, met: 1, reassigned: 2, escalated: 0, moot: 0 });
    expect(await history(answered.id)).toHaveLength(1);
    const [breach] = await history(untouched.id);
    const previous = untouched.ownerId!;
    const other = previous === anna.id ? ben.id : anna.id;
    expect(breach).toMatchObject({
      cause: 'sla_breach',
      fromOwnerId: previous,
      ownerId: other,
      byUserId: null,
      trace: {
        via: 'rule',
        ruleId: 'inbound',
        breach: {
          assignmentId: placed!.id,
          ruleId: 'inbound',
          ruleName: 'Inbound',
          minutes: 30,
          onBreach: 'reassign',
          deadline: new Date(Date.parse(placed!.at) + 30 * MIN).toISOString(),
          previousOwnerId: previous,
          fellBack: null,
        },
      },
    });
    expect(breach!.trace.candidates.find((c) => c.userId === previous)?.skipped).toBe('excluded');
    expect(breach!.trace.summary).toMatch(
      /^Reassigned: no touch within 30 working minutes by (Anna|Ben); then/,
    );
    expect(await ownerOf(untouched.id)).toBe(other);
    const announced = await t.db
      .select({ data: events.data })
      .from(events)
      .where(and(eq(events.type, 'lead.assigned'), eq(events.leadId, untouched.id)));
    expect(announced.map((e) => e.data)).toContainEqual(
      expect.objectContaining({ from: previous, to: other, cause: 'sla_breach' }),
    );

    // The same pass again changes nothing; the new owner's fresh SLA can be breached in its turn.
    expect(await runSlaPass(t.db, later(31))).toMatchObject({ settled: 0 });
    const again = await runSlaPass(t.db, later(62));
    expect(again.reassigned).toBe(2);
    const [second] = await history(untouched.id);
    expect(second).toMatchObject({ cause: 'sla_breach', fromOwnerId: other, ownerId: previous });
    expect(second!.trace.breach!.assignmentId).toBe(breach!.id);
  });

  it('settles as moot an assignment the lead has moved on from', async () => {
    const { anna, ben } = await twoReps('reassign');
    const handedOn = await lead();
    const target = handedOn.ownerId === anna.id ? ben.id : anna.id;
    expect((await t.patch(`/api/leads/${handedOn.id}`, { ownerId: target })).status).toBe(200);
    const won = await lead();
    expect((await t.patch(`/api/leads/${won.id}`, { stage: 'won' })).status).toBe(200);
    expect(await runSlaPass(t.db, later(31))).toMatchObject({ settled: 2, moot: 2, reassigned: 0 });
    expect(await ownerOf(handedOn.id)).toBe(target);
  });

  it('escalates to the team manager, and falls back to reassigning without a manager to reach', async () => {
    const manager = await invite('Mona', 'manager');
    const reps = await twoReps('escalate', manager.id);
    const { teamId } = reps;
    const [anna, ben] = [reps.anna.id, reps.ben.id];
    const first = await lead();
    expect(await runSlaPass(t.db, later(31))).toMatchObject({ escalated: 1, reassigned: 0 });
    const [escalation] = await history(first.id);
    expect(escalation).toMatchObject({
      cause: 'sla_escalation',
      fromOwnerId: first.ownerId,
      ownerId: manager.id,
      trace: {
        via: 'escalation',
        teamId: null,
        ruleId: 'inbound',
        breach: { onBreach: 'escalate', fellBack: null, previousOwnerId: first.ownerId },
      },
    });
    expect(escalation!.trace.summary).toMatch(/^Escalated to the team's manager: no touch within 30/);
    expect(await ownerOf(first.id)).toBe(manager.id);
    // The manager's lead carries no SLA of its own.
    expect(await runSlaPass(t.db, later(120))).toMatchObject({ settled: 0 });

    const res = await t.request('PUT', `/api/teams/${teamId}`, {
      body: { name: 'Inbound', managerId: null, members: [{ userId: anna }, { userId: ben }] },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const second = await lead();
    expect(await runSlaPass(t.db, later(150))).toMatchObject({ escalated: 0, reassigned: 1 });
    const [fellBack] = await history(second.id);
    expect(fellBack).toMatchObject({
      cause: 'sla_breach',
      fromOwnerId: second.ownerId,
      ownerId: second.ownerId === anna ? ben : anna,
      trace: {
        via: 'rule',
        breach: { onBreach: 'escalate', fellBack: 'escalation fell back: the team has no manager' },
      },
    });
    expect(fellBack!.trace.summary).toMatch(/^Reassigned \(escalation fell back: the team has no manager\)/);
  });

  it('counts working minutes of the owner: Friday 16:30 with 60 minutes is due Monday 09:30', async () => {
    const rep = await invite('Berta');
    // Berlin, Monday to Friday 09:00-17:00 (the default hours).
    await t.db.update(users).set({ timeZone: 'Europe/Berlin' }).where(eq(users.id, rep.id));
    const created = await lead();
    await putRouting({
      accountOwnershipFirst: false,
      rules: [
        {
          id: 'berta',
          name: 'Berta',
          action: { type: 'person', userId: rep.id },
          sla: { minutes: 60, onBreach: 'reassign' },
        },
      ],
    });
    const friday = new Date('2026-12-04T15:30:00Z'); // 16:30 in Berlin
    const [row] = await t.db.select().from(leads).where(eq(leads.id, created.id));
    await t.db.transaction((tx) =>
      routeLead(
        tx,
        { workspaceId: t.workspaceId, userId: t.adminUserId },
        row!,
        undefined,
        'route_again',
        { origin: 'api', creatorId: t.adminUserId },
        friday,
      ),
    );
    const [assignment] = await t.db
      .select({ slaDueAt: leadAssignments.slaDueAt })
      .from(leadAssignments)
      .where(and(eq(leadAssignments.leadId, created.id), eq(leadAssignments.cause, 'route_again')));
    expect(assignment!.slaDueAt!.toISOString()).toBe('2026-12-07T08:30:00.000Z'); // Monday 09:30 Berlin
    expect(await runSlaPass(t.db, new Date('2026-12-05T12:00:00Z'))).toMatchObject({ settled: 0 });
    expect(await runSlaPass(t.db, new Date('2026-12-07T08:29:00Z'))).toMatchObject({ settled: 0 });
    expect(await runSlaPass(t.db, new Date('2026-12-07T08:30:00Z'))).toMatchObject({ reassigned: 1 });
    // Nobody else is named: the fallback leaves it in the queue, never with Berta again.
    const [breach] = await history(created.id);
    expect(breach).toMatchObject({ cause: 'sla_breach', fromOwnerId: rep.id, ownerId: null });
    expect(breach!.trace.breach!.deadline).toBe('2026-12-07T08:30:00.000Z');
  });

  // Two processes on one database claim the same way; here two passes of one process race: both
  // read the same due assignments before either claims them.
  it('breaches each assignment once when two sweeps read the same due assignments', async () => {
    await twoReps('reassign');
    const many: string[] = [];
    for (let i = 0; i < 40; i++) many.push((await lead()).id);
    const at = later(31);
    const [a, b] = await Promise.all([
      runSlaPass(t.db, at, { batchSize: 7 }),
      runSlaPass(t.db, at, { batchSize: 7 }),
    ]);
    expect(a.reassigned + b.reassigned).toBe(40);
    expect(a.lost + b.lost).toBeGreaterThan(0);
    const [row] = await t.db
      .select({
        n: count(),
        distinct: sql<number>`count(distinct json_extract(${leadAssignments.trace}, '$.breach.assignmentId'))`,
      })
      .from(leadAssignments)
      .where(and(inArray(leadAssignments.leadId, many), eq(leadAssignments.cause, 'sla_breach')));
    expect(row).toEqual({ n: 40, distinct: 40 });
  });
});

describe('routing analytics', () => {
  it('adds up per rep: assigned against the weighted share, breaches, median minutes to the first touch', async () => {
    const [anna, ben] = [await invite('Anna'), await invite('Ben')];
    await alwaysAtWork();
    const teamId = await team('Inbound', [
      { userId: anna.id, weight: 3 },
      { userId: ben.id, weight: 1 },
    ]);
    await putRouting({
      accountOwnershipFirst: false,
      rules: [
        {
          id: 'in',
          name: 'In',
          action: { type: 'team', teamId },
          sla: { minutes: 30, onBreach: 'reassign' },
        },
      ],
    });
    const placed = [await lead(), await lead(), await lead(), await lead()];
    const annas = placed.filter((l) => l.ownerId === anna.id);
    const bens = placed.filter((l) => l.ownerId === ben.id);
    expect([annas.length, bens.length]).toEqual([3, 1]);
    const at = async (id: string) => Date.parse((await history(id))[0]!.at);
    // Anna touches two of hers 10 and 20 minutes in, Ben his 5 minutes in; Anna's third goes to Ben.
    await touch(annas[0]!.id, 'call_attempted', new Date((await at(annas[0]!.id)) + 10 * MIN));
    await touch(annas[1]!.id, 'email_sent', new Date((await at(annas[1]!.id)) + 20 * MIN));
    await touch(bens[0]!.id, 'email_sent', new Date((await at(bens[0]!.id)) + 5 * MIN));
    expect(await runSlaPass(t.db, later(31))).toMatchObject({ met: 3, reassigned: 1 });
    expect(await ownerOf(annas[2]!.id)).toBe(ben.id);

    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = later(24 * 60)
      .toISOString()
      .slice(0, 10);
    const res = await t.get(`/api/analytics/routing?from=${today}&to=${tomorrow}`);
    expect(res.status).toBe(200);
    const { reps } = (await res.json()) as RoutingAnalytics;
    // Five team assignments (four new leads and the breach's), shared 3:1.
    expect(reps.find((r) => r.userId === anna.id)).toEqual({
      userId: anna.id,
      name: 'Anna',
      assigned: 3,
      share: 3.75,
      overShare: -0.75,
      assignedAny: 3,
      slaBreaches: 1,
      touched: 2,
      medianMinutesToFirstTouch: 15,
    });
    expect(reps.find((r) => r.userId === ben.id)).toEqual({
      userId: ben.id,
      name: 'Ben',
      assigned: 2,
      share: 1.25,
      overShare: 0.75,
      assignedAny: 2,
      slaBreaches: 0,
      touched: 1,
      medianMinutesToFirstTouch: 5,
    });
    const past = (await (
      await t.get('/api/analytics/routing?from=2020-01-01&to=2020-01-31')
    ).json()) as RoutingAnalytics;
    expect(past.reps.find((r) => r.userId === anna.id)).toMatchObject({
      assigned: 0,
      share: 0,
      slaBreaches: 0,
    });
  });

  it('refuses a bad range (422) and a rep (403)', async () => {
    const bad = await t.get('/api/analytics/routing?from=2026-05-02&to=2026-05-01');
    expect(bad.status).toBe(422);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(((await bad.json()) as { issues: { path: string[] }[] }).issues[0]!.path).toEqual(['to']);
    expect((await t.get('/api/analytics/routing?from=May')).status).toBe(422);
    const rep = await invite('Rob');
    expect((await t.get('/api/analytics/routing', rep.token)).status).toBe(403);
  });
});
