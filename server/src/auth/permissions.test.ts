import type { Lead } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { type Action, can } from './permissions';

type Role = 'rep' | 'manager' | 'admin';
type Whose = 'own' | "colleague's" | 'unowned';
interface Actor {
  token: string;
  userId: string;
}

let t: TestApp;
const actors = {} as Record<Role | 'colleague' | 'other', Actor>;

async function makeUser(name: string, role: Role): Promise<Actor> {
  const res = await t.post('/api/tokens', { name, role });
  expect(res.status).toBe(201);
  return (await res.json()) as Actor;
}

beforeAll(async () => {
  t = await createTestApp();
  actors.rep = await makeUser('Rita Rep', 'rep');
  actors.manager = await makeUser('Mia Manager', 'manager');
  actors.admin = { token: (await makeUser('Ada Admin', 'admin')).token, userId: '' };
  actors.admin.userId = (
    (await (await t.get('/api/me', actors.admin.token)).json()) as { user: { id: string } }
  ).user.id;
  actors.colleague = await makeUser('Otto Other', 'rep');
  actors.other = await makeUser('Tom Third', 'rep');
});
afterAll(() => t.close());

let serial = 0;
/** A fresh lead (made by the admin) owned as the cell says, with one touchpoint by its owner-to-be and one by the colleague. */
async function leadFor(actor: Actor, whose: Whose) {
  const ownerId = whose === 'own' ? actor.userId : whose === "colleague's" ? actors.colleague.userId : null;
  serial += 1;
  const created = await t.post('/api/leads', { fullName: `Lead ${serial}`, email: `lead${serial}@acme.io` });
  const lead = (await created.json()) as Lead;
  await t.patch(`/api/leads/${lead.id}`, { ownerId, dealValue: 1000 });
  const touch = async (by: Actor) => {
    const res = await t.request('POST', `/api/leads/${lead.id}/touchpoints`, {
      token: by.token,
      body: { type: 'call_connected' },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  return { id: lead.id, mine: await touch(actor), colleagues: await touch(actors.colleague) };
}

/** What a refusal must leave as it was: the stored lead, its touchpoints, its stage history and audit. */
async function snapshot(id: string) {
  const read = async (path: string) => (await t.get(path)).json();
  const { score, engagement, grade, scoring, ...lead } = (await read(`/api/leads/${id}`)) as Lead & {
    scoring: unknown;
  };
  return {
    lead,
    touchpoints: await read(`/api/leads/${id}/touchpoints`),
    stages: await read(`/api/leads/${id}/stage-changes`),
    audit: await read(`/api/leads/${id}/audit`),
  };
}

type Step = (
  actor: Actor,
  lead: { id: string; mine: string; colleagues: string },
) => [string, string, unknown?];
const ACTIONS: Record<string, { action: string; status: number; step: Step }> = {
  read: { action: 'lead.read', status: 200, step: (_, l) => ['GET', `/api/leads/${l.id}`] },
  'read touchpoints': {
    action: 'lead.read',
    status: 200,
    step: (_, l) => ['GET', `/api/leads/${l.id}/touchpoints`],
  },
  edit: {
    action: 'lead.edit',
    status: 200,
    step: (_, l) => ['PATCH', `/api/leads/${l.id}`, { title: 'VP Sales' }],
  },
  'close as won': {
    action: 'lead.close',
    status: 200,
    step: (_, l) => ['PATCH', `/api/leads/${l.id}`, { stage: 'won' }],
  },
  'change deal value': {
    action: 'lead.set-deal-value',
    status: 200,
    step: (_, l) => ['PATCH', `/api/leads/${l.id}`, { dealValue: 99_000 }],
  },
  'reassign to a colleague': {
    action: 'lead.reassign',
    status: 200,
    step: (_, l) => ['PATCH', `/api/leads/${l.id}`, { ownerId: actors.other.userId }],
  },
  'claim and close in one go': {
    action: 'lead.reassign',
    status: 200,
    step: (actor, l) => ['PATCH', `/api/leads/${l.id}`, { ownerId: actor.userId, stage: 'won' }],
  },
  delete: { action: 'lead.delete', status: 204, step: (_, l) => ['DELETE', `/api/leads/${l.id}`] },
  'log a touchpoint': {
    action: 'touchpoint.log',
    status: 201,
    step: (_, l) => ['POST', `/api/leads/${l.id}/touchpoints`, { type: 'email_sent' }],
  },
  'undo own touchpoint': {
    action: 'touchpoint.undo',
    status: 204,
    step: (_, l) => ['DELETE', `/api/leads/${l.id}/touchpoints/${l.mine}`],
  },
  "undo a colleague's touchpoint": {
    action: 'touchpoint.undo',
    status: 204,
    step: (_, l) => ['DELETE', `/api/leads/${l.id}/touchpoints/${l.colleagues}`],
  },
};

/** The README's table, for reps: which cells are refused (and the action the 403 names). Managers and admins: none. */
const REP_REFUSED: Record<Whose, Record<string, string>> = {
  own: { "undo a colleague's touchpoint": 'touchpoint.undo' },
  "colleague's": {
    edit: 'lead.edit',
    'close as won': 'lead.close',
    'change deal value': 'lead.set-deal-value',
    'reassign to a colleague': 'lead.reassign',
    'claim and close in one go': 'lead.reassign',
    delete: 'lead.delete',
    "undo a colleague's touchpoint": 'touchpoint.undo',
  },
  unowned: {
    'close as won': 'lead.close',
    'change deal value': 'lead.set-deal-value',
    'reassign to a colleague': 'lead.reassign',
    delete: 'lead.delete',
    "undo a colleague's touchpoint": 'touchpoint.undo',
  },
};

async function expectForbidden(res: Response, action: string) {
  expect(res.status).toBe(403);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as { type: string; status: number; action: string; detail: string };
  expect(body).toMatchObject({ type: '/problems/forbidden', status: 403, action });
  expect(body.detail).toContain(action);
}

const cells = (['rep', 'manager', 'admin'] as const).flatMap((role) =>
  (['own', "colleague's", 'unowned'] as const).flatMap((whose) =>
    Object.keys(ACTIONS).map((name) => ({ role, whose, name })),
  ),
);

describe('who may change what (README table): one test per role x action x lead', () => {
  it.each(cells)('$role: $name on a $whose lead', async ({ role, whose, name }) => {
    const actor = actors[role];
    const lead = await leadFor(actor, whose);
    const { status, step } = ACTIONS[name]!;
    const [method, path, body] = step(actor, lead);
    const refused = role === 'rep' ? REP_REFUSED[whose][name] : undefined;
    const before = refused ? await snapshot(lead.id) : null;
    const res = await t.request(method, path, { token: actor.token, body });
    if (refused) {
      await expectForbidden(res, refused);
      expect(await snapshot(lead.id)).toEqual(before);
    } else {
      expect(res.status).toBe(status);
    }
  });
});

describe('creating leads and changing settings', () => {
  const ownerCells = [
    { role: 'rep', status: 403 },
    { role: 'manager', status: 201 },
    { role: 'admin', status: 201 },
  ] as const;
  it.each(ownerCells)('$role: create a lead for a colleague -> $status', async ({ role, status }) => {
    const count = async () =>
      ((await (await t.get('/api/leads?limit=200')).json()) as { items: Lead[] }).items.length;
    const before = await count();
    serial += 1;
    const res = await t.request('POST', '/api/leads', {
      token: actors[role].token,
      body: { fullName: `Given ${serial}`, ownerId: actors.other.userId },
    });
    if (status === 403) {
      await expectForbidden(res, 'lead.create');
      expect(await count()).toBe(before);
    } else expect(res.status).toBe(status);
  });

  it('lets a rep create a lead of their own (the default owner)', async () => {
    const res = await t.request('POST', '/api/leads', {
      token: actors.rep.token,
      body: { fullName: 'Mine Too' },
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as Lead).ownerId).toBe(actors.rep.userId);
  });

  const settings = [
    ['PUT', '/api/settings/lead-visibility', { repsSeeOnlyOwnLeads: false }],
    ['PUT', '/api/settings/stage-probabilities', { new: 0.05, mql: 0.1, sql: 0.2, opportunity: 0.4 }],
  ] as const;
  it.each(
    settings.flatMap(([method, path, body]) =>
      (['rep', 'manager', 'admin'] as const).map((role) => ({ role, method, path, body })),
    ),
  )('$role: $method $path', async ({ role, method, path, body }) => {
    const before = await (await t.get(path)).text();
    const res = await t.request(method, path, { token: actors[role].token, body });
    if (role === 'rep') {
      await expectForbidden(res, 'settings.change');
      expect(await (await t.get(path)).text()).toBe(before);
    } else expect(res.status).toBe(200);
  });

  it.each([
    { role: 'rep', status: 403 },
    { role: 'manager', status: 200 },
    { role: 'admin', status: 200 },
  ] as const)('$role: PUT /api/scoring-model -> $status', async ({ role, status }) => {
    const before = (await (await t.get('/api/scoring-model')).json()) as { version: number; model: unknown };
    const res = await t.request('PUT', '/api/scoring-model', {
      token: actors[role].token,
      body: before.model,
    });
    const after = (await (await t.get('/api/scoring-model')).json()) as { version: number };
    if (status === 403) {
      await expectForbidden(res, 'scoring.change');
      expect(after.version).toBe(before.version);
    } else {
      expect(res.status).toBe(200);
      expect(after.version).toBe(before.version + 1);
    }
  });

  it.each([
    { role: 'rep', status: 403 },
    { role: 'manager', status: 403 },
    { role: 'admin', status: 201 },
  ] as const)('$role: POST /api/tokens -> $status', async ({ role, status }) => {
    const count = async () =>
      ((await (await t.get('/api/tokens')).json()) as { items: unknown[] }).items.length;
    const before = await count();
    const res = await t.request('POST', '/api/tokens', {
      token: actors[role].token,
      body: { name: `Made by ${role}`, role: 'admin' },
    });
    if (status === 403) {
      await expectForbidden(res, 'tokens.manage');
      expect(await count()).toBe(before);
    } else expect(res.status).toBe(201);
  });

  it('lets everyone read the lead-visibility setting', async () => {
    for (const role of ['rep', 'manager', 'admin'] as const) {
      const res = await t.get('/api/settings/lead-visibility', actors[role].token);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ repsSeeOnlyOwnLeads: false });
    }
  });
});

describe('who may change what (README table): the team and routing rows', () => {
  const principal = (role: Role, userId = 'me') => ({
    role,
    userId,
    workspaceId: 'w',
    tokenId: 't',
    repsSeeOnlyOwnLeads: false,
  });
  const ROLE_ROWS: Record<string, Role[]> = {
    'people.manage': ['admin'],
    'tokens.manage': ['admin'],
    'team.read': ['manager', 'admin'],
    'teams.manage': ['manager', 'admin'],
    'routing.change': ['manager', 'admin'],
  };
  it.each(Object.entries(ROLE_ROWS))('%s: only %j', (action, allowed) => {
    for (const role of ['rep', 'manager', 'admin'] as const) {
      expect(can(principal(role), action as Action)).toBe(allowed.includes(role));
    }
  });
  it('availability: a rep their own only; managers and admins anyone’s', () => {
    const subject = (personId: string) => ({ ownerId: null, personId });
    expect(can(principal('rep'), 'availability.change', subject('me'))).toBe(true);
    expect(can(principal('rep'), 'availability.change', subject('other'))).toBe(false);
    expect(can(principal('manager'), 'availability.change', subject('other'))).toBe(true);
    expect(can(principal('admin'), 'availability.change', subject('other'))).toBe(true);
  });
});
