import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from './test-utils';

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  responses: Record<string, unknown>;
};
type Document = {
  servers?: { url: string }[];
  info: { license?: { name: string; identifier?: string; url?: string } };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
};

let t: Awaited<ReturnType<typeof createTestApp>>;
let doc: Document;
let operations: [string, Operation][];

beforeAll(async () => {
  t = await createTestApp();
  const res = await t.request('GET', '/openapi.json', { token: null });
  expect(res.status).toBe(200);
  doc = (await res.json()) as Document;
  operations = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(
      ([method, operation]) => [`${method.toUpperCase()} ${path}`, operation] as const,
    ),
  ) as [string, Operation][];
});

afterAll(() => t?.close());

describe('the OpenAPI document, for client generators', () => {
  it('names the default server and a licence', () => {
    expect(doc.servers?.[0]?.url).toBe('http://127.0.0.1:8787');
    expect(doc.info.license?.name).toBeTruthy();
    expect(doc.info.license?.identifier ?? doc.info.license?.url).toBeTruthy();
  });

  it('gives every operation a unique camelCase operationId, a summary, a described tag and a 4xx', () => {
    expect(operations.length).toBeGreaterThan(25);
    const described = new Set((doc.tags ?? []).filter((tag) => tag.description).map((tag) => tag.name));
    const missing = operations.filter(
      ([, op]) =>
        !op.operationId?.match(/^[a-z][A-Za-z]+$/) ||
        !op.summary ||
        !op.tags?.length ||
        !op.tags.every((tag) => described.has(tag)) ||
        !Object.keys(op.responses).some((status) => status.startsWith('4')),
    );
    expect(missing.map(([name]) => name)).toEqual([]);
    const ids = operations.map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses the names a generated client shows', () => {
    const byId = Object.fromEntries(operations.map(([name, op]) => [op.operationId, name]));
    expect(byId).toMatchObject({
      listLeads: 'GET /api/leads',
      createLead: 'POST /api/leads',
      getLead: 'GET /api/leads/{id}',
      createTouchpoint: 'POST /api/leads/{id}/touchpoints',
      listTouchpoints: 'GET /api/leads/{id}/touchpoints',
      getLeadScore: 'GET /api/leads/{id}/score',
      streamEvents: 'GET /api/events',
      getFunnel: 'GET /api/analytics/funnel',
      createToken: 'POST /api/tokens',
    });
  });
});
