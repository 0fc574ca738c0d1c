import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { AUTH_FAILURE_LIMIT } from './auth-failures';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('failed authentication', () => {
  it(`is refused with 429 and Retry-After after ${AUTH_FAILURE_LIMIT} failures, even with a right token then`, async () => {
    for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) {
      expect((await t.get('/api/leads', `wrong-token-${i}`)).status).toBe(401);
    }
    const refused = await t.get('/api/leads', 'wrong-token-again');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(((await refused.json()) as { type: string }).type).toBe('/problems/too-many-requests');
    expect((await t.get('/api/leads')).status).toBe(429);
    // /health needs no token and is never limited.
    expect((await t.get('/health', null)).status).toBe(200);
  });

  it('never counts requests with a right token', async () => {
    for (let i = 0; i < AUTH_FAILURE_LIMIT + 5; i++) expect((await t.get('/api/me')).status).toBe(200);
    expect((await t.get('/api/leads', 'wrong')).status).toBe(401);
  });
});
