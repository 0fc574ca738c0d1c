import { createTestApp, TEST_ADMIN_TOKEN, WebhookDispatcher } from '@leadline/server/testing';
import fc from 'fast-check';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type Answer, createContract } from './contract';
import {
  FUZZ_FORM_ORIGIN,
  type FuzzRequest,
  type IdPool,
  listOperations,
  type OpenApiDocument,
  requestArbitrary,
} from './requests';

/**
 * Requests generated from `GET /openapi.json` for every operation, as each role: valid-looking and
 * broken inputs. No answer is a 5xx, every error is problem+json with its status, every 2xx body is
 * the documented schema with finite numbers. `FUZZ_RUNS` requests per operation and role
 * (`pnpm test:fuzz` runs more), from the fixed seed `FUZZ_SEED`.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 12);
const SEED = Number(process.env.FUZZ_SEED ?? 11);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`FUZZ_RUNS must be a positive integer, got ${RUNS}`);
if (!Number.isInteger(SEED)) throw new Error(`FUZZ_SEED must be an integer, got ${SEED}`);

const t = await createTestApp();
afterAll(() => t.close());

async function call(method: string, path: string, token: string, body?: unknown) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await t.app.request(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300)
    throw new Error(`set-up ${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? undefined : ((await response.json()) as Record<string, unknown>);
}

const doc = (await (await t.app.request('/openapi.json')).json()) as OpenApiDocument;
const operations = listOperations(doc);
const check = createContract(doc);

const adminTokenId = ((await call('GET', '/api/tokens', TEST_ADMIN_TOKEN)) as { items: { id: string }[] })
  .items[0]!.id;
const made = await Promise.all(
  (['manager', 'rep'] as const).map((role) =>
    call('POST', '/api/tokens', TEST_ADMIN_TOKEN, { name: `Fuzz ${role}`, role }),
  ),
);
const [manager, rep] = made as { id: string; token: string; userId: string }[];
const protectedTokens = new Set([adminTokenId, manager!.id, rep!.id]);
const roles = [
  { name: 'admin', token: TEST_ADMIN_TOKEN, runs: RUNS },
  { name: 'manager', token: manager!.token, runs: RUNS },
  { name: 'rep', token: rep!.token, runs: RUNS },
  // Unknown tokens from an address of their own, until the failed-sign-in limit answers it 429s.
  {
    name: 'anonymous',
    token: 'not-a-token',
    runs: Math.max(1, Math.round(RUNS / 4)),
    address: '198.51.100.7',
  },
];

const pool: IdPool = {
  leadIds: [],
  touchpoints: [],
  tokenIds: [],
  userIds: [],
  personIds: [],
  teamIds: [],
  cursors: [],
  webhookIds: [],
  deliveries: [],
  cadenceIds: [],
  taskIds: [],
  enrolmentIds: [],
  formIds: [],
  formPublicIds: [],
  importIds: [],
};
const adminUserId = ((await call('GET', '/api/me', TEST_ADMIN_TOKEN)) as { user: { id: string } }).user.id;
const protectedPeople = new Set([adminUserId, manager!.userId, rep!.userId]);
let seeded = 0;

/** Keeps ids to aim at: leads of each owner with touchpoints, spare tokens to revoke. */
async function topUpPool() {
  const admin = TEST_ADMIN_TOKEN;
  const users = (await call('GET', '/api/users', admin)) as { items: { id: string }[] };
  pool.userIds = users.items.map((user) => user.id);
  let leads = ((await call('GET', '/api/leads?limit=200', admin)) as { items: { id: string }[] }).items;
  for (let missing = 8 - leads.length; missing > 0; missing--) {
    seeded++;
    await call('POST', '/api/leads', admin, {
      fullName: `Seed Person ${seeded}`,
      email: `seed${seeded}@example.com`,
      company: 'Seed Co',
      companyDomain: 'seed.example.com',
      companySize: 50 * seeded,
      ownerId: pool.userIds[seeded % pool.userIds.length],
      dealValue: 1000 * seeded,
      source: { channel: 'web', utm: { source: 'fuzz', campaign: `c${seeded % 3}` } },
    });
  }
  leads = ((await call('GET', '/api/leads?limit=200', admin)) as { items: { id: string }[] }).items;
  pool.leadIds = leads.map((lead) => lead.id);
  pool.cursors = [];
  for (const sort of ['-createdAt', '-score', '-lastTouchAt']) {
    const page = (await call('GET', `/api/leads?limit=2&sort=${sort}`, admin)) as {
      nextCursor: string | null;
    };
    if (page.nextCursor) pool.cursors.push(page.nextCursor);
  }
  pool.touchpoints = [];
  for (const lead of leads.slice(0, 4)) {
    let items = (
      (await call('GET', `/api/leads/${lead.id}/touchpoints`, admin)) as { items: { id: string }[] }
    ).items;
    if (items.length < 2) {
      for (const type of ['email_sent', 'meeting_held']) {
        await call('POST', `/api/leads/${lead.id}/touchpoints`, admin, { type, note: 'seed' });
      }
      items = ((await call('GET', `/api/leads/${lead.id}/touchpoints`, admin)) as { items: { id: string }[] })
        .items;
    }
    pool.touchpoints.push(...items.map((touchpoint) => ({ leadId: lead.id, id: touchpoint.id })));
  }
  let tokens = ((await call('GET', '/api/tokens', admin)) as { items: { id: string }[] }).items;
  if (tokens.filter((token) => !protectedTokens.has(token.id)).length < 3) {
    for (let index = 0; index < 3; index++)
      await call('POST', '/api/tokens', admin, { name: `Spare ${index}` });
    tokens = ((await call('GET', '/api/tokens', admin)) as { items: { id: string }[] }).items;
  }
  pool.tokenIds = tokens.map((token) => token.id).filter((id) => !protectedTokens.has(id));
  // The Team routes change, demote and deactivate people: spare ones, never the fuzzer's own.
  type Person = { id: string; deactivatedAt: string | null };
  let people = ((await call('GET', '/api/team/people', admin)) as { items: Person[] }).items;
  const spare = () => people.filter((person) => !protectedPeople.has(person.id) && !person.deactivatedAt);
  if (spare().length < 3) {
    for (let index = 0; index < 3; index++)
      await call('POST', '/api/team/people', admin, { name: `Spare person ${index}` });
    people = ((await call('GET', '/api/team/people', admin)) as { items: Person[] }).items;
  }
  pool.personIds = spare().map((person) => person.id);
  let teams = ((await call('GET', '/api/teams', admin)) as { items: { id: string }[] }).items;
  if (teams.length < 2) {
    for (let index = 0; index < 2; index++) {
      seeded++;
      await call('POST', '/api/teams', admin, {
        name: `Seed team ${seeded}`,
        members: [{ userId: pool.personIds[0] }],
      });
    }
    teams = ((await call('GET', '/api/teams', admin)) as { items: { id: string }[] }).items;
  }
  pool.teamIds = teams.map((team) => team.id);

  // Endpoints to aim at, one with a delivery (to a closed port: it stays pending, to send again).
  let endpoints = ((await call('GET', '/api/webhooks', admin)) as { items: { id: string }[] }).items;
  if (endpoints.length < 2) {
    for (let index = endpoints.length; index < 2; index++) {
      await call('POST', '/api/webhooks', admin, {
        url: 'http://127.0.0.1:9/hook',
        eventTypes: ['lead.created'],
        allowPrivateNetwork: true,
      });
    }
    seeded++;
    await call('POST', '/api/leads', admin, { fullName: `Seed Hook ${seeded}` });
    await new WebhookDispatcher(t.db, { timeoutMs: 1000 }).tick();
    endpoints = ((await call('GET', '/api/webhooks', admin)) as { items: { id: string }[] }).items;
  }
  pool.webhookIds = endpoints.map((endpoint) => endpoint.id);
  pool.deliveries = [];
  for (const endpoint of endpoints) {
    const log = (await call('GET', `/api/webhooks/${endpoint.id}/deliveries`, admin)) as {
      items: { id: string }[];
    };
    pool.deliveries.push(...log.items.map((delivery) => ({ endpointId: endpoint.id, id: delivery.id })));
  }
  await topUpFollowUps(leads.map((lead) => lead.id));
  let forms = ((await call('GET', '/api/forms', admin)) as { items: { id: string; publicId: string }[] })
    .items;
  for (let missing = 2 - forms.length; missing > 0; missing--) {
    await call('POST', '/api/forms', admin, {
      name: `Seed form ${missing}`,
      allowedOrigins: [FUZZ_FORM_ORIGIN],
    });
  }
  forms = ((await call('GET', '/api/forms', admin)) as { items: { id: string; publicId: string }[] }).items;
  // Fuzzed PATCHes turn forms off or move their origins: each operation starts with them open again.
  for (const form of forms) {
    await call('PATCH', `/api/forms/${form.id}`, admin, {
      enabled: true,
      allowedOrigins: [FUZZ_FORM_ORIGIN],
    });
  }
  pool.formIds = forms.map((form) => form.id);
  pool.formPublicIds = forms.map((form) => form.publicId);
  await topUpImports();
}

async function uploadSeedImport(): Promise<string> {
  seeded++;
  const res = await t.app.request(`/api/imports?fileName=seed-${seeded}.csv`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'text/csv' },
    body: `Name,Email\r\nSeed Import ${seeded},seed-import-${seeded}@example.com\r\n`,
  });
  if (res.status !== 201) throw new Error(`set-up upload: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** Imports to aim at: two staged (to change and start) and one finished (to undo and read). */
async function topUpImports() {
  const admin = TEST_ADMIN_TOKEN;
  const list = async () =>
    ((await call('GET', '/api/imports', admin)) as { imports: { id: string; status: string }[] }).imports;
  let imports = await list();
  for (let missing = 2 - imports.filter((job) => job.status === 'staged').length; missing > 0; missing--) {
    await uploadSeedImport();
  }
  if (!imports.some((job) => job.status === 'done')) {
    const id = await uploadSeedImport();
    await call('POST', `/api/imports/${id}/start`, admin);
    while (((await call('GET', `/api/imports/${id}`, admin)) as { status: string }).status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  imports = await list();
  pool.importIds = imports
    .filter((job) => job.status === 'staged' || job.status === 'done')
    .map((job) => job.id);
}

/** Cadences (one nurture), open tasks, running enrolments and an SQL to recycle, to aim at. */
async function topUpFollowUps(leadIds: string[]) {
  const admin = TEST_ADMIN_TOKEN;
  let cadences = (
    (await call('GET', '/api/cadences', admin)) as { items: { id: string; archived: boolean }[] }
  ).items.filter((cadence) => !cadence.archived);
  for (let missing = 2 - cadences.length; missing > 0; missing--) {
    await call('POST', '/api/cadences', admin, {
      name: `Seed cadence ${seeded}-${missing}`,
      nurture: true,
      steps: [
        { type: 'call', delayDays: 1 },
        { type: 'email', delayDays: 2 },
      ],
    });
  }
  cadences = (
    (await call('GET', '/api/cadences', admin)) as { items: { id: string; archived: boolean }[] }
  ).items.filter((cadence) => !cadence.archived);
  pool.cadenceIds = cadences.map((cadence) => cadence.id);
  const open = (await call('GET', '/api/tasks?assignee=any&limit=50', admin)) as { items: { id: string }[] };
  for (let missing = 4 - open.items.length; missing > 0; missing--) {
    await call('POST', '/api/tasks', admin, {
      leadId: leadIds[missing % leadIds.length],
      type: 'email',
      dueInDays: 1,
    });
  }
  pool.taskIds = (
    (await call('GET', '/api/tasks?assignee=any&limit=50', admin)) as { items: { id: string }[] }
  ).items.map((task) => task.id);
  await call('POST', '/api/enrolments', admin, {
    cadenceId: pool.cadenceIds[0],
    leadIds: leadIds.slice(0, 4),
  });
  const enrolments: string[] = [];
  for (const leadId of leadIds.slice(0, 4)) {
    const items = (
      (await call('GET', `/api/leads/${leadId}/enrolments`, admin)) as {
        items: { id: string; state: string }[];
      }
    ).items;
    enrolments.push(...items.filter((e) => e.state === 'active' || e.state === 'paused').map((e) => e.id));
  }
  pool.enrolmentIds = enrolments;
  // One SQL to recycle.
  const first = leadIds[0];
  if (first) await call('PATCH', `/api/leads/${first}`, admin, { stage: 'sql' });
}

/** Reads an answer; an event stream is read up to its first event and then closed. */
async function send(request: FuzzRequest, token: string, address?: string): Promise<Answer> {
  const response = await t.app.request(
    request.url,
    {
      method: request.method,
      headers: { ...request.headers, authorization: `Bearer ${token}` },
      body: request.body,
    },
    // What @hono/node-server gives the failed-sign-in limit; without it every request is from "unknown".
    address ? { incoming: { socket: { remoteAddress: address } } } : undefined,
  );
  const contentType = response.headers.get('content-type') ?? '';
  if (contentType.startsWith('text/event-stream') && response.body) {
    const reader = response.body.getReader();
    const first = await reader.read();
    await reader.cancel();
    return { status: response.status, contentType, text: new TextDecoder().decode(first.value) };
  }
  return { status: response.status, contentType, text: await response.text() };
}

/** Per operation: how often each status came back, for the summary and the "reached a 2xx" check. */
const statuses = new Map<string, Map<number, number>>();
let sent = 0;

const hash = (text: string) => [...text].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) | 0, 0);

beforeEach(topUpPool);

afterAll(() => {
  const lines = [...statuses].map(
    ([label, counts]) =>
      `${label.padEnd(52)} ${[...counts]
        .sort(([a], [b]) => a - b)
        .map(([status, count]) => `${status}x${count}`)
        .join(' ')}`,
  );
  console.log(
    `fuzz: ${sent} requests (seed ${SEED}, ${RUNS} runs per operation and role)\n${lines.join('\n')}`,
  );
});

describe('every operation of /openapi.json, fuzzed as each role', () => {
  it('the document lists the operations', () => {
    expect(operations.length).toBeGreaterThan(20);
    expect(doc.openapi).toMatch(/^3\.1\./);
  });

  it('the contract check catches what it should', async () => {
    const show = operations.find((operation) => operation.label === 'GET /api/leads/{id}')!;
    const lead = (await call('GET', `/api/leads/${pool.leadIds[0]}`, TEST_ADMIN_TOKEN)) as Record<
      string,
      unknown
    >;
    const json = 'application/json';
    const problem = 'application/problem+json';
    expect(check(show, { status: 200, contentType: json, text: JSON.stringify(lead) })).toEqual([]);
    expect(
      check(show, { status: 200, contentType: json, text: JSON.stringify({ ...lead, score: null }) }),
    ).not.toEqual([]);
    expect(
      check(show, { status: 200, contentType: json, text: JSON.stringify({ ...lead, score: '1' }) }),
    ).not.toEqual([]);
    expect(check(show, { status: 500, contentType: problem, text: '{}' })).not.toEqual([]);
    expect(check(show, { status: 404, contentType: 'text/plain', text: 'Not found' })).not.toEqual([]);
    const notFound = { type: '/problems/not-found', title: 'Not found', status: 404 };
    expect(check(show, { status: 404, contentType: problem, text: JSON.stringify(notFound) })).toEqual([]);
    expect(
      check(show, { status: 404, contentType: problem, text: JSON.stringify({ ...notFound, status: 400 }) }),
    ).not.toEqual([]);
    expect(
      check(show, {
        status: 404,
        contentType: problem,
        text: JSON.stringify({ title: 'Not found', status: 404 }),
      }),
    ).not.toEqual([]);
    expect(check(show, { status: 201, contentType: json, text: JSON.stringify(lead) })).not.toEqual([]);
  });

  for (const operation of operations) {
    it(operation.label, async () => {
      const counts = statuses.get(operation.label) ?? new Map<number, number>();
      statuses.set(operation.label, counts);
      for (const role of roles) {
        await fc.assert(
          fc.asyncProperty(requestArbitrary(operation, doc, pool), async (request) => {
            const answer = await send(request, role.token, 'address' in role ? role.address : undefined);
            sent++;
            // Deletes use up the ids that later requests aim at; a start or an undo (202) an import.
            if (answer.status === 204 || answer.status === 202) await topUpPool();
            counts.set(answer.status, (counts.get(answer.status) ?? 0) + 1);
            const violations = check(operation, answer);
            if (violations.length) {
              const shown = {
                ...request,
                body:
                  request.body && request.body.length > 500
                    ? `${request.body.slice(0, 500)}...`
                    : request.body,
              };
              throw new Error(
                `${role.name} ${request.kind}: ${violations.join('; ')}\n${JSON.stringify(shown)}`,
              );
            }
          }),
          // Shrinking replays requests against a database they changed: the first failure is the one to read.
          { seed: SEED + hash(`${operation.label} ${role.name}`), numRuns: role.runs, endOnFailure: true },
        );
      }
      // A fuzzer that only ever meets validation errors proves little: every operation succeeds sometimes.
      const succeeded = [...counts].some(([status]) => status >= 200 && status < 300);
      expect(succeeded, `${operation.label} never answered 2xx: ${JSON.stringify([...counts])}`).toBe(true);
    });
  }
});
