import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, startApiServer, waitForHealth } from '../support/api-server';
import { REPO_ROOT } from '../support/paths';

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/src/index.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    // tsx compiles the server on start: under a full suite on two cores that alone has taken >30 s.
    timeout: 50_000,
  });
}

describe('the API process refuses a bad configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'postgres://db/leads' }, 'DATABASE_URL'],
    [{ ADMIN_TOKEN: 'sixteen-chars-ok' }, 'ADMIN_TOKEN'], // now at least 32
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

describe('the API process refuses a database it would lose or break, in one line naming DATABASE_URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-db-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function expectRefused(result: ReturnType<typeof spawnSync>, ...words: string[]) {
    const stderr = String(result.stderr);
    expect(result.status, stderr).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^Leadline cannot start: DATABASE_URL/);
    for (const word of words) expect(lines[0]).toContain(word);
    expect(stderr).not.toMatch(/^\s+at /m);
  }

  /** Runs the API in a private mount namespace where `path` is mounted read-only (root ignores file modes). */
  function startReadOnly(path: string, env: Record<string, string>) {
    const command = `mount --bind -o ro "$RO_PATH" "$RO_PATH" && exec "$NODE" --import tsx server/src/index.ts`;
    const result = spawnSync('unshare', ['-m', 'sh', '-c', command], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, RO_PATH: path, NODE: process.execPath, PORT: '0' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    // No namespace, no test: say so loudly rather than pass.
    if (result.error) throw result.error;
    return result;
  }

  it('file: with no path (the data would vanish on restart)', () => {
    expectRefused(start({ DATABASE_URL: 'file:' }), 'names no file');
  });

  it('a path under /proc, where a recursive mkdir spun forever', () => {
    expectRefused(start({ DATABASE_URL: 'file:/proc/nope/x.db' }), '/proc/nope');
  });

  it('a folder where the file should be', () => {
    expectRefused(start({ DATABASE_URL: `file:${dir}` }), 'is a folder');
  });

  it('a read-only folder, and a read-only file', () => {
    const folder = join(dir, 'ro-folder');
    mkdirSync(folder);
    expectRefused(startReadOnly(folder, { DATABASE_URL: `file:${join(folder, 'x.db')}` }), 'read-only');
    const file = join(dir, 'ro.db');
    writeFileSync(file, '');
    expectRefused(startReadOnly(file, { DATABASE_URL: `file:${file}` }), 'read-only');
  });

  it('a libSQL server that does not answer', async () => {
    const port = await freePort(); // nothing listens there
    expectRefused(start({ DATABASE_URL: `http://127.0.0.1:${port}` }), 'cannot reach');
  });

  it('a corrupt file: refused with how to restore it; a file that is no database at all too', async () => {
    const file = join(dir, 'corrupt.db');
    const client = createClient({ url: `file:${file}` });
    await client.execute('create table t (id integer primary key, body text)');
    await client.execute('create index t_body on t (body)');
    for (let i = 0; i < 40; i++) {
      await client.execute({ sql: 'insert into t (body) values (?)', args: ['x'.repeat(900) + i] });
    }
    client.close();
    // Scribble over the middle of the file: pages of the table and its index, not the header.
    const bytes = readFileSync(file);
    bytes.fill(0x5a, 4096 * 2 + 100, 4096 * 6);
    writeFileSync(file, bytes);
    expectRefused(start({ DATABASE_URL: `file:${file}` }), 'corrupt', 'backup');

    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'this is a spreadsheet, not a database '.repeat(200));
    expectRefused(start({ DATABASE_URL: `file:${junk}` }), 'corrupt');
  });
});
