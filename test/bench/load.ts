/**
 * `pnpm bench load`: the real API process (the built server when there is one) on a file with
 * 100,000 leads, 50 clients of mixed traffic, and how it holds up while (a) another process holds
 * the write lock, (b) a model change rescores every lead, (c) a CSV import runs, (d) one client loops
 * the dashboard. Then
 * touchpoint logging against a floor server on the same stack, alternated in one run.
 *
 * Environment (all optional): LOAD_LEADS (100000), LOAD_TOUCHPOINTS (300000), LOAD_CLIENTS (50),
 * LOAD_SECONDS per scenario (30), LOAD_LOCK_SECONDS (10), LOAD_SCENARIOS (steady,lock,rescore,
 * dashboard,import,floor: the import adds its rows' leads, so it runs after the scenarios measured on
 * the seeded file), LOAD_IMPORT_ROWS (100000), LOAD_FLOOR_CLIENTS (16), LOAD_FLOOR_SECONDS per
 * turn (5), LOAD_FLOOR_ROUNDS (3), LOAD_DB (a database file to seed once and keep, or to reuse as it is).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '@leadline/server/bootstrap';
import { openDatabase } from '@leadline/server/db';
import { seedDemo } from '@leadline/server/demo';
import { DEFAULT_SCORING_MODEL } from '@leadline/shared';
import { createClient } from '@libsql/client';
import { BUILT_SERVER, freePort, startApiServer, stopProcess, waitForHealth } from '../support/api-server';
import { REPO_ROOT } from '../support/paths';
import { uploadLeadCsv } from './lead-csv';
import { drive, newTally, type Request, summarize, LOAD_TOKEN as TOKEN } from './load-traffic';
import { round } from './stats';

const NOW = new Date();
const YEAR = `from=${new Date(NOW.getTime() - 365 * 86_400_000).toISOString().slice(0, 10)}&to=${NOW.toISOString().slice(0, 10)}`;
const DASHBOARD = [
  'funnel',
  'velocity',
  'speed-to-lead',
  'outcomes',
  'sources',
  'attribution?model=linear',
  'rep-activity',
].map((endpoint) => `/api/analytics/${endpoint}${endpoint.includes('?') ? '&' : '?'}${YEAR}`);

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

interface Target {
  leads: { id: string; email: string | null }[];
}

/** The mixed traffic of a team's panels: what one client asks next. */
function nextRequest(target: Target, random: () => number): Request {
  const lead = target.leads[Math.floor(random() * target.leads.length)]!;
  const roll = random() * 100;
  if (roll < 25) return { route: 'hot list', method: 'GET', path: '/api/leads?sort=-score&limit=50' };
  if (roll < 50) return { route: 'lead detail', method: 'GET', path: `/api/leads/${lead.id}` };
  if (roll < 70) {
    return {
      route: 'touchpoint',
      method: 'POST',
      path: `/api/leads/${lead.id}/touchpoints`,
      body: { type: 'email_opened', note: 'bench' },
    };
  }
  if (roll < 85) {
    return {
      route: 'match',
      method: 'GET',
      path: `/api/leads/match?email=${encodeURIComponent(lead.email ?? 'nobody@nowhere.example')}`,
    };
  }
  if (roll < 90) return { route: 'analytics', method: 'GET', path: DASHBOARD[0]! };
  return { route: 'health', method: 'GET', path: '/health' };
}

async function eventLoop(base: string) {
  const res = await fetch(`${base}/api/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  if (res.status !== 200) return null;
  return ((await res.json()) as { eventLoop: { p99Ms: number; maxMs: number } }).eventLoop;
}

/** Another process holding the write lock (BEGIN IMMEDIATE) for `seconds`. */
function holdWriteLock(databaseUrl: string, seconds: number): ChildProcess {
  const script = `import { createClient } from '@libsql/client';
const client = createClient({ url: ${JSON.stringify(databaseUrl)}, timeout: 60000 });
const tx = await client.transaction('write');
console.log('locked');
setTimeout(async () => { await tx.rollback(); client.close(); process.exit(0); }, ${seconds * 1000});`;
  return spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: join(REPO_ROOT, 'test'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function seed(file: string, leads: number, touchpoints: number) {
  const handle = await openDatabase(`file:${file}`);
  try {
    await bootstrap(handle.db, TOKEN);
    const started = performance.now();
    await seedDemo(handle.db, { leads, touchpoints, seed: 42, now: NOW });
    await handle.client.execute('analyze');
    return round((performance.now() - started) / 1000, 1);
  } finally {
    handle.close();
  }
}

/**
 * Scenario (c): a CSV of `rows` new leads uploaded (streamed, staged, dry run) and then imported in
 * the background, from the start of the scenario; what it reached when the traffic stops goes in
 * `notes`. The returned promise ends with the import (so the next scenario runs without it).
 */
async function runImport(base: string, rows: number, notes: Record<string, unknown>) {
  const auth = { authorization: `Bearer ${TOKEN}` };
  const started = performance.now();
  const upload = await uploadLeadCsv(`${base}/api/imports?fileName=load.csv`, TOKEN, rows);
  if (upload.status !== 201) throw new Error(`import upload answered ${upload.status}: ${upload.body}`);
  const { id } = JSON.parse(upload.body) as { id: string };
  const uploaded = performance.now();
  notes.importUploadSeconds = round((uploaded - started) / 1000, 1);
  const start = await fetch(`${base}/api/imports/${id}/start`, { method: 'POST', headers: auth });
  if (start.status !== 202) throw new Error(`import start answered ${start.status}: ${await start.text()}`);
  const deadline = performance.now() + 30 * 60_000;
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const job = (await (await fetch(`${base}/api/imports/${id}`, { headers: auth })).json()) as {
      status: string;
      progress: { done: number };
    };
    notes.importRowsDone = job.progress.done;
    if (job.status !== 'running') {
      notes.importStatus = job.status;
      notes.importRunSeconds = round((performance.now() - uploaded) / 1000, 1);
      notes.importRowsPerSecond = Math.round(rows / ((performance.now() - uploaded) / 1000));
      return;
    }
  }
  notes.importStatus = 'still running after 30 minutes';
}

async function floorComparison(api: string, target: Target) {
  const clients = env('LOAD_FLOOR_CLIENTS', 16);
  const seconds = env('LOAD_FLOOR_SECONDS', 5);
  const rounds = env('LOAD_FLOOR_ROUNDS', 3);
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-floor-'));
  const port = await freePort();
  const floor = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'test/bench/floor-server.ts')], {
    cwd: join(REPO_ROOT, 'test'),
    env: { ...process.env, PORT: String(port), FLOOR_DB: join(dir, 'floor.db') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => {
    log += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    log += chunk;
  });
  try {
    await waitForHealth(floor, child, 'The floor server', () => log, 30_000);
    let i = 0;
    const next = (): Request => {
      const lead = target.leads[i++ % target.leads.length]!;
      return {
        route: 'touchpoint',
        method: 'POST',
        path: `/api/leads/${lead.id}/touchpoints`,
        body: { type: 'email_opened', note: 'bench' },
      };
    };
    const turns: { api: number[]; floor: number[] } = { api: [], floor: [] };
    const apiTally = newTally();
    for (let round_ = 0; round_ < rounds; round_++) {
      for (const [name, base] of [
        ['api', api],
        ['floor', floor],
      ] as const) {
        const tally = name === 'api' ? apiTally : newTally();
        const before = tally.latencies.get('touchpoint')?.length ?? 0;
        await drive(base, clients, performance.now() + seconds * 1000, next, tally);
        const done = (tally.latencies.get('touchpoint')?.length ?? 0) - before;
        turns[name].push(done / seconds);
      }
    }
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    return {
      clients,
      secondsPerTurn: seconds,
      rounds,
      apiRequestsPerSecond: turns.api.map((v) => round(v, 0)),
      floorRequestsPerSecond: turns.floor.map((v) => round(v, 0)),
      ratio: round(sum(turns.api) / sum(turns.floor), 2),
      api: summarize(apiTally, seconds * rounds).routes,
    };
  } finally {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchLoad(): Promise<Record<string, unknown>> {
  const leads = env('LOAD_LEADS', 100_000);
  const touchpoints = env('LOAD_TOUCHPOINTS', 300_000);
  const clients = env('LOAD_CLIENTS', 50);
  const seconds = env('LOAD_SECONDS', 30);
  const lockSeconds = env('LOAD_LOCK_SECONDS', 10);
  const scenarios = (process.env.LOAD_SCENARIOS ?? 'steady,lock,rescore,dashboard,import,floor').split(',');

  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-load-'));
  // LOAD_DB: a file seeded before (1,000,000 leads take long to seed), used as it is and kept.
  const kept = process.env.LOAD_DB;
  const file = kept ?? join(dir, 'load.db');
  const databaseUrl = `file:${file}`;
  const seedSeconds = kept && existsSync(kept) ? 0 : await seed(file, leads, touchpoints);
  // The seeding pool closes its connections in the background: wait out its last checkpoint.
  const reader = createClient({ url: databaseUrl, timeout: 30_000 });
  const target: Target = {
    leads: (await reader.execute('select id, email from leads order by random() limit 5000')).rows.map(
      (row) => ({ id: String(row.id), email: row.email === null ? null : String(row.email) }),
    ),
  };
  reader.close();

  const built = existsSync(BUILT_SERVER);
  const server = await startApiServer({
    databaseUrl,
    token: TOKEN,
    built,
    startTimeoutMs: 120_000,
    // Node's own options for the API process, e.g. --cpu-prof (not allowed in NODE_OPTIONS).
    nodeArgs: process.env.BENCH_API_NODE_ARGS?.split(/\s+/).filter(Boolean),
  });
  const results: Record<string, unknown> = {
    what: `the API process (${built ? 'node dist/index.js' : 'tsx src/index.ts'}) on ${leads} leads / ${touchpoints} touchpoints; ${clients} clients of mixed traffic, ${seconds} s a scenario`,
    seedSeconds,
  };
  let seedRandom = 1;
  const random = () => {
    // xorshift: the same traffic on every run
    seedRandom ^= seedRandom << 13;
    seedRandom ^= seedRandom >>> 17;
    seedRandom ^= seedRandom << 5;
    return (seedRandom >>> 0) / 4_294_967_296;
  };
  try {
    // Warm-up: every route once, so the first scenario does not pay for the caches.
    await drive(server.url, 4, performance.now() + 2000, () => nextRequest(target, random), newTally());
    let halfLife = DEFAULT_SCORING_MODEL.halfLifeDays;
    for (const scenario of scenarios) {
      if (scenario === 'floor') {
        console.error('bench load: floor comparison…');
        results.touchpointVsFloor = await floorComparison(server.url, target);
        console.error(JSON.stringify({ touchpointVsFloor: results.touchpointVsFloor }));
        continue;
      }
      console.error(`bench load: ${scenario}…`);
      const tally = newTally();
      await eventLoop(server.url);
      const until = performance.now() + seconds * 1000;
      const extra: Promise<unknown>[] = [];
      const notes: Record<string, unknown> = {};
      let importing: Promise<void> | null = null;
      if (scenario === 'lock') {
        const holder = holdWriteLock(databaseUrl, lockSeconds);
        extra.push(new Promise((resolve) => holder.once('exit', resolve)));
        notes.lockSeconds = lockSeconds;
      } else if (scenario === 'rescore') {
        halfLife = halfLife === 14 ? 10 : 14;
        const started = performance.now();
        extra.push(
          fetch(`${server.url}/api/scoring-model`, {
            method: 'PUT',
            headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
            body: JSON.stringify({ ...DEFAULT_SCORING_MODEL, halfLifeDays: halfLife }),
          })
            .then(async (res) => {
              notes.modelChange = {
                status: res.status,
                seconds: round((performance.now() - started) / 1000, 1),
                body: (await res.text()).slice(0, 200),
              };
            })
            .catch((error) => {
              notes.modelChange = {
                error: String((error as { cause?: unknown }).cause ?? error),
                seconds: round((performance.now() - started) / 1000, 1),
              };
            }),
        );
      } else if (scenario === 'import') {
        const rows = env('LOAD_IMPORT_ROWS', 100_000);
        notes.importRows = rows;
        importing = runImport(server.url, rows, notes).catch((error) => {
          notes.importError = String(error);
        });
      } else if (scenario === 'dashboard') {
        let i = 0;
        const dashboard = newTally();
        extra.push(
          drive(
            server.url,
            1,
            until,
            () => ({ route: 'dashboard', method: 'GET', path: DASHBOARD[i++ % DASHBOARD.length]! }),
            dashboard,
          ).then(() => {
            notes.dashboardClient = summarize(dashboard, seconds).routes;
          }),
        );
      }
      await drive(server.url, clients, until, () => nextRequest(target, random), tally);
      await Promise.all(extra);
      const loop = await eventLoop(server.url);
      if (importing) {
        // What the import reached under the traffic, then its end, out of the next scenario's way.
        notes.importRowsDoneAtScenarioEnd = notes.importRowsDone ?? 0;
        await importing;
        importing = null;
      }
      results[scenario] = {
        ...notes,
        eventLoopDelay: loop ? { p99Ms: loop.p99Ms, maxMs: loop.maxMs } : 'not reported (no /api/metrics)',
        ...summarize(tally, seconds),
      };
      // As it goes, so a later failure does not lose what was measured.
      console.error(JSON.stringify({ [scenario]: results[scenario] }));
    }
  } finally {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
