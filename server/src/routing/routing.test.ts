import type { Lead } from '@leadline/shared';
import type { Assignment } from '@leadline/shared/routing';
import { WEEKDAYS } from '@leadline/shared/working-time';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function invite(name: string, role = 'rep') {
  const res = await t.post('/api/team/people', { name, role });
  expect(res.status).toBe(201);
  const body = (await res.json()) as { person: { id: string }; token: string };
  return { id: body.person.id, token: body.token };
}
async function team(name: string, members: { userId: string; weight?: number; capPerDay?: number | null }[]) {
  const res = await t.post('/api/teams', { name, members });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}
const putRouting = (body: unknown) => t.request('PUT', '/api/routing', { body });
let serial = 0;
async function lead(fields: Record<string, unknown> = {}, token?: string, origin?: string) {
  serial += 1;
  const res = await t.request('POST', `/api/leads${origin ? `?origin=${origin}` : ''}`, {
    body: { fullName: `Lead ${serial}`, ...fields },
    token,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Lead;
}
const history = async (id: string) =>
  ((await (await t.get(`/api/leads/${id}/assignments`)).json()) as { items: Assignment[] }).items;
const issuesOf = async (res: Response) =>
  ((await res.json()) as { issues: { path: (string | number)[] }[] }).issues.map((i) => i.path.join('.'));

describe('routing rules', () => {
  it('leaves a lead with its creator until routing is set, and records that', async () => {
    const created = await lead();
    expect(created.ownerId).toBe(t.adminUserId);
    const [first] = await history(created.id);
    expect(first).toMatchObject({
      cause: 'created',
      ownerId: t.adminUserId,
      trace: { via: 'creator', version: 0 },
    });
    expect(await (await t.get('/api/routing')).json()).toMatchObject({ version: 0, document: { rules: [] } });
  });

  it('refuses a bad rule set naming each bad part, and keeps the one in force', async () => {
    const rita = await invite('Rita');
    const empty = await team('Empty', []);
    const res = await putRouting({
      rules: [
        {
          id: 'a',
          name: 'A',
          when: [{ field: 'shoeSize', op: 'equals', value: 'x' }],
          action: { type: 'queue' },
        },
        { id: 'b', name: 'B', when: [{ field: 'country', op: 'gte', value: 3 }], action: { type: 'queue' } },
        {
          id: 'c',
          name: 'C',
          when: [{ field: 'stage', op: 'equals', value: 'hot' }],
          action: { type: 'queue' },
        },
      ],
    });
    expect(res.status).toBe(422);
    expect(await issuesOf(res)).toEqual(
      expect.arrayContaining(['rules.0.when.0.field', 'rules.1.when.0.op', 'rules.2.when.0.value']),
    );
    const refs = await putRouting({
      rules: [
        { id: 'a', name: 'A', action: { type: 'person', userId: 'nobody' } },
        { id: 'b', name: 'B', action: { type: 'team', teamId: 'no-team' } },
        { id: 'c', name: 'C', action: { type: 'person', userId: rita.id } },
      ],
      fallback: { type: 'team', teamId: empty },
    });
    expect(refs.status).toBe(422);
    expect(await issuesOf(refs)).toEqual([
      'rules.0.action.userId',
      'rules.1.action.teamId',
      'fallback.teamId',
    ]);
    expect(((await (await t.get('/api/routing')).json()) as { version: number }).version).toBe(0);

    const ok = await putRouting({
      rules: [{ id: 'c', name: 'C', action: { type: 'person', userId: rita.id } }],
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ version: 1, createdBy: t.adminUserId });
    expect((await putRouting({ fallback: { type: 'queue' } })).status).toBe(200);
    expect(((await (await t.get('/api/routing')).json()) as { version: number }).version).toBe(2);
    const rep = await invite('Rob');
    expect((await t.request('PUT', '/api/routing', { body: {}, token: rep.token })).status).toBe(403);
  });

  it('first match wins: DACH by weighted round robin 3:1, everyone else to the fallback rep', async () => {
    const [a, b, c] = [await invite('Anna'), await invite('Ben'), await invite('Cleo')];
    const dach = await team('DACH', [
      { userId: a.id, weight: 3 },
      { userId: b.id, weight: 1 },
    ]);
    expect(
      (
        await putRouting({
          accountOwnershipFirst: false,
          rules: [
            {
              id: 'dach',
              name: 'DACH territory',
              when: [{ field: 'region', op: 'equals', value: 'DACH' }],
              action: { type: 'team', teamId: dach, strategy: 'round_robin' },
            },
          ],
          fallback: { type: 'person', userId: c.id },
        })
      ).status,
    ).toBe(200);
    const owners: string[] = [];
    for (let i = 0; i < 8; i++) owners.push((await lead({ country: i % 2 ? 'DE' : 'AT' })).ownerId!);
    expect(owners.filter((o) => o === a.id)).toHaveLength(6);
    expect(owners.filter((o) => o === b.id)).toHaveLength(2);
    const us = await lead({ country: 'US' });
    expect(us.ownerId).toBe(c.id);
    const [placed] = await history(us.id);
    expect(placed!.trace).toMatchObject({
      via: 'fallback',
      passed: [{ ruleId: 'dach', reason: 'no_match' }],
    });
    const dachLead = await lead({ country: 'CH' });
    const [routed] = await history(dachLead.id);
    expect(routed!.trace).toMatchObject({
      via: 'rule',
      ruleId: 'dach',
      strategy: 'round_robin',
      teamId: dach,
      summary: 'DACH territory, round robin (furthest below their share)',
    });
    expect(routed!.trace.candidates.map((x) => x.userId).sort()).toEqual([a.id, b.id].sort());
  });

  it('lets the capturer keep a panel capture, not an API lead; the account owner comes first', async () => {
    const [rep, other] = [await invite('Pia'), await invite('Otto')];
    await putRouting({ fallback: { type: 'person', userId: other.id } });
    expect((await lead({}, rep.token, 'panel')).ownerId).toBe(rep.id);
    expect((await lead({ company: 'Solo' }, rep.token)).ownerId).toBe(other.id);

    const first = await lead({ company: 'Acme GmbH' }, rep.token, 'panel');
    expect(first.ownerId).toBe(rep.id);
    const sameAccount = await lead({ company: 'ACME' });
    expect(sameAccount.ownerId).toBe(rep.id);
    expect((await history(sameAccount.id))[0]!.trace.via).toBe('account');
    await putRouting({
      accountOwnershipFirst: false,
      capturerKeeps: false,
      fallback: { type: 'person', userId: other.id },
    });
    expect((await lead({ company: 'Acme AG' }, rep.token, 'panel')).ownerId).toBe(other.id);
  });

  it('skips the away, the capped and those outside their hours, then falls through to the queue', async () => {
    const [away, capped, offHours, free] = [
      await invite('Away'),
      await invite('Capped'),
      await invite('Off'),
      await invite('Free'),
    ];
    await t.patch(`/api/team/people/${away.id}`, {
      awayUntil: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const today = WEEKDAYS[(new Date().getUTCDay() + 6) % 7]!;
    const otherDay = WEEKDAYS.find((d) => d !== today)!;
    const allDay = [{ start: '00:00', end: '24:00' }];
    const only = (day: string) => Object.fromEntries(WEEKDAYS.map((d) => [d, d === day ? allDay : []]));
    await t.patch(`/api/team/people/${offHours.id}`, { timeZone: 'UTC', workingHours: only(otherDay) });
    for (const person of [free, capped]) {
      await t.patch(`/api/team/people/${person.id}`, { timeZone: 'UTC', workingHours: only(today) });
    }
    const pool = await team('Pool', [
      { userId: away.id },
      { userId: capped.id, capPerDay: 1 },
      { userId: offHours.id },
    ]);
    const solo = await team('Solo', [{ userId: free.id, capPerDay: 1 }]);
    await putRouting({
      accountOwnershipFirst: false,
      rules: [
        { id: 'pool', name: 'Pool', action: { type: 'team', teamId: pool }, respectWorkingHours: true },
        { id: 'solo', name: 'Solo', action: { type: 'team', teamId: solo }, respectWorkingHours: true },
      ],
      fallback: { type: 'queue' },
    });
    const first = await lead();
    expect(first.ownerId).toBe(capped.id);
    const reasons = Object.fromEntries(
      (await history(first.id))[0]!.trace.candidates.map((x) => [x.userId, x.skipped]),
    );
    expect(reasons).toEqual({ [away.id]: 'away', [capped.id]: null, [offHours.id]: 'outside_hours' });

    const second = await lead();
    expect(second.ownerId).toBe(free.id);
    const trace = (await history(second.id))[0]!.trace;
    expect(trace.passed).toMatchObject([{ ruleId: 'pool', reason: 'nobody_left' }]);
    expect(Object.fromEntries(trace.passed[0]!.candidates!.map((x) => [x.userId, x.skipped]))).toEqual({
      [away.id]: 'away',
      [capped.id]: 'cap_per_day',
      [offHours.id]: 'outside_hours',
    });
    expect(trace.candidates.map((x) => x.userId)).toEqual([free.id]);

    const third = await lead();
    expect(third.ownerId).toBeNull();
    expect((await history(third.id))[0]!.trace).toMatchObject({ via: 'fallback', strategy: 'queue' });
    // The queue: a rep claims it, recorded as a claim.
    const claimed = await t.request('PATCH', `/api/leads/${third.id}`, {
      body: { ownerId: free.id },
      token: free.token,
    });
    expect(claimed.status).toBe(200);
    expect((await history(third.id))[0]).toMatchObject({
      cause: 'claim',
      ownerId: free.id,
      fromOwnerId: null,
    });
  });

  it('routes again on a stage a rule asks for, on "Route again", and by hand; the dry run changes nothing', async () => {
    const [sdr, ae, ae2] = [await invite('Sam SDR'), await invite('Ava AE'), await invite('Al AE')];
    const sales = await team('AEs', [{ userId: ae.id }, { userId: ae2.id }]);
    await putRouting({
      accountOwnershipFirst: false,
      rules: [
        {
          id: 'handoff',
          name: 'Hand-off to sales',
          when: [{ field: 'stage', op: 'in', values: ['sql'] }],
          action: { type: 'team', teamId: sales, strategy: 'least_open' },
          onStages: ['sql'],
        },
      ],
      fallback: { type: 'person', userId: sdr.id },
    });
    const created = await lead({ email: 'x@acme.io' });
    expect(created.ownerId).toBe(sdr.id);
    const moved = (await (await t.patch(`/api/leads/${created.id}`, { stage: 'sql' })).json()) as Lead;
    expect([ae.id, ae2.id]).toContain(moved.ownerId);
    expect((await history(created.id))[0]).toMatchObject({
      cause: 'stage',
      fromOwnerId: sdr.id,
      trace: { strategy: 'least_open' },
    });

    const before = (await history(created.id)).length;
    const preview = await t.post('/api/routing/preview', { lead: { fullName: 'Try Me', country: 'FR' } });
    expect(preview.status).toBe(200);
    expect(await preview.json()).toMatchObject({ ownerName: 'Sam SDR', trace: { via: 'fallback' } });
    const draft = await t.post('/api/routing/preview', {
      leadId: created.id,
      document: { rules: [], fallback: { type: 'person', userId: ae2.id } },
    });
    expect(await draft.json()).toMatchObject({ ownerName: 'Al AE', trace: { version: -1 } });
    expect((await t.post('/api/routing/preview', {})).status).toBe(422);
    expect((await history(created.id)).length).toBe(before);

    const again = await t.post(`/api/leads/${created.id}/route`, {});
    expect(again.status).toBe(200);
    const body = (await again.json()) as { lead: Lead; assignment: Assignment };
    expect(body.assignment).toMatchObject({ cause: 'route_again', trace: { ruleId: 'handoff' } });

    const byHand = await t.patch(`/api/leads/${created.id}`, { ownerId: sdr.id });
    expect(byHand.status).toBe(200);
    expect((await history(created.id))[0]).toMatchObject({
      cause: 'manual',
      ownerId: sdr.id,
      byUserId: t.adminUserId,
    });
    const events = await t.db.query.events.findMany({ where: (e, { eq }) => eq(e.type, 'lead.assigned') });
    expect(events.filter((e) => e.leadId === created.id).length).toBeGreaterThanOrEqual(3);
  });

  it('routes a deactivated rep’s open leads again, never back to them', async () => {
    const [leaving, stays] = [await invite('Lee'), await invite('Sue')];
    const pool = await team('Pool', [{ userId: leaving.id }, { userId: stays.id }]);
    await putRouting({
      accountOwnershipFirst: false,
      rules: [{ id: 'p', name: 'Pool', action: { type: 'team', teamId: pool } }],
    });
    const mine = await lead({ ownerId: leaving.id });
    const res = await t.post(`/api/team/people/${leaving.id}/deactivate`, { openLeads: { to: 'routing' } });
    expect(res.status).toBe(200);
    const [moved] = await history(mine.id);
    expect(moved).toMatchObject({ cause: 'deactivated', ownerId: stays.id });
    expect(moved!.trace.candidates).toContainEqual(
      expect.objectContaining({ userId: leaving.id, skipped: 'deactivated' }),
    );
  });
});
