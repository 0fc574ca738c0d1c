import type { Lead } from '@leadline/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { IDEMPOTENCY_KEY_TTL_MS, pruneIdempotencyKeys } from './idempotency';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function problem(res: Response) {
  return { status: res.status, ...((await res.json()) as { type: string; detail: string }) };
}

describe('Idempotency-Key over time', () => {
  it('a replay of a create whose lead was since deleted is a 410, not the deleted lead', async () => {
    const headers = { 'idempotency-key': 'save-ana' };
    const lead = (await (await t.post('/api/leads', { fullName: 'Ana Deleted' }, headers)).json()) as Lead;
    expect((await t.del(`/api/leads/${lead.id}`)).status).toBe(204);
    const replay = await problem(await t.post('/api/leads', { fullName: 'Ana Deleted' }, headers));
    expect(replay).toMatchObject({ status: 410, type: '/problems/gone' });
    expect(replay.detail).toContain(lead.id);
    expect((await (await t.get('/api/leads')).json()) as { items: Lead[] }).toEqual({
      items: [],
      nextCursor: null,
    });
  });

  it('a replay of a touchpoint taken back with Undo is a 410', async () => {
    const lead = (await (await t.post('/api/leads', { fullName: 'Touched Once' })).json()) as Lead;
    const headers = { 'idempotency-key': 'call-1' };
    const body = { type: 'call_connected' };
    const first = (await (await t.post(`/api/leads/${lead.id}/touchpoints`, body, headers)).json()) as {
      id: string;
    };
    expect((await t.del(`/api/leads/${lead.id}/touchpoints/${first.id}`)).status).toBe(204);
    const replay = await t.post(`/api/leads/${lead.id}/touchpoints`, body, headers);
    expect((await problem(replay)).status).toBe(410);
  });

  it('keys expire after a day: a repeat then is a new request, and pruning forgets them', async () => {
    const headers = { 'idempotency-key': 'old-click' };
    const first = (await (await t.post('/api/leads', { fullName: 'Day One' }, headers)).json()) as Lead;
    const dayAgo = Date.now() - IDEMPOTENCY_KEY_TTL_MS - 1000;
    await t.client.execute({ sql: 'update idempotency_keys set created_at = ?', args: [dayAgo] });
    const again = await t.post('/api/leads', { fullName: 'Day One' }, headers);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(((await again.json()) as Lead).id).not.toBe(first.id);

    await t.client.execute({ sql: 'update idempotency_keys set created_at = ?', args: [dayAgo] });
    await pruneIdempotencyKeys(t.db);
    const left = await t.client.execute('select count(*) as n from idempotency_keys');
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});
