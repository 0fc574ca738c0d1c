import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILT_SERVER, freePort, stopProcess } from '../support/api-server';
import { REPO_ROOT } from '../support/paths';
import { median, round } from './stats';

const TSX_CLI = join(REPO_ROOT, 'server/node_modules/.bin/tsx');

/** The ways to start the API: the bundle under plain node, and today's tsx starts. */
const STARTS: Record<string, { command: string; args: string[] }> = {
  'node dist/index.js': { command: process.execPath, args: [BUILT_SERVER] },
  'node --import tsx src/index.ts': {
    command: process.execPath,
    args: ['--import', 'tsx', join(REPO_ROOT, 'server/src/index.ts')],
  },
  // What `pnpm serve` ran before the build: the tsx CLI, which runs node with its loader as a child.
  'tsx src/index.ts': { command: TSX_CLI, args: [join(REPO_ROOT, 'server/src/index.ts')] },
};

/** Resident memory of a process and all its descendants, in MB (Linux /proc). */
function treeRssMb(pid: number): number {
  const status = (id: number) => {
    try {
      return readFileSync(`/proc/${id}/status`, 'utf8');
    } catch {
      return '';
    }
  };
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status(pid))?.[1] ?? 0);
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // gone already
  }
  return kb / 1024 + children.reduce((sum, child) => sum + treeRssMb(child), 0);
}

async function startOnce(start: { command: string; args: string[] }) {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-start-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child: ChildProcess = spawn(start.command, start.args, {
    // Where `pnpm serve` runs them.
    cwd: join(REPO_ROOT, 'server'),
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: `file:${join(dir, 'leadline.db')}`,
      ADMIN_TOKEN: 'bench-admin-token-0123456789',
    },
    stdio: 'ignore',
  });
  try {
    let ready = Number.NaN;
    while (Number.isNaN(ready)) {
      if (child.exitCode !== null) throw new Error(`${start.args.join(' ')} exited with ${child.exitCode}`);
      if (performance.now() - started > 60_000) throw new Error(`${start.args.join(' ')} did not start`);
      try {
        if ((await fetch(`${url}/health`)).ok) ready = performance.now() - started;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    const idleRss = treeRssMb(child.pid!);
    // A little work, as a rep's first minute: the lead list and a lead created.
    const headers = {
      authorization: 'Bearer bench-admin-token-0123456789',
      'content-type': 'application/json',
    };
    for (let i = 0; i < 50; i++) {
      await fetch(`${url}/api/leads`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ fullName: `Bench Lead ${i}`, email: `bench.${i}@example.com` }),
      });
      await (await fetch(`${url}/api/leads?limit=50`, { headers })).arrayBuffer();
    }
    return { readyMs: ready, idleRssMb: idleRss, workedRssMb: treeRssMb(child.pid!) };
  } finally {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Start time (spawn to the first 200 from /health, on a fresh database, migrations included) and
 * resident memory (after start, and after 50 lead writes and list reads) of the built server under
 * plain node against the tsx starts. Runs alternate between the starts so noise hits each alike.
 */
export async function benchStart(runs = Number(process.env.BENCH_START_RUNS ?? 7)) {
  if (!existsSync(BUILT_SERVER)) {
    throw new Error(`The server is not built at ${BUILT_SERVER}: run pnpm --filter @leadline/server build`);
  }
  const samples: Record<string, Awaited<ReturnType<typeof startOnce>>[]> = {};
  for (let run = 0; run < runs; run++) {
    for (const [name, start] of Object.entries(STARTS)) {
      const list = samples[name] ?? [];
      list.push(await startOnce(start));
      samples[name] = list;
    }
  }
  const summary = Object.fromEntries(
    Object.entries(samples).map(([name, list]) => [
      name,
      {
        runs: list.length,
        readyMsMedian: round(median(list.map((s) => s.readyMs)), 0),
        readyMsMin: round(Math.min(...list.map((s) => s.readyMs)), 0),
        idleRssMbMedian: round(median(list.map((s) => s.idleRssMb)), 0),
        workedRssMbMedian: round(median(list.map((s) => s.workedRssMb)), 0),
      },
    ]),
  );
  const node = summary['node dist/index.js']!;
  const tsx = summary['tsx src/index.ts']!;
  return {
    ...summary,
    ratios: {
      readyTsxCliOverNode: round(tsx.readyMsMedian / node.readyMsMedian),
      workedRssTsxCliOverNode: round(tsx.workedRssMbMedian / node.workedRssMbMedian),
    },
  };
}
