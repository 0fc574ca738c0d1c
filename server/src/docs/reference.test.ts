import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('/docs', () => {
  it('loads its scripts and styles from the API itself, under a strict Content-Security-Policy', async () => {
    const page = await t.get('/docs', null);
    expect(page.status).toBe(200);
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(sources.length).toBeGreaterThanOrEqual(3);
    for (const source of sources) expect(source).toMatch(/^\/docs\//);
    expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/https?:/);

    for (const source of sources) {
      const asset = await t.get(source, null);
      expect(asset.status, source).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, source).toBeGreaterThan(50);
    }
    const bundle = await t.get('/docs/assets/swagger-ui-bundle.js', null);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect(await bundle.text()).toContain('SwaggerUIBundle');
  });

  it('serves only its own assets', async () => {
    expect((await t.get('/docs/assets/package.json', null)).status).toBe(404);
    expect((await t.get('/docs/assets/..%2Fpackage.json', null)).status).toBe(404);
  });
});
