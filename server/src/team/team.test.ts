import type { Person } from '@leadline/shared/team';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface Invited {
  person: Person;
  token: string;
  tokenId: string;
}

async function invite(name: string, role = 'rep', token?: string) {
  const res = await t.request('POST', '/api/team/people', { body: { name, role }, token });
  expect(res.status).toBe(201);
  return (await res.json()) as Invited;
}

const issuesOf = async (res: Response) =>
  ((await res.json()) as { issues: { path: (string | number)[] }[] }).issues.map((i) => i.path.join('.'));

const person = async (id: string) =>
  ((await (await t.get('/api/team/people')).json()) as { items: Person[] }).items.find((p) => p.id === id)!;

describe('people', () => {
  it('invites a person with a token that works at once, shown once and listed without its secret', async () => {
    const rita = await invite('Rita Invite');
    expect(rita.token).toMatch(/^ll_/);
    const me = (await (await t.get('/api/me', rita.token)).json()) as { user: { id: string; role: string } };
    expect(me.user).toMatchObject({ id: rita.person.id, role: 'rep', awayUntil: null });
    const listed = await person(rita.person.id);
    expect(listed).toMatchObject({ name: 'Rita Invite', role: 'rep', timeZone: 'UTC', openLeads: 0 });
    expect(listed.tokens).toEqual([{ id: rita.tokenId, label: 'Invite', createdAt: expect.any(String) }]);
    expect(JSON.stringify(listed)).not.toContain(rita.token);
  });

  it('lets managers see the team but only admins invite; reps see neither', async () => {
    const manager = await invite('Mona Manager', 'manager');
    const rep = await invite('Rob Rep');
    expect((await t.get('/api/team/people', manager.token)).status).toBe(200);
    const refused = await t.request('POST', '/api/team/people', {
      body: { name: 'X' },
      token: manager.token,
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ action: 'people.manage' });
    expect((await t.get('/api/team/people', rep.token)).status).toBe(403);
    expect((await t.get('/api/teams', rep.token)).status).toBe(403);
  });

  it('refuses a bad invite naming each field, and writes nothing', async () => {
    const before = ((await (await t.get('/api/team/people')).json()) as { items: Person[] }).items.length;
    const res = await t.post('/api/team/people', { name: '', role: 'boss', timeZone: 'Mars/Olympus' });
    expect(res.status).toBe(422);
    expect(await issuesOf(res)).toEqual(expect.arrayContaining(['name', 'role', 'timeZone']));
    const after = ((await (await t.get('/api/team/people')).json()) as { items: Person[] }).items.length;
    expect(after).toBe(before);
  });

  it('keeps the last admin: no demotion, no deactivation, until another admin exists', async () => {
    const demote = await t.patch(`/api/team/people/${t.adminUserId}`, { role: 'manager' });
    expect(demote.status).toBe(409);
    expect(await demote.json()).toMatchObject({ reason: 'last-admin' });
    const off = await t.post(`/api/team/people/${t.adminUserId}/deactivate`, { openLeads: { to: 'queue' } });
    expect(off.status).toBe(409);
    expect((await person(t.adminUserId)).role).toBe('admin');

    const second = await invite('Ada Second', 'admin');
    const demoted = await t.patch(`/api/team/people/${second.person.id}`, { role: 'manager' });
    expect(demoted.status).toBe(200);
    expect(await demoted.json()).toMatchObject({ role: 'manager' });
    // Now the bootstrap admin is the only one again: the second admin, promoted back, may demote it.
    expect((await t.patch(`/api/team/people/${second.person.id}`, { role: 'admin' })).status).toBe(200);
    const byOther = await t.request('PATCH', `/api/team/people/${t.adminUserId}`, {
      body: { role: 'manager' },
      token: second.token,
    });
    expect(byOther.status).toBe(200);
    const back = await t.request('PATCH', `/api/team/people/${second.person.id}`, {
      body: { role: 'rep' },
      token: second.token,
    });
    expect(back.status).toBe(409);
    // Restore the bootstrap admin for the other tests.
    expect(
      (
        await t.request('PATCH', `/api/team/people/${t.adminUserId}`, {
          body: { role: 'admin' },
          token: second.token,
        })
      ).status,
    ).toBe(200);
  });

  it('lets a rep set their own away and hours, not a colleague’s; a manager sets anyone’s', async () => {
    const rep = await invite('Amy Away');
    const colleague = await invite('Carl Colleague');
    const manager = await invite('Max Manager', 'manager');
    const until = '2026-12-24T00:00:00.000Z';
    const own = await t.request('PATCH', `/api/team/people/${rep.person.id}`, {
      body: { awayUntil: until },
      token: rep.token,
    });
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ awayUntil: until });
    expect(
      ((await (await t.get('/api/me', rep.token)).json()) as { user: { awayUntil: string } }).user.awayUntil,
    ).toBe(until);
    const other = await t.request('PATCH', `/api/team/people/${colleague.person.id}`, {
      body: { awayUntil: until },
      token: rep.token,
    });
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ action: 'availability.change' });
    const promote = await t.request('PATCH', `/api/team/people/${rep.person.id}`, {
      body: { role: 'admin' },
      token: rep.token,
    });
    expect(promote.status).toBe(403);
    expect((await person(rep.person.id)).role).toBe('rep');

    const hours = {
      mon: [{ start: '08:00', end: '12:00' }],
      tue: [],
      wed: [],
      thu: [],
      fri: [],
      sat: [],
      sun: [],
    };
    const set = await t.request('PATCH', `/api/team/people/${colleague.person.id}`, {
      body: { timeZone: 'Europe/Berlin', workingHours: hours, awayUntil: null },
      token: manager.token,
    });
    expect(set.status).toBe(200);
    expect(await set.json()).toMatchObject({ timeZone: 'Europe/Berlin', workingHours: hours });

    const bad = await t.patch(`/api/team/people/${colleague.person.id}`, {
      timeZone: 'Berlin',
      workingHours: { ...hours, mon: [{ start: '12:00', end: '08:00' }] },
    });
    expect(bad.status).toBe(422);
    expect(await issuesOf(bad)).toEqual(expect.arrayContaining(['timeZone', 'workingHours.mon.0.end']));
    expect((await person(colleague.person.id)).timeZone).toBe('Europe/Berlin');
  });

  it('revokes one token and leaves the person’s others working', async () => {
    const rep = await invite('Tara Tokens');
    const second = (await (
      await t.post('/api/tokens', { userId: rep.person.id, label: 'laptop' })
    ).json()) as {
      id: string;
      token: string;
    };
    expect((await t.del(`/api/tokens/${rep.tokenId}`)).status).toBe(204);
    expect((await t.get('/api/me', rep.token)).status).toBe(401);
    expect((await t.get('/api/me', second.token)).status).toBe(200);
    expect((await person(rep.person.id)).tokens.map((token) => token.id)).toEqual([second.id]);
  });
});

describe('deactivating a person', () => {
  async function leadsOf(ownerToken: string, count: number, prefix: string) {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await t.request('POST', '/api/leads', {
        body: { fullName: `${prefix} ${i}`, email: `${prefix.toLowerCase()}${i}@example.com` },
        token: ownerToken,
      });
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { id: string }).id);
    }
    return ids;
  }
  const ownerOf = async (id: string) =>
    ((await (await t.get(`/api/leads/${id}`)).json()) as { ownerId: string | null }).ownerId;

  it('revokes every token and gives the open leads to the named colleague, closed ones stay', async () => {
    const leaving = await invite('Lea Leaving');
    const heir = await invite('Hal Heir');
    const [a, b, won] = await leadsOf(leaving.token, 3, 'Leaver');
    expect((await t.patch(`/api/leads/${won}`, { stage: 'won' })).status).toBe(200);
    const res = await t.post(`/api/team/people/${leaving.person.id}/deactivate`, {
      openLeads: { to: 'colleague', userId: heir.person.id },
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { person: Person; leadsMoved: number; tokensRevoked: number };
    expect(body).toMatchObject({ leadsMoved: 2, tokensRevoked: 1 });
    expect(body.person.deactivatedAt).toEqual(expect.any(String));
    expect((await t.get('/api/me', leaving.token)).status).toBe(401);
    expect(await ownerOf(a!)).toBe(heir.person.id);
    expect(await ownerOf(b!)).toBe(heir.person.id);
    expect(await ownerOf(won!)).toBe(leaving.person.id);
    const audit = (await (await t.get(`/api/leads/${a}/audit`)).json()) as {
      items: { field: string; before: unknown; after: unknown }[];
    };
    expect(audit.items).toContainEqual(
      expect.objectContaining({ field: 'ownerId', before: leaving.person.id, after: heir.person.id }),
    );
    // From then on: no lead, token or team may name them, and they cannot be deactivated twice.
    const give = await t.patch(`/api/leads/${a}`, { ownerId: leaving.person.id });
    expect(give.status).toBe(422);
    expect(await issuesOf(give)).toEqual(['ownerId']);
    const team = await t.post('/api/teams', { name: 'Ghosts', members: [{ userId: leaving.person.id }] });
    expect(team.status).toBe(422);
    expect(await issuesOf(team)).toEqual(['members.0.userId']);
    expect(
      (await t.post(`/api/team/people/${leaving.person.id}/deactivate`, { openLeads: { to: 'queue' } }))
        .status,
    ).toBe(409);
    expect((await t.patch(`/api/team/people/${leaving.person.id}`, { awayUntil: null })).status).toBe(409);
  });

  it('puts the open leads in the unassigned queue when asked, with a lead.assigned event each', async () => {
    const leaving = await invite('Quinn Queue');
    const [a] = await leadsOf(leaving.token, 1, 'Queued');
    const res = await t.post(`/api/team/people/${leaving.person.id}/deactivate`, {
      openLeads: { to: 'queue' },
    });
    expect(res.status).toBe(200);
    expect(await ownerOf(a!)).toBeNull();
    const events = (
      await t.db.query.events.findMany({ where: (e, { eq }) => eq(e.type, 'lead.assigned') })
    ).filter((e) => e.leadId === a);
    expect(events.map((e) => e.data)).toEqual([
      { from: leaving.person.id, to: null, cause: 'deactivated', summary: expect.any(String) },
    ]);
  });

  it('refuses a colleague who is not there or is themselves, naming the field, and changes nothing', async () => {
    const leaving = await invite('Nora Nothing');
    const [a] = await leadsOf(leaving.token, 1, 'Kept');
    for (const userId of ['no-such-user', leaving.person.id]) {
      const res = await t.post(`/api/team/people/${leaving.person.id}/deactivate`, {
        openLeads: { to: 'colleague', userId },
      });
      expect(res.status).toBe(422);
      expect(await issuesOf(res)).toEqual(['openLeads.userId']);
    }
    expect(await ownerOf(a!)).toBe(leaving.person.id);
    expect((await t.get('/api/me', leaving.token)).status).toBe(200);
    const manager = await invite('Mel Manager', 'manager');
    const byManager = await t.request('POST', `/api/team/people/${leaving.person.id}/deactivate`, {
      body: { openLeads: { to: 'queue' } },
      token: manager.token,
    });
    expect(byManager.status).toBe(403);
  });
});

describe('teams', () => {
  it('creates, replaces and deletes a team with weights and caps; names each bad member', async () => {
    const a = await invite('Tia Team');
    const b = await invite('Ted Team');
    const manager = await invite('Mae Lead', 'manager');
    const created = await t.request('POST', '/api/teams', {
      token: manager.token,
      body: {
        name: 'DACH',
        managerId: manager.person.id,
        members: [{ userId: a.person.id, weight: 3, capPerDay: 20 }, { userId: b.person.id }],
      },
    });
    expect(created.status).toBe(201);
    const team = (await created.json()) as { id: string; members: unknown[] };
    expect(team.members).toEqual(
      expect.arrayContaining([
        { userId: a.person.id, weight: 3, capPerDay: 20, capOpen: null },
        { userId: b.person.id, weight: 1, capPerDay: null, capOpen: null },
      ]),
    );
    expect((await person(a.person.id)).teamIds).toEqual([team.id]);

    const bad = await t.request('PUT', `/api/teams/${team.id}`, {
      body: {
        name: 'DACH',
        managerId: 'nobody',
        members: [{ userId: a.person.id, weight: 0 }, { userId: 'ghost' }],
      },
    });
    expect(bad.status).toBe(422);
    expect(await issuesOf(bad)).toEqual(['members.0.weight']);
    const unknown = await t.request('PUT', `/api/teams/${team.id}`, {
      body: { name: 'DACH', managerId: 'nobody', members: [{ userId: a.person.id }, { userId: 'ghost' }] },
    });
    expect(unknown.status).toBe(422);
    expect(await issuesOf(unknown)).toEqual(['members.1.userId', 'managerId']);

    const dup = await t.post('/api/teams', { name: 'DACH', members: [] });
    expect(dup.status).toBe(409);

    const replaced = await t.request('PUT', `/api/teams/${team.id}`, {
      body: { name: 'DACH + CH', members: [{ userId: b.person.id, weight: 2, capOpen: 50 }] },
    });
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({
      name: 'DACH + CH',
      managerId: null,
      members: [{ userId: b.person.id, weight: 2, capPerDay: null, capOpen: 50 }],
    });
    expect((await t.del(`/api/teams/${team.id}`)).status).toBe(204);
    expect((await t.del(`/api/teams/${team.id}`)).status).toBe(404);
    expect((await person(b.person.id)).teamIds).toEqual([]);
  });
});
