import type { Lead, LeadMatch } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeModel } from '../scoring/model.service';
import { topByScoreBruteForce } from '../scoring/ranking';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../test-utils';

let t: TestApp;
let rep: { token: string; userId: string };
let colleague: { token: string; userId: string };
let manager: { token: string; userId: string };
const mine: Lead[] = [];
const theirs: Lead[] = [];
let unowned: Lead;

async function user(name: string, role: string) {
  return (await (await t.post('/api/tokens', { name, role })).json()) as { token: string; userId: string };
}

async function lead(token: string, body: Record<string, unknown>) {
  const res = await t.request('POST', '/api/leads', { token, body });
  expect(res.status).toBe(201);
  return (await res.json()) as Lead;
}

const setVisibility = async (repsSeeOnlyOwnLeads: boolean, token = manager.token) =>
  t.request('PUT', '/api/settings/lead-visibility', { token, body: { repsSeeOnlyOwnLeads } });

beforeAll(async () => {
  t = await createTestApp();
  rep = await user('Rita Rep', 'rep');
  colleague = await user('Otto Other', 'rep');
  manager = await user('Mia Manager', 'manager');
  for (let i = 0; i < 6; i++) {
    const types = ['meeting_held', 'call_connected', 'email_replied'].slice(0, i % 4);
    for (const [owner, list] of [
      [rep, mine],
      [colleague, theirs],
    ] as const) {
      const made = await lead(owner.token, {
        fullName: `${owner === rep ? 'Rita' : 'Otto'} Lead ${i}`,
        email: `${owner === rep ? 'r' : 'o'}${i}@acme.io`,
        companySize: 50 * (i + 1),
      });
      for (const type of types) {
        await t.request('POST', `/api/leads/${made.id}/touchpoints`, { token: owner.token, body: { type } });
      }
      list.push(made);
    }
  }
  unowned = await lead(TEST_ADMIN_TOKEN, { fullName: 'Nobody Yet', email: 'queue@acme.io' });
  await t.patch(`/api/leads/${unowned.id}`, { ownerId: null });
  expect((await setVisibility(true)).status).toBe(200);
});
afterAll(() => t.close());

const ids = async (path: string, token: string) =>
  ((await (await t.get(path, token)).json()) as { items: Lead[] }).items.map((item) => item.id).sort();

describe('a workspace that shows reps only their own leads', () => {
  it('lists, ranks and pages only the rep’s leads; managers still see all', async () => {
    const own = mine.map((item) => item.id).sort();
    expect(await ids('/api/leads?limit=200', rep.token)).toEqual(own);
    expect(await ids('/api/leads?limit=200&sort=-score', rep.token)).toEqual(own);
    expect(await ids('/api/leads?limit=200&sort=-lastTouchAt', rep.token)).toEqual(own);
    expect(await ids(`/api/leads?owner=${colleague.userId}`, rep.token)).toEqual([]);
    expect((await ids('/api/leads?limit=200', manager.token)).length).toBe(13);
  });

  it('ranks the rep’s hot list exactly as brute force over their leads', async () => {
    const res = await t.get('/api/leads?sort=-score&limit=3', rep.token);
    const page = (await res.json()) as { items: Lead[]; nextCursor: string };
    const model = await activeModel(t.db, t.workspaceId);
    const expected = await topByScoreBruteForce(
      t.db,
      t.workspaceId,
      { owner: rep.userId },
      6,
      model,
      Date.now(),
    );
    const next = (await (
      await t.get(`/api/leads?sort=-score&limit=3&cursor=${page.nextCursor}`, rep.token)
    ).json()) as { items: Lead[] };
    expect([...page.items, ...next.items].map((item) => item.id)).toEqual(expected.map(({ row }) => row.id));
  });

  it('matches a person only among the rep’s leads', async () => {
    const match = async (email: string) =>
      ((await (await t.get(`/api/leads/match?email=${email}`, rep.token)).json()) as LeadMatch).match;
    expect((await match('r1@acme.io'))?.lead.id).toBe(mine[1]!.id);
    expect(await match('o1@acme.io')).toBeNull();
    expect(await match('queue@acme.io')).toBeNull();
  });

  it('refuses a colleague’s or an unowned lead with 403 lead.read, and a touchpoint on it, changing nothing', async () => {
    for (const target of [theirs[2]!, unowned]) {
      for (const path of ['', '/score', '/touchpoints', '/stage-changes', '/audit']) {
        const res = await t.get(`/api/leads/${target.id}${path}`, rep.token);
        expect(res.status).toBe(403);
        expect(await res.json()).toMatchObject({ type: '/problems/forbidden', action: 'lead.read' });
      }
      const before = await (await t.get(`/api/leads/${target.id}/touchpoints`)).json();
      const res = await t.request('POST', `/api/leads/${target.id}/touchpoints`, {
        token: rep.token,
        body: { type: 'call_connected' },
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ action: 'touchpoint.log' });
      expect(await (await t.get(`/api/leads/${target.id}/touchpoints`)).json()).toEqual(before);
    }
  });

  it('is read by everyone and changed by managers and admins only', async () => {
    const res = await setVisibility(false, rep.token);
    expect(res.status).toBe(403);
    expect(await (await t.get('/api/settings/lead-visibility', rep.token)).json()).toEqual({
      repsSeeOnlyOwnLeads: true,
    });
  });

  it('shows reps the team’s leads again once switched off', async () => {
    expect((await setVisibility(false)).status).toBe(200);
    expect((await ids('/api/leads?limit=200', rep.token)).length).toBe(13);
    expect((await t.get(`/api/leads/${theirs[0]!.id}`, rep.token)).status).toBe(200);
    expect((await setVisibility(true)).status).toBe(200);
  });
});
