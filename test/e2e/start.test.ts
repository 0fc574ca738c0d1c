import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startApiServer, waitForHealth } from '../support/api-server';
import { REPO_ROOT } from '../support/paths';

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/src/index.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('the API process refuses a bad configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://db/leads' }, 'DATABASE_URL'],
    [{ ADMIN_TOKEN: 'short' }, 'ADMIN_TOKEN'],
  ])('%j: exits 1 naming %s', (env, field) => {
    const result = start(env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Leadline cannot start: invalid configuration');
    expect(result.stderr).toContain(field);
  });
});

describe('the API process says plainly why it cannot listen, and stops cleanly', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-start-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const database = (name: string) => ({ DATABASE_URL: `file:${join(dir, `${name}.db`)}` });

  /** One line on stderr, naming the variable, and no stack trace. */
  function expectOneLine(stderr: string, variable: string) {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(variable);
    expect(stderr).not.toMatch(/^\s+at /m);
  }

  it('a busy port: exits 1 with one line naming the port and PORT', async () => {
    const api = await startApiServer();
    try {
      const port = new URL(api.url).port;
      const result = start({ ...database('busy'), PORT: port, HOST: '127.0.0.1' });
      expect(result.status).toBe(1);
      expectOneLine(result.stderr, `PORT=${port}`);
      expect(result.stderr).toContain(`port ${port}`);
    } finally {
      await api.dispose();
    }
  });

  it('a HOST that is not this machine: exits 1 with one line naming HOST', () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): never an address of this machine, and nothing is sent to it.
    const result = start({ ...database('host'), PORT: '0', HOST: '192.0.2.1' });
    expect(result.status).toBe(1);
    expectOneLine(result.stderr, 'HOST=192.0.2.1');
  });

  it('SIGTERM with a panel connected to the event stream: the stream ends and the process exits 0 by itself', async () => {
    const port = await freePort();
    const token = 'start-test-admin-token-0123456789abcdef';
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/index.ts'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        ...database('signal'),
        PORT: String(port),
        HOST: '127.0.0.1',
        ADMIN_TOKEN: token,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (chunk) => (log += chunk));
    child.stderr.on('data', (chunk) => (log += chunk));
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitForHealth(url, child, 'The API', () => log, 30_000);
      const res = await fetch(`${url}/api/events`, { headers: { authorization: `Bearer ${token}` } });
      const reader = res.body!.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('event: ready');
      child.kill('SIGTERM');
      // The server ends the stream itself rather than leaving the panel hanging.
      let done = false;
      while (!done) done = (await reader.read().catch(() => ({ done: true }))).done;
      expect(await exited).toEqual({ code: 0, signal: null });
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
