import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';

/**
 * The API reference at `/docs`: Swagger UI from the installed `swagger-ui-dist` package, served by
 * the API itself, so it works with no internet and its script is pinned by the lockfile. The page
 * runs no inline script (its start-up is `/docs/init.js`), so a strict Content-Security-Policy fits.
 */
const ASSETS = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;
type Asset = keyof typeof ASSETS;

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Leadline API</title>
  <link rel="icon" href="/docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference" data-spec="/openapi.json"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

const INIT = `const root = document.getElementById('reference');
window.ui = SwaggerUIBundle({ url: root.dataset.spec, domNode: root, deepLinking: true });
`;

function assetDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('swagger-ui-dist/package.json'));
}

/** `/docs`, `/docs/init.js` and `/docs/assets/*`; each asset is read once, then kept. */
export function createReferenceRouter() {
  const dir = assetDir();
  const cache = new Map<Asset, Promise<Buffer>>();
  const read = (name: Asset) => {
    let body = cache.get(name);
    if (!body) {
      body = readFile(join(dir, name));
      cache.set(name, body);
    }
    return body;
  };
  return new Hono()
    .get('/', (c) => {
      c.header('Content-Security-Policy', CSP);
      return c.html(PAGE);
    })
    .get('/init.js', (c) => c.body(INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }))
    .get('/assets/:name', async (c) => {
      const name = c.req.param('name');
      if (!Object.hasOwn(ASSETS, name)) return c.notFound();
      const body = await read(name as Asset);
      return c.body(new Uint8Array(body), 200, {
        'Content-Type': ASSETS[name as Asset],
        'Cache-Control': 'public, max-age=86400',
      });
    });
}
