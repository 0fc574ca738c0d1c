import type { Lead, LeadAudit } from '@leadline/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
let rita: { token: string; userId: string };
let mia: { token: string; userId: string };
beforeEach(async () => {
  t = await createTestApp();
  rita = (await (await t.post('/api/tokens', { name: 'Rita', role: 'rep' })).json()) as typeof rita;
  mia = (await (await t.post('/api/tokens', { name: 'Mia', role: 'manager' })).json()) as typeof mia;
});
afterEach(() => t.close());

const as = (who: { token: string }, method: string, path: string, body?: unknown) =>
  t.request(method, path, { token: who.token, body });

async function audit(id: string) {
  const res = await t.get(`/api/leads/${id}/audit`);
  expect(res.status).toBe(200);
  return (await res.json()) as LeadAudit;
}

describe('GET /api/leads/{id}/audit', () => {
  it('records who changed which field from what to what, newest first, with the stage moves', async () => {
    const created = await as(rita, 'POST', '/api/leads', { fullName: 'Ann Lee', title: 'Sales Manager' });
    const lead = (await created.json()) as Lead;
    expect(
      (await as(rita, 'PATCH', `/api/leads/${lead.id}`, { title: 'VP Sales', company: 'Acme' })).status,
    ).toBe(200);
    const handOff = { ownerId: mia.userId, dealValue: 5000, stage: 'opportunity' };
    expect((await as(mia, 'PATCH', `/api/leads/${lead.id}`, handOff)).status).toBe(200);

    const { leadId, items } = await audit(lead.id);
    expect(leadId).toBe(lead.id);
    const changes = items
      .filter((item) => item.cause !== 'created')
      .map(({ field, before, after, userId }) => ({ field, before, after, userId }));
    expect(changes).toEqual(
      expect.arrayContaining([
        { field: 'title', before: 'Sales Manager', after: 'VP Sales', userId: rita.userId },
        { field: 'company', before: null, after: 'Acme', userId: rita.userId },
        { field: 'ownerId', before: rita.userId, after: mia.userId, userId: mia.userId },
        { field: 'dealValue', before: null, after: 5000, userId: mia.userId },
        { field: 'stage', before: 'new', after: 'opportunity', userId: mia.userId },
      ]),
    );
    expect(changes).toHaveLength(5);
    // Newest first: Mia's changes, then Rita's, then the creation.
    expect(items.slice(0, 3).every((item) => item.userId === mia.userId)).toBe(true);
    const creation = items.filter((item) => item.cause === 'created');
    expect(creation.map((item) => item.field).sort()).toEqual(
      ['fullName', 'ownerId', 'source.channel', 'stage', 'title'].sort(),
    );
    expect(creation.every((item) => item.userId === rita.userId)).toBe(true);
    expect(items.at(-1)!.cause).toBe('created');
  });

  it('records nothing for fields sent unchanged, a refused change or an idempotent replay', async () => {
    const lead = (await (await t.post('/api/leads', { fullName: 'Bo Chen', title: 'CTO' })).json()) as Lead;
    const start = (await audit(lead.id)).items.length;
    expect((await t.patch(`/api/leads/${lead.id}`, { title: 'CTO' })).status).toBe(200);
    expect((await as(rita, 'PATCH', `/api/leads/${lead.id}`, { title: 'CEO' })).status).toBe(403);
    const headers = { 'idempotency-key': 'k-1' };
    for (let i = 0; i < 2; i++) {
      const res = await t.request('PATCH', `/api/leads/${lead.id}`, { body: { title: 'CIO' }, headers });
      expect(res.status).toBe(200);
    }
    const { items } = await audit(lead.id);
    expect(items.length - start).toBe(1);
    expect(items[0]).toMatchObject({ field: 'title', before: 'CTO', after: 'CIO', cause: 'rep' });
  });

  it('is written in the change’s own transaction: when the audit cannot be written, the change is not made', async () => {
    const lead = (await (await t.post('/api/leads', { fullName: 'Cy Dorn', title: 'CFO' })).json()) as Lead;
    await t.client.execute(
      "create trigger no_audit before insert on lead_audit begin select raise(abort, 'audit refused'); end",
    );
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const res = await t.patch(`/api/leads/${lead.id}`, { title: 'COO', dealValue: 10 });
    errors.mockRestore();
    expect(res.status).toBe(500);
    const after = (await (await t.get(`/api/leads/${lead.id}`)).json()) as Lead;
    expect(after).toMatchObject({ title: 'CFO', dealValue: null, updatedAt: lead.updatedAt });
    const events = await t.client.execute("select count(*) as n from events where type = 'lead.updated'");
    expect(Number(events.rows[0]!.n)).toBe(0);
  });

  it('goes with the lead when it is deleted, and answers 404 after', async () => {
    const lead = (await (await t.post('/api/leads', { fullName: 'Di Eve' })).json()) as Lead;
    expect((await t.del(`/api/leads/${lead.id}`)).status).toBe(204);
    expect((await t.get(`/api/leads/${lead.id}/audit`)).status).toBe(404);
    const left = await t.client.execute('select count(*) as n from lead_audit');
    expect(Number(left.rows[0]!.n)).toBe(0);
  });
});
