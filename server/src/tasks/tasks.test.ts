import type { Lead, LeadDetail, Task, TaskList } from '@leadline/shared';
import { isWorkingTime, workCalendar } from '@leadline/shared/working-time';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, touchpoints, users } from '../db/schema';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
let rep: { token: string; userId: string };
let colleague: { token: string; userId: string };

async function user(name: string, role: string) {
  return (await (await t.post('/api/tokens', { name, role })).json()) as { token: string; userId: string };
}

async function lead(token: string, body: Record<string, unknown>) {
  const res = await t.request('POST', '/api/leads', { token, body });
  expect(res.status).toBe(201);
  return (await res.json()) as Lead;
}

async function task(token: string, body: Record<string, unknown>) {
  const res = await t.request('POST', '/api/tasks', { token, body });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Task;
}

const patchTask = (token: string, id: string, body: unknown) =>
  t.request('PATCH', `/api/tasks/${id}`, { token, body });

const queue = async (token: string, query = 'due=today') =>
  (await (await t.get(`/api/tasks?assignee=me&${query}`, token)).json()) as TaskList;

beforeAll(async () => {
  t = await createTestApp();
  rep = await user('Rita Rep', 'rep');
  colleague = await user('Otto Other', 'rep');
});
afterAll(() => t.close());

const HOUR = 3_600_000;

describe('tasks', () => {
  it('puts a task n working days ahead inside the assignee’s working time, in their zone', async () => {
    await t.db.update(users).set({ timeZone: 'Europe/Berlin' }).where(eq(users.id, rep.userId));
    const mine = await lead(rep.token, { fullName: 'Berta Berlin', email: 'berta@acme.io' });
    const created = await task(rep.token, {
      leadId: mine.id,
      type: 'call',
      dueInDays: 3,
      note: 'Ask about Q3',
    });
    expect(created.assigneeId).toBe(rep.userId);
    expect(created.state).toBe('open');
    expect(created.lead.name).toBe('Berta Berlin');
    const due = new Date(created.dueAt);
    expect(isWorkingTime(workCalendar('Europe/Berlin'), due)).toBe(true);
    // Three working days is at least three calendar days ahead, never more than five.
    expect(due.getTime() - Date.now()).toBeGreaterThan(2 * 24 * HOUR);
    expect(due.getTime() - Date.now()).toBeLessThan(6 * 24 * HOUR);
    await t.db.update(users).set({ timeZone: 'UTC' }).where(eq(users.id, rep.userId));
  });

  it('orders Today overdue first, then due, each with the hottest lead first', async () => {
    const t0 = Date.now();
    const cold = await lead(colleague.token, { fullName: 'Cold Carl', email: 'carl@acme.io' });
    const hot = await lead(colleague.token, {
      fullName: 'Hot Hanna',
      email: 'hanna@acme.io',
      title: 'VP Sales',
      companySize: 200,
    });
    await t.request('POST', `/api/leads/${hot.id}/touchpoints`, {
      token: colleague.token,
      body: { type: 'meeting_held' },
    });
    const at = (ms: number) => new Date(ms).toISOString();
    const coldOverdue = await task(colleague.token, {
      leadId: cold.id,
      type: 'email',
      dueAt: at(t0 - 2 * HOUR),
    });
    const hotOverdue = await task(colleague.token, { leadId: hot.id, type: 'call', dueAt: at(t0 - HOUR) });
    const hotLater = await task(colleague.token, { leadId: hot.id, type: 'email', dueAt: at(t0 + 60_000) });
    const coldLater = await task(colleague.token, { leadId: cold.id, type: 'other', dueAt: at(t0 + 30_000) });
    // Next month: not today, not overdue.
    await task(colleague.token, { leadId: cold.id, type: 'other', dueAt: at(t0 + 40 * 24 * HOUR) });

    const today = await queue(colleague.token);
    const order = today.items.map((item) => item.id);
    // coldLater/hotLater may fall after midnight UTC when the test runs just before it.
    const endOfDay = new Date(t0).setUTCHours(23, 59, 59, 999);
    const expected = [
      hotOverdue.id,
      coldOverdue.id,
      ...(t0 + 60_000 <= endOfDay ? [hotLater.id] : []),
      ...(t0 + 30_000 <= endOfDay ? [coldLater.id] : []),
    ];
    expect(order).toEqual(expected);
    expect(today.overdue).toBe(2);
    expect(today.items[0]!.overdue).toBe(true);
    expect(today.items[0]!.lead.score).toBeGreaterThan(today.items[1]!.lead.score);
    const overdue = await queue(colleague.token, 'due=overdue');
    expect(overdue.items.map((item) => item.id)).toEqual([hotOverdue.id, coldOverdue.id]);
    expect((await queue(colleague.token, 'due=any')).total).toBe(5);
  });

  it('ranks a queue of many leads exactly as their live scores say, and counts every task, not only the page', async () => {
    const ranker = await user('Rank Ranker', 'rep');
    const titles = ['CEO', 'VP Sales', 'Engineer', 'Intern', 'Head of IT'];
    const touches = ['meeting_held', 'email_replied', 'call_connected', 'email_opened', 'unsubscribed'];
    for (let i = 0; i < 24; i++) {
      const made = await lead(ranker.token, {
        fullName: `Ranked ${i}`,
        email: `ranked${i}@${i % 3 ? 'acme.io' : 'gmail.com'}`,
        title: titles[i % titles.length],
        companySize: 10 + i * 97,
      });
      for (let j = 0; j < i % 4; j++) {
        const occurredAt = new Date(Date.now() - ((i * 7 + j * 13) % 40) * 24 * HOUR).toISOString();
        await t.request('POST', `/api/leads/${made.id}/touchpoints`, {
          token: ranker.token,
          body: { type: touches[(i + j) % touches.length], occurredAt },
        });
      }
      await task(ranker.token, {
        leadId: made.id,
        type: 'email',
        dueAt: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
      });
    }
    const page = await queue(ranker.token, 'due=overdue&limit=10');
    expect(page.total).toBe(24);
    expect(page.overdue).toBe(24);
    expect(page.items).toHaveLength(10);
    const all = await queue(ranker.token, 'due=overdue&limit=100');
    const scores = all.items.map((item) => item.lead.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(page.items.map((item) => item.id)).toEqual(all.items.slice(0, 10).map((item) => item.id));
    // The same scores the lead itself reports now.
    for (const item of all.items.slice(0, 5)) {
      const detail = (await (await t.get(`/api/leads/${item.leadId}`, ranker.token)).json()) as LeadDetail;
      expect(item.lead.score).toBe(detail.score);
    }
  });

  it('logs the touchpoint a task names on done, with its outcome; a call must say how it went', async () => {
    const target = await lead(rep.token, { fullName: 'Dora Done', email: 'dora@acme.io', title: 'CEO' });
    const call = await task(rep.token, { leadId: target.id, type: 'call', dueInDays: 0, note: 'Pricing' });
    const missing = await patchTask(rep.token, call.id, { state: 'done' });
    expect(missing.status).toBe(422);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(((await missing.json()) as { issues: { path: string[] }[] }).issues[0]!.path).toEqual(['outcome']);
    const wrong = await patchTask(rep.token, call.id, { state: 'done', outcome: 'sent' });
    expect(wrong.status).toBe(422);
    const before = (await (await t.get(`/api/leads/${target.id}`, rep.token)).json()) as LeadDetail;

    const done = await patchTask(rep.token, call.id, { state: 'done', outcome: 'connected' });
    expect(done.status).toBe(200);
    const body = (await done.json()) as Task;
    expect(body.state).toBe('done');
    expect(body.outcome).toBe('connected');
    const [touch] = await t.db.select().from(touchpoints).where(eq(touchpoints.id, body.touchpointId!));
    expect(touch).toMatchObject({ type: 'call_connected', note: 'Pricing', userId: rep.userId });
    const after = (await (await t.get(`/api/leads/${target.id}`, rep.token)).json()) as LeadDetail;
    expect(after.score).toBeGreaterThan(before.score);
    const [completed] = await t.db
      .select()
      .from(events)
      .where(and(eq(events.type, 'task.completed'), eq(events.leadId, target.id)));
    expect(completed!.data).toMatchObject({
      taskId: call.id,
      outcome: 'connected',
      touchpointId: body.touchpointId,
    });
    expect((await patchTask(rep.token, call.id, { state: 'done', outcome: 'connected' })).status).toBe(409);

    const voicemail = await task(rep.token, { leadId: target.id, type: 'call', dueInDays: 0 });
    const left = (await (
      await patchTask(rep.token, voicemail.id, { state: 'done', outcome: 'voicemail' })
    ).json()) as Task;
    const [attempt] = await t.db.select().from(touchpoints).where(eq(touchpoints.id, left.touchpointId!));
    expect(attempt).toMatchObject({ type: 'call_attempted', note: 'Left a voicemail' });
    // An e-mail task's default outcome is "sent".
    const mail = await task(rep.token, { leadId: target.id, type: 'email', dueInDays: 1 });
    const sent = (await (await patchTask(rep.token, mail.id, { state: 'done' })).json()) as Task;
    expect(sent.outcome).toBe('sent');
  });

  it('skips and snoozes: a snoozed task leaves the queue until the snooze ends', async () => {
    const target = await lead(rep.token, { fullName: 'Sam Snooze', email: 'sam@acme.io' });
    const first = await task(rep.token, {
      leadId: target.id,
      type: 'email',
      dueAt: new Date(Date.now() - HOUR).toISOString(),
    });
    const snoozed = (await (await patchTask(rep.token, first.id, { snooze: 'tomorrow' })).json()) as Task;
    expect(snoozed.state).toBe('snoozed');
    expect(Date.parse(snoozed.showAt)).toBeGreaterThan(Date.now());
    expect((await queue(rep.token, 'due=overdue')).items.map((item) => item.id)).not.toContain(first.id);
    const second = await task(rep.token, { leadId: target.id, type: 'call', dueInDays: 0 });
    const skipped = (await (await patchTask(rep.token, second.id, { state: 'skipped' })).json()) as Task;
    expect(skipped.state).toBe('skipped');
    expect((await queue(rep.token, 'due=any')).items.map((item) => item.id)).not.toContain(second.id);
    const forLead = (await (
      await t.get(`/api/tasks?assignee=any&leadId=${target.id}&state=all`, rep.token)
    ).json()) as TaskList;
    expect(forLead.items.map((item) => item.id).sort()).toEqual([first.id, second.id].sort());
    const reopened = (await (await patchTask(rep.token, first.id, { state: 'open' })).json()) as Task;
    expect(reopened).toMatchObject({ state: 'open', snoozedUntil: null, showAt: first.dueAt });
  });

  it('moves open tasks to the new owner when the lead is reassigned, whoever reassigns it', async () => {
    const target = await lead(rep.token, { fullName: 'Rhea Reassigned', email: 'rhea@acme.io' });
    const open = await task(rep.token, { leadId: target.id, type: 'call', dueInDays: 1 });
    const done = await task(rep.token, { leadId: target.id, type: 'email', dueInDays: 0 });
    await patchTask(rep.token, done.id, { state: 'done' });
    expect(
      (
        await t.request('PATCH', `/api/leads/${target.id}`, {
          token: rep.token,
          body: { ownerId: colleague.userId },
        })
      ).status,
    ).toBe(200);
    const tasks = (await (
      await t.get(`/api/tasks?assignee=any&leadId=${target.id}&state=all`)
    ).json()) as TaskList;
    const byId = new Map(tasks.items.map((item) => [item.id, item]));
    expect(byId.get(open.id)!.assigneeId).toBe(colleague.userId);
    expect(byId.get(done.id)!.assigneeId).toBe(rep.userId);
  });

  it('refuses what the policy or the input does not allow, with problem+json and nothing written', async () => {
    const theirs = await lead(colleague.token, { fullName: 'Private Pia', email: 'pia@acme.io' });
    await t.request('PUT', '/api/settings/lead-visibility', { body: { repsSeeOnlyOwnLeads: true } });
    const refused = await t.request('POST', '/api/tasks', {
      token: rep.token,
      body: { leadId: theirs.id, type: 'call', dueInDays: 1 },
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { action: string }).action).toBe('task.manage');
    await t.request('PUT', '/api/settings/lead-visibility', { body: { repsSeeOnlyOwnLeads: false } });
    const someoneElse = await t.request('GET', `/api/tasks?assignee=${colleague.userId}`, {
      token: rep.token,
    });
    expect(someoneElse.status).toBe(403);
    const managerView = await t.get(`/api/tasks?assignee=${colleague.userId}`);
    expect(managerView.status).toBe(200);
    for (const body of [
      { leadId: theirs.id, type: 'fax', dueInDays: 1 },
      { leadId: theirs.id, type: 'call' },
      { leadId: theirs.id, type: 'call', dueInDays: 1, dueAt: new Date().toISOString() },
      { leadId: theirs.id, type: 'call', dueInDays: -1 },
    ]) {
      const res = await t.post('/api/tasks', body);
      expect(res.status, JSON.stringify(body)).toBe(422);
    }
    expect((await t.post('/api/tasks', { leadId: 'nope', type: 'call', dueInDays: 1 })).status).toBe(404);
    expect((await t.patch('/api/tasks/nope', { state: 'skipped' })).status).toBe(404);
    const list = (await (
      await t.get(`/api/tasks?assignee=any&leadId=${theirs.id}&state=all`)
    ).json()) as TaskList;
    expect(list.total).toBe(0);
  });
});
