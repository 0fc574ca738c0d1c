import { TOUCHPOINT_TYPES, type TouchpointCreate } from '@leadline/shared';
import { createOutbox } from '../outbox';
import type { OutboxDeps, OutboxEntry, OutboxWrite, SentInfo } from '../outbox-state';

/*
 * Test support for the outbox's unit tests: an in-memory API with the real one's idempotency rules
 * and faults on demand, and a controllable clock.
 */

export const API = 'http://api.test';
export const TOKEN = 'secret';

/** What the API stored, in the order it stored it. */
export interface Stored {
  kind: 'createLead' | 'updateLead' | 'logTouchpoint';
  leadId: string;
  body: unknown;
}

/**
 * What goes wrong with the next request: the network is down before it reaches the API, the API
 * stores the write but the answer is lost, or the API answers 503 / 429.
 */
export type Fault = 'network' | 'lost' | '503' | '429';

export function json(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers },
  });
}

export function problem(status: number, slug: string, title: string, extra: Record<string, unknown> = {}) {
  return { type: `/problems/${slug}`, title, status, ...extra };
}

/**
 * An in-memory Leadline API that honours Idempotency-Key as the real one does: a POST repeated with
 * the same key returns the first (successful) answer and stores nothing; the same key with another
 * request is a 422; a refused request leaves no key behind. PATCH ignores the key, as the real route.
 */
export function createFakeApi() {
  const leads = new Map<string, Record<string, unknown>>();
  const keys = new Map<string, { hash: string; status: number; body: unknown }>();
  const stored: Stored[] = [];
  const requests: { method: string; path: string; key: string | null; replayed: boolean }[] = [];
  // Consumed one per request; 'ok' lets a request through between faults.
  const faults: (Fault | 'ok')[] = [];
  let nextId = 1;

  function handle(
    method: string,
    path: string,
    body: Record<string, unknown>,
  ): { status: number; body: unknown } {
    if (method === 'POST' && path === '/api/leads') {
      if (!body.fullName && !body.email && !body.linkedinUrl) {
        return {
          status: 422,
          body: problem(422, 'validation', 'Validation failed', {
            detail: 'A lead needs at least one of fullName, email or linkedinUrl',
            issues: [
              {
                path: ['fullName'],
                message: 'A lead needs at least one of fullName, email or linkedinUrl',
                code: 'custom',
              },
            ],
          }),
        };
      }
      const existing = [...leads.values()].find((lead) => body.email && lead.email === body.email);
      if (existing) {
        return {
          status: 409,
          body: problem(409, 'conflict', 'Conflict', {
            detail: `A lead with this e-mail already exists: ${existing.id}`,
            existingLeadId: existing.id,
          }),
        };
      }
      const lead = { ...body, id: `lead_${nextId++}` };
      leads.set(lead.id, lead);
      stored.push({ kind: 'createLead', leadId: lead.id, body });
      return { status: 201, body: lead };
    }
    const match = /^\/api\/leads\/([^/]+)(\/touchpoints)?$/.exec(path);
    const lead = match?.[1] ? leads.get(decodeURIComponent(match[1])) : undefined;
    if (!match || !lead) return { status: 404, body: problem(404, 'not-found', 'Not found') };
    const leadId = String(lead.id);
    if (method === 'PATCH' && !match[2]) {
      Object.assign(lead, body);
      stored.push({ kind: 'updateLead', leadId, body });
      return { status: 200, body: lead };
    }
    if (method === 'POST' && match[2]) {
      if (!(TOUCHPOINT_TYPES as readonly unknown[]).includes(body.type)) {
        return {
          status: 422,
          body: problem(422, 'validation', 'Validation failed', {
            issues: [
              {
                path: ['type'],
                message: `Unknown touchpoint type ${JSON.stringify(body.type)}`,
                code: 'invalid_value',
              },
            ],
          }),
        };
      }
      stored.push({ kind: 'logTouchpoint', leadId, body });
      return { status: 201, body: { id: `tp_${nextId++}`, leadId, ...body } };
    }
    return { status: 404, body: problem(404, 'not-found', 'Not found') };
  }

  const api = {
    leads,
    stored,
    requests,
    faults,
    offline: false,
    token: TOKEN,
    /** A lead that exists before the test starts. */
    seed(body: Record<string, unknown>): string {
      const id = `lead_${nextId++}`;
      leads.set(id, { ...body, id });
      return id;
    },
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input));
      const method = init?.method ?? 'GET';
      const headers = new Headers(init?.headers);
      const key = headers.get('idempotency-key');
      const log = { method, path: url.pathname, key, replayed: false };
      requests.push(log);
      if (api.offline) throw new TypeError('Failed to fetch');
      const fault = faults.shift();
      if (fault === 'network') throw new TypeError('Failed to fetch');
      if (fault === '503') return json(503, problem(503, 'unavailable', 'Service unavailable'));
      if (fault === '429')
        return json(429, problem(429, 'too-many', 'Too many requests'), { 'retry-after': '120' });
      if (headers.get('authorization') !== `Bearer ${api.token}`)
        return json(401, problem(401, 'unauthorized', 'Unauthorized'));
      const body = JSON.parse(String(init?.body)) as Record<string, unknown>;
      const hash = `${method} ${url.pathname}\n${JSON.stringify(body)}`;
      const previous = key && method === 'POST' ? keys.get(key) : undefined;
      if (previous) {
        if (previous.hash !== hash) {
          return json(
            422,
            problem(422, 'idempotency-key-reused', 'Idempotency key reused with another request'),
          );
        }
        log.replayed = true;
        return json(previous.status, previous.body, { 'idempotent-replayed': 'true' });
      }
      const result = handle(method, url.pathname, body);
      if (key && method === 'POST' && result.status < 300) keys.set(key, { hash, ...result });
      if (fault === 'lost') throw new TypeError('The network connection was lost');
      return json(result.status, result.body);
    }) as typeof fetch,
  };
  return api;
}

export type FakeApi = ReturnType<typeof createFakeApi>;

/** A controllable clock plus the deps every outbox in a test shares; a "restart" is a new createOutbox(deps). */
export function setup(overrides: Partial<OutboxDeps> = {}) {
  const api = createFakeApi();
  const clock = { t: 1_700_000_000_000 };
  const sent: { entry: OutboxEntry; body: unknown; info: SentInfo }[] = [];
  const deps: Partial<OutboxDeps> = {
    fetch: api.fetch,
    getSettings: async () => ({ apiUrl: API, token: TOKEN }),
    now: () => clock.t,
    random: () => 1,
    onSent: (entry, body, info) => sent.push({ entry, body, info }),
    ...overrides,
  };
  return { api, clock, deps, sent, outbox: createOutbox(deps) };
}

export const touch = (
  leadRef: string,
  note: string,
  type: TouchpointCreate['type'] = 'call_connected',
): OutboxWrite => ({
  kind: 'logTouchpoint',
  leadRef,
  body: { type, note },
});

export function notes(api: FakeApi) {
  return api.stored.map((s) => (s.body as { note?: string }).note);
}
