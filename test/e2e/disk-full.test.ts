import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, stopProcess, waitForHealth } from '../support/api-server';
import { REPO_ROOT } from '../support/paths';

/**
 * The real API process with its database on a 3 MB tmpfs (the schema and its indexes take most of it), mounted in a private mount namespace
 * (`unshare -m`, as root): a disk that fills up for real, not an injected error.
 */
describe('a full disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-full-'));
  const token = 'disk-full-admin-token-0123456789abcdef';
  let child: ChildProcess;
  let url = '';
  let log = '';

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const command = `mount -t tmpfs -o size=3000k tmpfs "$DATA_DIR" && exec "$NODE" --import tsx server/src/index.ts`;
    child = spawn('unshare', ['-m', 'sh', '-c', command], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        DATA_DIR: dir,
        NODE: process.execPath,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${join(dir, 'leadline.db')}`,
        ADMIN_TOKEN: token,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => (log += chunk));
    child.stderr?.on('data', (chunk) => (log += chunk));
    await waitForHealth(url, child, 'The API on a tmpfs', () => log, 30_000);
  });
  afterAll(async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  it('is a 507 storage-full problem with Retry-After, nothing half-written, and the API keeps serving', async () => {
    let created = 0;
    let full: Response | null = null;
    for (let i = 0; i < 20_000 && !full; i++) {
      const res = await call('POST', '/api/leads', {
        fullName: `Filler Lead ${i}`,
        title: `Head of ${'Operations '.repeat(15)}`.slice(0, 200),
        company: `Company ${i} ${'x'.repeat(150)}`,
        email: `filler${i}@example-company-${i}.com`,
      });
      if (res.status === 201) created++;
      else full = res;
    }
    expect(full, 'the disk never filled').not.toBeNull();
    expect(created).toBeGreaterThan(10);
    expect(full!.status).toBe(507);
    expect(full!.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(full!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await full!.json()) as { type: string }).type).toBe('/problems/storage-full');

    // Every lead answered 201 is there with its "created" stage change; the refused one is not.
    expect((await call('GET', '/health')).status).toBe(200);
    let listed = 0;
    let cursor: string | null = null;
    do {
      const page = (await (
        await call('GET', `/api/leads?limit=200${cursor ? `&cursor=${cursor}` : ''}`)
      ).json()) as {
        items: { id: string; fullName: string }[];
        nextCursor: string | null;
      };
      listed += page.items.length;
      cursor = page.nextCursor;
      if (listed === page.items.length && page.items[0]) {
        const history = (await (
          await call('GET', `/api/leads/${page.items[0].id}/stage-changes`)
        ).json()) as {
          items: unknown[];
        };
        expect(history.items.length).toBeGreaterThan(0);
      }
    } while (cursor);
    expect(listed).toBe(created);
    expect(log).not.toMatch(/failed: .*SQLITE_FULL/);
  });
});
