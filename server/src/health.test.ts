import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-utils';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('GET /health', () => {
  it("reports the database's state, without a token", async () => {
    const res = await t.get('/health', null);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('is a 503 when the database cannot be read', async () => {
    await t.client.execute('pragma foreign_keys = off');
    await t.client.execute('drop table workspaces');
    const res = await t.get('/health', null);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'error', database: 'unreadable' });
  });
});
