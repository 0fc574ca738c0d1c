import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './test-utils';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('security headers', () => {
  it.each([
    ['/health', null],
    ['/api/leads', undefined],
    ['/api/leads', null], // a 401 problem
    ['/api/nothing-here', undefined], // a 404 problem
    ['/openapi.json', null],
  ])('are on %s (token %s)', async (path, token) => {
    const res = await t.get(path, token);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
  });

  it("keep the reference page's own policy, which lets it run the API's own script only", async () => {
    const res = await t.get('/docs', null);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
