import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Waits until `url`/health answers, failing with `name`'s output if the process exits first or the
 * time runs out.
 */
export async function waitForHealth(
  url: string,
  child: ChildProcess,
  name: string,
  output: () => string,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${name} did not answer /health within ${timeoutMs / 1000} s:\n${output()}`);
}

/** Stops a child process: SIGTERM, then SIGKILL after 5 s. */
export async function stopProcess(child: ChildProcess | null) {
  if (!child || child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

export interface ApiServer {
  url: string;
  token: string;
  databaseUrl: string;
  /** Stops the process (the database file stays until `dispose`). */
  stop(): Promise<void>;
  /** Starts it again on the same port and database file. */
  start(): Promise<void>;
  /** Kills the process at once (SIGKILL: nothing of it runs to an end), and waits for it to be gone. */
  kill(): Promise<void>;
  dispose(): Promise<void>;
  output(): string;
  /** The running process's id (for reading its memory from /proc), or null while it is stopped. */
  pid(): number | null;
}

/** The bundle `pnpm build` makes of the server: plain JavaScript for `node`. */
export const BUILT_SERVER = join(REPO_ROOT, 'server/dist/index.js');

/**
 * The real API as a separate process, on a free loopback port and a libSQL file in a fresh temp
 * folder: from source through tsx (`server/src/index.ts`), or with `built` the bundle under plain
 * `node`, with no TypeScript loader, from a folder outside the repository (as `pnpm serve` runs it
 * once built).
 */
export async function startApiServer(
  options: {
    token?: string;
    databaseUrl?: string;
    startTimeoutMs?: number;
    built?: boolean;
    /** With `built`, another bundle than this checkout's (a build of another commit, say). */
    bundle?: string;
    /** More environment for the process (e.g. `CADENCE_INTERVAL_MS`). */
    env?: Record<string, string>;
    /** Node's own options before the script, such as `--cpu-prof` (not allowed in NODE_OPTIONS). */
    nodeArgs?: string[];
  } = {},
): Promise<ApiServer> {
  const bundle = options.bundle ?? BUILT_SERVER;
  if (options.built && !existsSync(bundle)) {
    throw new Error(`The server is not built at ${bundle}: run pnpm --filter @leadline/server build`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'leadline-e2e-'));
  const port = await freePort();
  const token = options.token ?? `e2e-admin-token-${crypto.randomUUID()}`;
  const databaseUrl = options.databaseUrl ?? `file:${join(dir, 'leadline.db')}`;
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let log = '';

  async function start() {
    const { NODE_OPTIONS: _loader, ...inherited } = process.env;
    const script = options.built ? [bundle] : ['--import', 'tsx', 'server/src/index.ts'];
    child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...script], {
      cwd: options.built ? dir : REPO_ROOT,
      env: {
        ...(options.built ? inherited : process.env),
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        ADMIN_TOKEN: token,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => {
      log += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      log += chunk;
    });
    await waitForHealth(url, child, 'The API', () => log, options.startTimeoutMs ?? 30_000);
  }

  async function stop() {
    const running = child;
    child = null;
    await stopProcess(running);
  }

  async function kill() {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  }

  await start();
  return {
    url,
    token,
    databaseUrl,
    start,
    stop,
    kill,
    output: () => log,
    pid: () => child?.pid ?? null,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A JSON call to the API as an admin script would make it. */
export async function api<T>(
  server: Pick<ApiServer, 'url' | 'token'>,
  method: string,
  path: string,
  body?: unknown,
) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
