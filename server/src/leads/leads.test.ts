import type { Lead, LeadMatch, Touchpoint } from '@leadline/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../app';
import { openDatabase } from '../db/client';
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../test-utils';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function createLead(body: Record<string, unknown>): Promise<Lead> {
  const res = await t.post('/api/leads', body);
  expect(res.status).toBe(201);
  return (await res.json()) as Lead;
}

async function expectProblem(res: Response, status: number, type: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const body = (await res.json()) as { type: string; status: number; title: string; detail?: string };
  expect(body.type).toBe(`/problems/${type}`);
  expect(body.status).toBe(status);
  expect(body.title).toBeTruthy();
  return body;
}

describe('POST /api/leads', () => {
  it('creates a lead with normalised keys, the source and its UTM tags', async () => {
    const lead = await createLead({
      fullName: 'Ada Lovelace',
      email: 'Ada@Analytical.IO',
      linkedinUrl: 'https://uk.linkedin.com/in/Ada-Lovelace/details/experience/?trk=abc',
      companySize: 120,
      bant: { budget: true },
      source: { channel: 'linkedin', url: 'https://www.linkedin.com/in/ada?utm_source=news&utm_campaign=q4' },
    });
    expect(lead.email).toBe('ada@analytical.io');
    expect(lead.linkedinUrl).toBe('https://www.linkedin.com/in/ada-lovelace');
    expect(lead.stage).toBe('new');
    expect(lead.source).toEqual({
      channel: 'linkedin',
      url: 'https://www.linkedin.com/in/ada?utm_source=news&utm_campaign=q4',
      utm: { source: 'news', medium: null, campaign: 'q4', term: null, content: null },
    });
    expect(lead.bant).toEqual({ budget: true, authority: null, need: null, timelineMonths: null });
    expect(lead.ownerId).toBe(t.adminUserId);

    const fetched = await t.get(`/api/leads/${lead.id}`);
    expect(fetched.status).toBe(200);
    expect(((await fetched.json()) as Lead).fullName).toBe('Ada Lovelace');
  });

  it('builds the full name from first and last name', async () => {
    const lead = await createLead({ firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.mil' });
    expect(lead.fullName).toBe('Grace Hopper');
  });

  it('refuses a lead with no name, e-mail or LinkedIn URL', async () => {
    const body = await expectProblem(await t.post('/api/leads', { title: 'CTO' }), 422, 'validation');
    expect(body.detail).toMatch(/fullName, email or linkedinUrl/);
  });

  it('refuses a second lead for the same e-mail match key, naming the first', async () => {
    const first = await createLead({ fullName: 'Ann Dot', email: 'ann.dot@gmail.com' });
    const res = await t.post('/api/leads', { fullName: 'Ann', email: 'AnnDot+crm@googlemail.com' });
    const body = (await expectProblem(res, 409, 'conflict')) as unknown as { existingLeadId: string };
    expect(body.existingLeadId).toBe(first.id);
  });

  it.each([
    ['malformed JSON', '{"fullName": "Ada"', 400, 'malformed-json'],
    ['a wrong type', { fullName: 42 }, 422, 'validation'],
    ['an invalid e-mail', { fullName: 'Ada', email: 'not-an-email' }, 422, 'validation'],
    ['an unknown field', { fullName: 'Ada', favouriteColour: 'blue' }, 422, 'validation'],
    ['a bad stage', { fullName: 'Ada', stage: 'hot' }, 422, 'validation'],
    ['a javascript: URL', { fullName: 'Ada', website: 'javascript:alert(1)' }, 422, 'validation'],
    ['a 100 kB name', { fullName: 'x'.repeat(100_000) }, 422, 'validation'],
  ])('answers %s with a problem', async (_label, body, status, type) => {
    await expectProblem(await t.post('/api/leads', body), status, type);
    const list = (await (await t.get('/api/leads')).json()) as { items: Lead[] };
    expect(list.items).toHaveLength(0);
  });

  it('answers a body over 1 MB with 413', async () => {
    const res = await t.post('/api/leads', { fullName: 'Ada', note: 'x'.repeat(1024 * 1024 + 10) });
    await expectProblem(res, 413, 'payload-too-large');
  });

  it('answers a body that is not JSON with 415', async () => {
    const res = await t.request('POST', '/api/leads', {
      body: 'fullName=Ada',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(415);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });

  it('names the field errors in `issues`', async () => {
    const res = await t.post('/api/leads', { fullName: 'Ada', companySize: -3, country: 'Germany' });
    const body = (await expectProblem(res, 422, 'validation')) as unknown as { issues: { path: string[] }[] };
    expect(body.issues.map((issue) => issue.path.join('.')).sort()).toEqual(['companySize', 'country']);
  });
});

describe('authentication', () => {
  it('needs a token', async () => {
    const body = await expectProblem(await t.get('/api/leads', null), 401, 'unauthorized');
    expect(body.detail).toMatch(/Bearer/);
  });

  it('refuses a wrong token', async () => {
    const body = await expectProblem(await t.get('/api/leads', 'wrong-token'), 401, 'unauthorized');
    expect(body.detail).toMatch(/unknown|revoked/);
  });

  it('refuses a malformed Authorization header', async () => {
    const res = await t.request('GET', '/api/leads', {
      token: null,
      headers: { authorization: 'Basic abc' },
    });
    await expectProblem(res, 401, 'unauthorized');
  });

  it('leaves /health open', async () => {
    const res = await t.get('/health', null);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });
});

describe('Idempotency-Key', () => {
  it('replays the first response and creates one lead', async () => {
    const headers = { 'idempotency-key': 'click-123' };
    const first = await t.post('/api/leads', { fullName: 'Once Only' }, headers);
    const second = await t.post('/api/leads', { fullName: 'Once Only' }, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(((await second.json()) as Lead).id).toBe(((await first.json()) as Lead).id);
    const list = (await (await t.get('/api/leads')).json()) as { items: Lead[] };
    expect(list.items).toHaveLength(1);
  });

  it('refuses the same key with another body', async () => {
    await t.post('/api/leads', { fullName: 'First' }, { 'idempotency-key': 'k1' });
    const res = await t.post('/api/leads', { fullName: 'Second' }, { 'idempotency-key': 'k1' });
    await expectProblem(res, 422, 'idempotency-key-reused');
  });

  it('does not keep the key of a failed write', async () => {
    const bad = await t.post(
      '/api/leads',
      { fullName: 'Dup', email: 'dup@acme.com' },
      { 'idempotency-key': 'k2' },
    );
    expect(bad.status).toBe(201);
    const conflict = await t.post(
      '/api/leads',
      { fullName: 'Dup 2', email: 'dup@acme.com' },
      { 'idempotency-key': 'k3' },
    );
    expect(conflict.status).toBe(409);
    const retry = await t.post(
      '/api/leads',
      { fullName: 'Dup 2', email: 'dup2@acme.com' },
      { 'idempotency-key': 'k3' },
    );
    expect(retry.status).toBe(201);
  });

  it('is safe under concurrent repeats', async () => {
    const headers = { 'idempotency-key': 'burst' };
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => t.post('/api/leads', { fullName: 'Burst' }, headers)),
    );
    expect(responses.map((res) => res.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(await Promise.all(responses.map(async (res) => ((await res.json()) as Lead).id)));
    expect(ids.size).toBe(1);
  });
});

describe('GET /api/leads', () => {
  it('pages by cursor, newest first, without gaps or repeats', async () => {
    for (let i = 0; i < 7; i++) await createLead({ fullName: `Lead ${i}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.get(`/api/leads?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const page = (await res.json()) as { items: Lead[]; nextCursor: string | null };
      seen.push(...page.items.map((lead) => lead.fullName!));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['Lead 6', 'Lead 5', 'Lead 4', 'Lead 3', 'Lead 2', 'Lead 1', 'Lead 0']);
  });

  it('filters by stage, channel and text', async () => {
    await createLead({ fullName: 'Zoë Ünal', company: 'Acme 100%', source: { channel: 'web' } });
    await createLead({
      fullName: 'Bob Stone',
      email: 'bob@stone.io',
      stage: 'mql',
      source: { channel: 'email' },
    });
    const names = async (query: string) =>
      ((await (await t.get(`/api/leads?${query}`)).json()) as { items: Lead[] }).items.map((l) => l.fullName);
    expect(await names('stage=mql')).toEqual(['Bob Stone']);
    expect(await names('channel=web')).toEqual(['Zoë Ünal']);
    expect(await names('q=zoe')).toEqual(['Zoë Ünal']);
    expect(await names('q=100%25')).toEqual(['Zoë Ünal']);
    expect(await names('q=stone.io')).toEqual(['Bob Stone']);
    expect(await names('q=_')).toEqual([]);
  });

  it('answers a bad cursor or limit with 422', async () => {
    await expectProblem(await t.get('/api/leads?cursor=nonsense'), 422, 'validation');
    await expectProblem(await t.get('/api/leads?limit=0'), 422, 'validation');
    await expectProblem(await t.get('/api/leads?sort=name'), 422, 'validation');
  });
});

describe('PATCH and DELETE /api/leads/:id', () => {
  it('updates fields, clears with null and records a stage change', async () => {
    const lead = await createLead({ fullName: 'Pat Patch', title: 'CTO', phone: '+49 30 1234567' });
    const res = await t.patch(`/api/leads/${lead.id}`, { title: 'CEO', phone: null, stage: 'opportunity' });
    expect(res.status).toBe(200);
    const updated = (await res.json()) as Lead;
    expect(updated.title).toBe('CEO');
    expect(updated.phone).toBeNull();
    expect(updated.stage).toBe('opportunity');
    const rows = await t.client.execute({
      sql: 'select from_stage, to_stage, cause from stage_changes where lead_id = ? order by at',
      args: [lead.id],
    });
    expect(rows.rows.map((row) => [row.from_stage, row.to_stage, row.cause])).toEqual([
      [null, 'new', 'created'],
      ['new', 'opportunity', 'rep'],
    ]);
  });

  it('refuses clearing the last identity field', async () => {
    const lead = await createLead({ fullName: 'Only Name' });
    await expectProblem(await t.patch(`/api/leads/${lead.id}`, { fullName: null }), 422, 'validation');
  });

  it('refuses an owner from nowhere', async () => {
    const lead = await createLead({ fullName: 'Owned' });
    await expectProblem(await t.patch(`/api/leads/${lead.id}`, { ownerId: 'ghost' }), 422, 'validation');
  });

  it('forgets the lead with its touchpoints and history', async () => {
    const lead = await createLead({ fullName: 'Forget Me' });
    await t.post(`/api/leads/${lead.id}/touchpoints`, { type: 'call_connected' });
    expect((await t.del(`/api/leads/${lead.id}`)).status).toBe(204);
    await expectProblem(await t.get(`/api/leads/${lead.id}`), 404, 'not-found');
    for (const table of ['touchpoints', 'stage_changes']) {
      const left = await t.client.execute({
        sql: `select count(*) as n from ${table} where lead_id = ?`,
        args: [lead.id],
      });
      expect(left.rows[0]!.n).toBe(0);
    }
    await expectProblem(await t.del(`/api/leads/${lead.id}`), 404, 'not-found');
  });
});

describe('touchpoints', () => {
  it('logs touchpoints, newest first, and moves the last touch forward only', async () => {
    const lead = await createLead({ fullName: 'Touchy' });
    const call = await t.post(`/api/leads/${lead.id}/touchpoints`, {
      type: 'call_connected',
      occurredAt: '2026-03-02T10:00:00Z',
      note: 'Talked budget',
    });
    expect(call.status).toBe(201);
    const late = await t.post(`/api/leads/${lead.id}/touchpoints`, {
      type: 'email_sent',
      occurredAt: '2026-03-01T09:00:00+01:00',
    });
    expect(((await late.json()) as Touchpoint).occurredAt).toBe('2026-03-01T08:00:00.000Z');
    const list = (await (await t.get(`/api/leads/${lead.id}/touchpoints`)).json()) as { items: Touchpoint[] };
    expect(list.items.map((tp) => tp.type)).toEqual(['call_connected', 'email_sent']);
    const fetched = (await (await t.get(`/api/leads/${lead.id}`)).json()) as Lead;
    expect(fetched.lastTouchAt).toBe('2026-03-02T10:00:00.000Z');
  });

  it('refuses an unknown type, naming the known ones', async () => {
    const lead = await createLead({ fullName: 'Typed' });
    const res = await t.post(`/api/leads/${lead.id}/touchpoints`, { type: 'smoke_signal' });
    const body = await expectProblem(res, 422, 'validation');
    expect(body.detail).toContain('meeting_booked');
  });

  it('refuses a bad occurredAt and an unknown lead', async () => {
    const lead = await createLead({ fullName: 'Timed' });
    await expectProblem(
      await t.post(`/api/leads/${lead.id}/touchpoints`, { type: 'note', occurredAt: 'yesterday' }),
      422,
      'validation',
    );
    await expectProblem(await t.post('/api/leads/nope/touchpoints', { type: 'note' }), 404, 'not-found');
  });

  it('counts a repeated click once', async () => {
    const lead = await createLead({ fullName: 'Double Click' });
    const headers = { 'idempotency-key': 'tp-1' };
    await t.post(`/api/leads/${lead.id}/touchpoints`, { type: 'call_attempted' }, headers);
    await t.post(`/api/leads/${lead.id}/touchpoints`, { type: 'call_attempted' }, headers);
    const list = (await (await t.get(`/api/leads/${lead.id}/touchpoints`)).json()) as { items: Touchpoint[] };
    expect(list.items).toHaveLength(1);
  });
});

describe('GET /api/leads/match', () => {
  it('matches by LinkedIn URL, then e-mail key, then fuzzy name within the company domain', async () => {
    const lead = await createLead({
      fullName: 'Jonathan Smith',
      email: 'j.smith@globex.com',
      companyDomain: 'globex.com',
      linkedinUrl: 'https://www.linkedin.com/in/jsmith',
    });
    const match = async (query: string) =>
      ((await (await t.get(`/api/leads/match?${query}`)).json()) as LeadMatch).match;

    const byUrl = await match('linkedinUrl=https://de.linkedin.com/in/JSmith/?trk=x');
    expect(byUrl).toMatchObject({ reason: 'linkedinUrl', confidence: 1, needsConfirmation: false });
    expect(byUrl?.lead.id).toBe(lead.id);

    expect(await match('email=J.Smith%2Bnews@Globex.com')).toMatchObject({ reason: 'email' });

    const fuzzy = await match('fullName=Jonathon%20Smith&companyDomain=globex.com');
    expect(fuzzy).toMatchObject({ reason: 'nameAndDomain', needsConfirmation: true });
    expect(fuzzy!.confidence).toBeGreaterThan(0.75);
    expect(fuzzy!.confidence).toBeLessThan(1);

    expect(await match('fullName=Maria%20Garcia&companyDomain=globex.com')).toBeNull();
    expect(await match('fullName=Jonathan%20Smith&companyDomain=initech.com')).toBeNull();
  });

  it('needs something to match on', async () => {
    await expectProblem(await t.get('/api/leads/match'), 422, 'validation');
    await expectProblem(await t.get('/api/leads/match?fullName=Ann'), 422, 'validation');
  });
});

describe('persistence', () => {
  it('keeps data across an API restart on the same file', async () => {
    const lead = await createLead({ fullName: 'Still Here', email: 'still@here.io' });
    await t.post(`/api/leads/${lead.id}/touchpoints`, { type: 'meeting_held' });
    t.client.close();

    const reopened = await openDatabase(t.url);
    try {
      const app = createApp(reopened.db);
      const res = await app.request(`/api/leads/${lead.id}/touchpoints`, {
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { items: Touchpoint[] }).items.map((tp) => tp.type)).toEqual([
        'meeting_held',
      ]);
    } finally {
      reopened.close();
    }
  });
});

describe('the API contract', () => {
  it('serves an OpenAPI 3.1 document naming every route', async () => {
    const doc = (await (await t.get('/openapi.json', null)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/leads',
        '/api/leads/match',
        '/api/leads/{id}',
        '/api/leads/{id}/touchpoints',
        '/api/me',
        '/api/tokens',
        '/api/tokens/{id}',
      ]),
    );
    expect(Object.keys(doc.paths['/api/leads/{id}']!)).toEqual(
      expect.arrayContaining(['get', 'patch', 'delete']),
    );
  });

  it('serves the reference page and answers unknown routes with a problem', async () => {
    const docs = await t.get('/docs', null);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('/openapi.json');
    await expectProblem(await t.get('/api/nothing-here'), 404, 'not-found');
  });

  it('allows extension origins only (CORS)', async () => {
    const preflight = (origin: string) =>
      t.request('OPTIONS', '/api/leads', {
        token: null,
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      });
    const ext = await preflight('chrome-extension://abcdefghijklmnop');
    expect(ext.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnop');
    const web = await preflight('https://evil.example');
    expect(web.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers CORS headers to a browser request from the extension, and none without an Origin', async () => {
    const fromPanel = await t.request('GET', '/api/leads?limit=1', {
      headers: { origin: 'chrome-extension://abcdefghijklmnop' },
    });
    expect(fromPanel.status).toBe(200);
    expect(fromPanel.headers.get('access-control-allow-origin')).toBe('chrome-extension://abcdefghijklmnop');
    expect(fromPanel.headers.get('access-control-expose-headers')).toBe('Idempotent-Replayed');
    expect(fromPanel.headers.get('vary')).toContain('Origin');
    const script = await t.get('/api/leads?limit=1');
    expect(script.status).toBe(200);
    expect(script.headers.get('access-control-allow-origin')).toBeNull();
    expect(script.headers.get('access-control-expose-headers')).toBeNull();
    expect(script.headers.get('vary')).toBe('Origin');
    // The security headers are on both.
    expect(script.headers.get('x-frame-options')).toBe('DENY');
    expect(fromPanel.headers.get('x-frame-options')).toBe('DENY');
  });
});

describe('PATCH with Idempotency-Key', () => {
  it('applies a retried patch once', async () => {
    const lead = (await (await t.post('/api/leads', { fullName: 'Patchy' })).json()) as Lead;
    const send = () =>
      t.request('PATCH', `/api/leads/${lead.id}`, {
        body: { stage: 'nurture' },
        headers: { 'idempotency-key': 'p-1' },
      });
    expect((await send()).status).toBe(200);
    const again = await send();
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const rows = await t.client.execute({
      sql: "select count(*) as n from stage_changes where lead_id = ? and cause = 'rep'",
      args: [lead.id],
    });
    expect(rows.rows[0]!.n).toBe(1);
  });
});

describe('match by name and company name', () => {
  it('finds a LinkedIn lead (company, no domain) from an e-mail signature naming the same company', async () => {
    const res = await t.post('/api/leads', {
      fullName: 'Anna-Lena Müller',
      company: 'Acme GmbH',
      linkedinUrl: 'https://www.linkedin.com/in/annalena',
    });
    const lead = (await res.json()) as Lead;
    const found = (await (
      await t.get('/api/leads/match?fullName=Anna-Lena%20Mueller&company=ACME%20GmbH&companyDomain=acme.de')
    ).json()) as LeadMatch;
    expect(found.match).toMatchObject({ reason: 'nameAndCompany', needsConfirmation: true });
    expect(found.match?.lead.id).toBe(lead.id);
    const other = (await (
      await t.get('/api/leads/match?fullName=Anna-Lena%20Mueller&company=Initech')
    ).json()) as LeadMatch;
    expect(other.match).toBeNull();
  });
});
