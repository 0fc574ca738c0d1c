import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitForHealth } from '../support/api-server';
import { REPO_ROOT } from '../support/paths';

// A temporary copy of the server package stands in for the checkout: with no configuration both
// commands use the default path (relative to the server package), and the copy's default file is
// removed with it, so no demo database is ever left in the repository.
const copy = mkdtempSync(join(tmpdir(), 'leadline-demo-path-'));
const server = join(copy, 'server');
for (const part of ['src', 'drizzle', 'package.json', 'tsconfig.json']) {
  cpSync(join(REPO_ROOT, 'server', part), join(server, part), { recursive: true });
}
cpSync(join(REPO_ROOT, 'tsconfig.base.json'), join(copy, 'tsconfig.base.json'));
symlinkSync(join(REPO_ROOT, 'server', 'node_modules'), join(server, 'node_modules'), 'dir');
mkdirSync(join(server, 'data'), { recursive: true });
const tsx = pathToFileURL(createRequire(join(REPO_ROOT, 'server', 'package.json')).resolve('tsx')).href;

/** The environment with no Leadline configuration at all. */
function unconfigured(extra: Record<string, string> = {}) {
  const env = { ...process.env, ...extra };
  for (const name of ['DATABASE_URL', 'DATABASE_AUTH_TOKEN', 'ADMIN_TOKEN', 'PORT', 'HOST']) {
    if (!(name in extra)) delete env[name];
  }
  return env;
}

let serve: ChildProcess | undefined;
afterAll(() => {
  serve?.kill('SIGTERM');
  rmSync(copy, { recursive: true, force: true });
});

describe('pnpm demo, then pnpm serve, with no configuration', () => {
  it('fill and serve the same file: the API lists the demo leads, and the demo reps sign in with their printed tokens', async () => {
    // `pnpm demo` is `tsx server/src/demo/cli.ts` from the root; `pnpm serve` runs `tsx src/index.ts` in server/.
    const demo = spawnSync(process.execPath, ['--import', tsx, 'server/src/demo/cli.ts', '--leads', '40'], {
      cwd: copy,
      env: unconfigured(),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(demo.stderr).toBe('');
    expect(demo.status).toBe(0);
    const expectedFile = join(server, 'data', 'leadline.db');
    expect(demo.stdout).toContain(`Demo data in file:${expectedFile}`);
    expect(existsSync(expectedFile)).toBe(true);
    const adminToken = /admin token was created, shown only now: (\S+)/.exec(demo.stdout)?.[1];
    expect(adminToken).toBeTruthy();
    const repTokens = [...demo.stdout.matchAll(/^ {2}.+\((rep|manager)\)\s+(\S+)$/gm)];
    expect(repTokens.map((match) => match[1])).toContain('manager');
    expect(repTokens.filter((match) => match[1] === 'rep').length).toBeGreaterThan(0);

    const port = await freePort();
    let output = '';
    serve = spawn(process.execPath, ['--import', tsx, 'src/index.ts'], {
      cwd: server,
      env: unconfigured({ PORT: String(port) }),
    });
    serve.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    serve.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const url = `http://127.0.0.1:${port}`;
    await waitForHealth(url, serve, 'API', () => output, 60_000);
    expect(output).toContain(`(database: file:${expectedFile})`);

    const list = async (token: string) => {
      const res = await fetch(`${url}/api/leads?limit=200`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(200);
      return ((await res.json()) as { items: unknown[] }).items.length;
    };
    expect(await list(adminToken!)).toBe(40);
    for (const [, role, token] of repTokens) {
      const me = await fetch(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect(((await me.json()) as { user: { role: string } }).user.role).toBe(role);
    }
  }, 180_000);
});
