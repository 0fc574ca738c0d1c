import type { Cadence, CadenceAnalytics, Enrolment, Lead, TaskList } from '@leadline/shared';
import { and, count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrolments, leads, stageChanges, tasks, users } from '../db/schema';
import { createTestApp, type TestApp } from '../test-utils';
import { runCadencePass } from './engine';

let t: TestApp;
let rep: { token: string; userId: string };
const DAY = 86_400_000;
/** Every hour of every day: due times are exactly n days ahead, whatever day the test runs. */
const ALWAYS = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
) as never;

async function user(name: string, role: string) {
  return (await (await t.post('/api/tokens', { name, role })).json()) as { token: string; userId: string };
}

async function lead(token: string | undefined, body: Record<string, unknown>) {
  const res = await t.request('POST', '/api/leads', { token, body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Lead;
}

async function cadence(body: Record<string, unknown>) {
  const res = await t.post('/api/cadences', body);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Cadence;
}

async function enrol(cadenceId: string, leadIds: string[], token?: string) {
  const res = await t.request('POST', '/api/enrolments', { token, body: { cadenceId, leadIds } });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as { enrolled: string[]; skipped: { leadId: string }[] };
}

const enrolmentsOf = async (leadId: string) =>
  ((await (await t.get(`/api/leads/${leadId}/enrolments`)).json()) as { items: Enrolment[] }).items;

const tasksOf = async (leadId: string) =>
  ((await (await t.get(`/api/tasks?assignee=any&leadId=${leadId}&state=all`)).json()) as TaskList).items;

const THREE_STEPS = [
  { type: 'call', delayDays: 0, note: 'Intro call' },
  { type: 'wait', delayDays: 1 },
  { type: 'email', delayDays: 2, note: 'Send the case study' },
  { type: 'linkedin_connect', delayDays: 3 },
];

beforeAll(async () => {
  t = await createTestApp();
  rep = await user('Rita Rep', 'rep');
  await t.db.update(users).set({ workingHours: ALWAYS });
});
afterAll(() => t.close());

describe('cadences', () => {
  it('are edited by managers and admins only, with a 422 naming a bad step', async () => {
    const refused = await t.request('POST', '/api/cadences', {
      token: rep.token,
      body: { name: 'Mine', steps: [{ type: 'call', delayDays: 0 }] },
    });
    expect(refused.status).toBe(403);
    const bad = await t.post('/api/cadences', { name: 'Bad', steps: [{ type: 'fax', delayDays: 0 }] });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { issues: { path: unknown[] }[] }).issues[0]!.path).toEqual([
      'steps',
      0,
      'type',
    ]);
    const waits = await t.post('/api/cadences', { name: 'Waits', steps: [{ type: 'wait', delayDays: 1 }] });
    expect(waits.status).toBe(422);
    const badRule = await t.post('/api/cadences', {
      name: 'Rule',
      steps: [{ type: 'call', delayDays: 0 }],
      rule: { stage: 'mql', conditions: [{ field: 'title', op: 'gte', value: 'x' }] },
    });
    expect(badRule.status).toBe(422);
    expect((await (await t.get('/api/cadences')).json()) as { items: unknown[] }).toEqual({ items: [] });
  });

  it('creates each step’s task when due on a controllable clock; a reply mid-cadence pauses it and nothing more is created', async () => {
    const c = await cadence({ name: 'Outbound A', steps: THREE_STEPS });
    const target = await lead(rep.token, { fullName: 'Clara Clock', email: 'clara@acme.io' });
    const start = Date.now();
    const { enrolled } = await enrol(c.id, [target.id], rep.token);
    expect(enrolled).toHaveLength(1);
    // Enrolling twice is reported, not done.
    expect((await enrol(c.id, [target.id], rep.token)).skipped).toEqual([
      { leadId: target.id, reason: 'Already in Outbound A' },
    ]);

    expect((await runCadencePass(t.db, new Date(start + 1000))).tasksCreated).toBe(1);
    let list = await tasksOf(target.id);
    expect(list.map((task) => [task.type, task.note, task.assigneeId])).toEqual([
      ['call', 'Intro call', rep.userId],
    ]);
    expect(list[0]!.source).toBe('cadence');
    // The same moment again: nothing new.
    expect((await runCadencePass(t.db, new Date(start + 2000))).tasksCreated).toBe(0);
    // The wait passes after one day; the e-mail is due two days after that.
    expect((await runCadencePass(t.db, new Date(start + DAY + 5000))).tasksCreated).toBe(0);
    expect((await runCadencePass(t.db, new Date(start + 2 * DAY))).tasksCreated).toBe(0);
    expect((await runCadencePass(t.db, new Date(start + 3 * DAY + 10_000))).tasksCreated).toBe(1);
    list = await tasksOf(target.id);
    expect(list.map((task) => task.type).sort()).toEqual(['call', 'email']);

    // The lead replies (logged from another client): the enrolment pauses with the reason.
    const reply = await t.request('POST', `/api/leads/${target.id}/touchpoints`, {
      body: { type: 'email_replied' },
    });
    expect(reply.status).toBe(201);
    const [paused] = await enrolmentsOf(target.id);
    expect(paused).toMatchObject({
      state: 'paused',
      reason: 'Replied by e-mail',
      nextStep: 3,
      nextDueAt: null,
    });
    // The engine ran on a clock days ahead of the reply's: compared without their order.
    expect(paused!.history.map((entry) => entry.kind).sort()).toEqual([
      'enrolled',
      'paused',
      'step_created',
      'step_created',
    ]);
    expect(paused!.history.find((entry) => entry.kind === 'paused')!.reason).toBe('Replied by e-mail');
    // Weeks later: still nothing created.
    expect((await runCadencePass(t.db, new Date(start + 30 * DAY))).tasksCreated).toBe(0);
    expect(await tasksOf(target.id)).toHaveLength(2);

    // Resumed by the rep, the last step comes due its delay after the resume; then it finishes.
    const resumed = await t.request('PATCH', `/api/enrolments/${paused!.id}`, {
      token: rep.token,
      body: { action: 'resume' },
    });
    expect(resumed.status).toBe(200);
    expect(((await resumed.json()) as Enrolment).state).toBe('active');
    expect((await runCadencePass(t.db, new Date(Date.now() + 3 * DAY + 10_000))).tasksCreated).toBe(1);
    const [finished] = await enrolmentsOf(target.id);
    expect(finished).toMatchObject({ state: 'finished', reason: 'All steps done' });
    expect(
      (await t.request('PATCH', `/api/enrolments/${paused!.id}`, { body: { action: 'pause' } })).status,
    ).toBe(409);
  });

  it('records done and skipped steps in the enrolment’s history', async () => {
    const c = await cadence({
      name: 'Two calls',
      steps: [
        { type: 'call', delayDays: 0 },
        { type: 'call', delayDays: 1 },
      ],
    });
    const target = await lead(rep.token, { fullName: 'Hilde History', email: 'hilde@acme.io' });
    await enrol(c.id, [target.id], rep.token);
    await runCadencePass(t.db, new Date(Date.now() + 1000));
    const [first] = await tasksOf(target.id);
    await t.request('PATCH', `/api/tasks/${first!.id}`, {
      token: rep.token,
      body: { state: 'done', outcome: 'no_answer' },
    });
    await runCadencePass(t.db, new Date(Date.now() + DAY + 10_000));
    const second = (await tasksOf(target.id)).find((task) => task.id !== first!.id)!;
    await t.request('PATCH', `/api/tasks/${second.id}`, { token: rep.token, body: { state: 'skipped' } });
    const [enrolment] = await enrolmentsOf(target.id);
    const steps = enrolment!.history.map((entry) => `${entry.kind} ${entry.stepIndex}`).sort();
    expect(steps).toEqual([
      'enrolled null',
      'finished 1',
      'step_created 0',
      'step_created 1',
      'step_done 0',
      'step_skipped 1',
    ]);
  });

  it('stops by itself: unsubscribe ends; a company-wide cadence hears a colleague’s meeting; SQL ends nurture', async () => {
    const ending = await cadence({ name: 'Ends on reply', onReply: 'end', steps: THREE_STEPS });
    const companyWide = await cadence({ name: 'Account based', companyWide: true, steps: THREE_STEPS });
    const nurture = await cadence({ name: 'Nurture A', nurture: true, steps: THREE_STEPS });
    const ana = await lead(rep.token, { fullName: 'Ana Acme', email: 'ana@globex.io', company: 'Globex' });
    const ben = await lead(rep.token, { fullName: 'Ben Acme', email: 'ben@globex.io', company: 'Globex' });
    const cy = await lead(rep.token, { fullName: 'Cy Nurtured', email: 'cy@initech.io' });
    await enrol(ending.id, [ana.id], rep.token);
    await enrol(companyWide.id, [ben.id], rep.token);
    await enrol(nurture.id, [cy.id], rep.token);

    await t.request('POST', `/api/leads/${ana.id}/touchpoints`, { body: { type: 'unsubscribed' } });
    expect((await enrolmentsOf(ana.id))[0]).toMatchObject({ state: 'stopped', reason: 'Unsubscribed' });
    await t.request('POST', `/api/leads/${ana.id}/touchpoints`, { body: { type: 'meeting_booked' } });
    expect((await enrolmentsOf(ben.id))[0]).toMatchObject({
      state: 'paused',
      reason: 'Meeting booked (Ana Acme at the same company)',
    });
    expect((await t.patch(`/api/leads/${cy.id}`, { stage: 'sql' })).status).toBe(200);
    expect((await enrolmentsOf(cy.id))[0]).toMatchObject({ state: 'finished', reason: 'Reached SQL' });
    // Nothing of the three creates tasks any more.
    expect((await runCadencePass(t.db, new Date(Date.now() + 60 * DAY))).tasksCreated).toBe(0);
  });

  it('enrols by rule when a lead becomes MQL and has no owner; recycles a cold SQL as a stage change', async () => {
    const ruled = await cadence({
      name: 'Nurture by rule',
      nurture: true,
      steps: [{ type: 'email', delayDays: 0 }],
      rule: {
        stage: 'mql',
        owner: 'unowned',
        conditions: [{ field: 'title', op: 'containsAny', values: ['vp'] }],
      },
    });
    const vp = await lead(undefined, { fullName: 'Vera VP', email: 'vera@hooli.io', title: 'VP Ops' });
    const owned = await lead(rep.token, {
      fullName: 'Otto Owned',
      email: 'otto@hooli.io',
      title: 'VP Sales',
    });
    await t.db.update(leads).set({ ownerId: null }).where(eq(leads.id, vp.id));
    expect((await t.patch(`/api/leads/${vp.id}`, { stage: 'mql' })).status).toBe(200);
    expect((await t.patch(`/api/leads/${owned.id}`, { stage: 'mql' })).status).toBe(200);
    expect((await enrolmentsOf(vp.id)).map((e) => e.cadenceName)).toEqual(['Nurture by rule']);
    expect(await enrolmentsOf(owned.id)).toEqual([]);
    // An unowned lead's tasks go to whoever made the cadence (here the admin).
    await runCadencePass(t.db, new Date(Date.now() + 1000));
    expect((await tasksOf(vp.id)).map((task) => task.assigneeId)).toEqual([t.adminUserId]);

    expect((await t.patch(`/api/leads/${owned.id}`, { stage: 'sql' })).status).toBe(200);
    const recycled = await t.request('POST', `/api/leads/${owned.id}/recycle`, {
      token: rep.token,
      body: { cadenceId: ruled.id },
    });
    expect(recycled.status, await recycled.clone().text()).toBe(201);
    const [change] = await t.db
      .select()
      .from(stageChanges)
      .where(and(eq(stageChanges.leadId, owned.id), eq(stageChanges.cause, 'recycle')));
    expect(change).toMatchObject({ fromStage: 'sql', toStage: 'nurture', userId: rep.userId });
    expect((await enrolmentsOf(owned.id))[0]).toMatchObject({
      cadenceName: 'Nurture by rule',
      state: 'active',
    });
  });

  it('catches up after downtime with one step per enrolment, not a burst', async () => {
    const c = await cadence({
      name: 'Daily',
      steps: [1, 1, 1, 1, 1].map((delayDays) => ({ type: 'email', delayDays })),
    });
    const target = await lead(rep.token, { fullName: 'Dan Downtime', email: 'dan@acme.io' });
    await enrol(c.id, [target.id], rep.token);
    // The engine was down for ten days.
    await runCadencePass(t.db, new Date(Date.now() + 10 * DAY));
    expect(await tasksOf(target.id)).toHaveLength(1);
    await runCadencePass(t.db, new Date(Date.now() + 10 * DAY + 5000));
    expect(await tasksOf(target.id)).toHaveLength(1);
    // The next one is a day after the engine came back.
    await runCadencePass(t.db, new Date(Date.now() + 11 * DAY + 10_000));
    expect(await tasksOf(target.id)).toHaveLength(2);
    const created = (await tasksOf(target.id)).find((task) => task.stepIndex === 0);
    // Due when it should have been (so it shows overdue), not when the engine came back.
    expect(Date.parse(created!.dueAt)).toBeLessThan(Date.now() + 2 * DAY);
  });

  // Two processes on one database: test/e2e/cadence-engines.test.ts (sqld). Here two passes of one
  // process race: both read the same due steps before either claims them.
  it('creates each step once when two passes read the same due steps', async () => {
    const c = await cadence({
      name: 'Race',
      steps: [
        { type: 'call', delayDays: 0 },
        { type: 'email', delayDays: 1 },
      ],
    });
    const many: string[] = [];
    for (let i = 0; i < 60; i++) {
      many.push((await lead(rep.token, { fullName: `Racer ${i}`, email: `racer${i}@race.io` })).id);
    }
    await enrol(c.id, many, rep.token);
    for (const offset of [1000, DAY + 10_000]) {
      const at = new Date(Date.now() + offset);
      const [a, b] = await Promise.all([
        runCadencePass(t.db, at, { batchSize: 7 }),
        runCadencePass(t.db, at, { batchSize: 7 }),
      ]);
      expect(a.tasksCreated + b.tasksCreated).toBe(60);
      expect(a.lost + b.lost).toBeGreaterThan(0);
    }
    const [row] = await t.db
      .select({
        n: count(),
        distinct: sql<number>`count(distinct ${tasks.enrolmentId} || ':' || ${tasks.stepIndex})`,
      })
      .from(tasks)
      .innerJoin(enrolments, eq(enrolments.id, tasks.enrolmentId))
      .where(eq(enrolments.cadenceId, c.id));
    expect(row).toEqual({ n: 120, distinct: 120 });
  });

  it('adds up each cadence: states, stops by reply and meeting, rates per step, days to the first reply; tasks per rep', async () => {
    const res = await t.get('/api/analytics/cadences');
    expect(res.status).toBe(200);
    const body = (await res.json()) as CadenceAnalytics;
    const outbound = body.cadences.find((c) => c.name === 'Outbound A')!;
    expect(outbound).toMatchObject({
      enrolled: 1,
      finished: 1,
      active: 0,
      stoppedByReply: 1,
      stoppedByMeeting: 0,
    });
    // The reply came while the e-mail (step 3) was the latest step created.
    expect(outbound.steps.map((step) => [step.type, step.reached, step.replies, step.replyRate])).toEqual([
      ['call', 1, 0, 0],
      // A wait creates no task: nobody answers it.
      ['wait', 0, 0, null],
      ['email', 1, 1, 1],
      ['linkedin_connect', 1, 0, 0],
    ]);
    expect(outbound.medianDaysToFirstReply).toBe(0);
    const account = body.cadences.find((c) => c.name === 'Account based')!;
    expect(account).toMatchObject({ enrolled: 1, paused: 1, stoppedByMeeting: 1 });
    const rita = body.reps.find((r) => r.userId === rep.userId)!;
    expect(rita.doneOnTime + rita.doneLate).toBe(1);
    expect(rita.skipped).toBe(1);
    expect(rita.open).toBeGreaterThan(0);
    const bad = await t.get('/api/analytics/cadences?from=2026-05-02&to=2026-05-01');
    expect(bad.status).toBe(422);
  });
});
