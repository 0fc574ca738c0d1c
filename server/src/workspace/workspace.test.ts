import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('workspace settings', () => {
  it('has a currency and close reasons by default, and a manager may change them', async () => {
    const first = await (await t.get('/api/settings/workspace')).json();
    expect(first).toMatchObject({ currency: 'USD', closeReasons: { won: expect.any(Array) } });
    expect(first.closeReasons.lost.length).toBeGreaterThan(0);

    const next = { currency: 'eur', closeReasons: { won: ['Price'], lost: ['Competitor', 'No budget'] } };
    const put = await t.request('PUT', '/api/settings/workspace', { body: next });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ ...next, currency: 'EUR', recycleAfterDays: 30 });
    expect(await (await t.get('/api/settings/workspace')).json()).toMatchObject({ currency: 'EUR' });
  });

  it('keeps the recycle delay a PUT leaves out, and stores the one it gives, 1 to 365 days', async () => {
    const body = { currency: 'EUR', closeReasons: { won: ['Price'], lost: ['Competitor'] } };
    const put = await t.request('PUT', '/api/settings/workspace', {
      body: { ...body, recycleAfterDays: 14 },
    });
    expect(await put.json()).toMatchObject({ recycleAfterDays: 14 });
    await t.request('PUT', '/api/settings/workspace', { body });
    expect(await (await t.get('/api/settings/workspace')).json()).toMatchObject({ recycleAfterDays: 14 });
    const bad = await t.request('PUT', '/api/settings/workspace', { body: { ...body, recycleAfterDays: 0 } });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { issues: { path: string[] }[] }).issues[0]?.path).toEqual([
      'recycleAfterDays',
    ]);
    expect(await (await t.get('/api/settings/workspace')).json()).toMatchObject({ recycleAfterDays: 14 });
  });

  it('refuses a rep, and a currency that is not ISO 4217, naming the field', async () => {
    const rep = (await (await t.post('/api/tokens', { name: 'Rita Rep' })).json()) as { token: string };
    const body = { currency: 'EUR', closeReasons: { won: [], lost: [] } };
    expect((await t.request('PUT', '/api/settings/workspace', { body, token: rep.token })).status).toBe(403);
    expect((await t.get('/api/settings/workspace', rep.token)).status).toBe(200);

    const bad = await t.request('PUT', '/api/settings/workspace', { body: { ...body, currency: 'euro' } });
    expect(bad.status).toBe(422);
    const problem = (await bad.json()) as { issues: { path: string[] }[] };
    expect(problem.issues[0]?.path).toEqual(['currency']);
  });
});

describe('deals on a lead', () => {
  it('stores the expected close date and close reason, and open=true leaves closed leads out', async () => {
    const create = async (fullName: string) =>
      ((await (await t.post('/api/leads', { fullName, dealValue: 1200 })).json()) as { id: string }).id;
    const open = await create('Olga Open');
    const lost = await create('Luis Lost');
    const won = await create('Wanda Won');
    const patched = await t.patch(`/api/leads/${lost}`, {
      stage: 'lost',
      closeReason: 'Other: went with a spreadsheet',
      expectedCloseDate: '2026-03-31',
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      stage: 'lost',
      closeReason: 'Other: went with a spreadsheet',
      expectedCloseDate: '2026-03-31',
    });
    await t.patch(`/api/leads/${won}`, { stage: 'won', closeReason: 'Price' });

    const bad = await t.patch(`/api/leads/${open}`, { expectedCloseDate: '31/03/2026' });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { issues: { path: string[] }[] }).issues[0]?.path).toEqual([
      'expectedCloseDate',
    ]);

    for (const sort of ['-score', '-createdAt']) {
      const list = (await (await t.get(`/api/leads?open=true&sort=${sort}`)).json()) as {
        items: { id: string }[];
      };
      expect(list.items.map((lead) => lead.id)).toEqual([open]);
    }
    const hot = (await (await t.get('/api/leads?open=true&sort=-score&withNextStep=true')).json()) as {
      items: { topNextStep: { title: string } | null }[];
    };
    expect(hot.items[0]?.topNextStep?.title).toEqual(expect.any(String));
    const all = (await (await t.get('/api/leads?sort=-score')).json()) as { items: unknown[] };
    expect(all.items).toHaveLength(3);
  });
});
