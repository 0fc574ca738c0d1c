import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('GET /api/metrics', () => {
  it("gives an admin the event loop's delay since the previous reading, and a rep a 403", async () => {
    await t.get('/api/metrics');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const res = await t.get('/api/metrics');
    expect(res.status).toBe(200);
    const { eventLoop } = (await res.json()) as {
      eventLoop: { samples: number; p50Ms: number; p99Ms: number; maxMs: number; windowMs: number };
    };
    expect(eventLoop.windowMs).toBeGreaterThanOrEqual(50);
    expect(eventLoop.windowMs).toBeLessThan(5000);
    expect(eventLoop.p99Ms).toBeGreaterThanOrEqual(eventLoop.p50Ms);
    expect(eventLoop.maxMs).toBeGreaterThanOrEqual(eventLoop.p99Ms);

    const rep = (await (await t.post('/api/tokens', { name: 'Rep' })).json()) as { token: string };
    expect((await t.get('/api/metrics', rep.token)).status).toBe(403);
  });
});
