import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AppOptions, createApp } from './app';
import { bootstrap } from './bootstrap';
import { openDatabase } from './db/client';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/**
 * The real app on a real libSQL file in a fresh temp folder, with an admin token. Call `close()`
 * in afterAll/afterEach: it closes the client and removes the folder.
 */
export async function createTestApp(options: { busyTimeoutMs?: number } & AppOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-test-'));
  const url = `file:${join(dir, 'test.db')}`;
  const handle = await openDatabase(url, undefined, options);
  const boot = await bootstrap(handle.db, TEST_ADMIN_TOKEN);
  const app = createApp(handle.db, options);

  const request = (
    method: string,
    path: string,
    init: { body?: unknown; token?: string | null; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...init.headers };
    const token = init.token === undefined ? TEST_ADMIN_TOKEN : init.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (init.body !== undefined) {
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
      headers['content-type'] ??= 'application/json';
    }
    return app.request(path, { method, headers, body });
  };

  return {
    app,
    db: handle.db,
    client: handle.client,
    url,
    dir,
    ...boot,
    request,
    get: (path: string, token?: string | null) => request('GET', path, { token }),
    post: (path: string, body: unknown, headers?: Record<string, string>) =>
      request('POST', path, { body, headers }),
    patch: (path: string, body: unknown) => request('PATCH', path, { body }),
    del: (path: string) => request('DELETE', path),
    close() {
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
export { recomputedRollups, storedRollups } from './analytics/rollups-recompute';
export { WebhookDispatcher } from './webhooks/dispatcher';
export {
  type ReceivedWebhook,
  startWebhookReceiver,
  type WebhookReceiver,
} from './webhooks/webhook-receiver';
