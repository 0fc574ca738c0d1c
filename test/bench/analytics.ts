import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '@leadline/server';
import { bootstrap } from '@leadline/server/bootstrap';
import { openDatabase } from '@leadline/server/db';
import { seedDemo } from '@leadline/server/demo';

const TOKEN = 'bench-analytics-token-0123456789';

const NOW = new Date('2026-01-01T00:00:00Z');

export interface AnalyticsBenchOptions {
  leads?: number;
  touchpoints?: number;
  seed?: number;
  runs?: number;
  /**
   * A seeded database file to reuse: copied and measured when it exists (the migrations it lacks
   * are applied on open, which is timed), else seeded and saved there. Seeding 100,000 leads takes
   * minutes on a busy machine, and one file measured by two builds compares them on the same data.
   */
  seededFile?: string;
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Seeds 100,000 leads and 1,000,000 touchpoints (the demo generator, reproducible from `seed`) into a
 * fresh libSQL file, then times each analytics endpoint through `app.request`: median and p95 over
 * `runs` requests after one warm-up, for the whole year, one quarter with an owner filter and the year
 * with a channel filter.
 */
export async function benchAnalytics(options: AnalyticsBenchOptions = {}): Promise<Record<string, unknown>> {
  const leads = options.leads ?? 100_000;
  const touchpoints = options.touchpoints ?? 1_000_000;
  const runs = options.runs ?? 20;
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-analytics-'));
  try {
    const file = join(dir, 'bench.db');
    const reuse = options.seededFile !== undefined && existsSync(options.seededFile);
    if (reuse) copyFileSync(options.seededFile!, file);
    const openStarted = performance.now();
    const handle = await openDatabase(`file:${file}`);
    const openSeconds = round((performance.now() - openStarted) / 1000, 2);
    let seedSeconds: number | null = null;
    if (!reuse) {
      await bootstrap(handle.db, TOKEN);
      const seedStarted = performance.now();
      await seedDemo(handle.db, { leads, touchpoints, seed: options.seed ?? 42, now: NOW });
      seedSeconds = round((performance.now() - seedStarted) / 1000);
    }
    await handle.client.execute('analyze');
    if (!reuse && options.seededFile) {
      await handle.client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
      copyFileSync(file, options.seededFile);
    }
    const count = async (table: string) =>
      Number((await handle.client.execute(`select count(*) from ${table}`)).rows[0]![0]);
    const seeded = {
      leads: await count('leads'),
      touchpoints: await count('touchpoints'),
      stageChanges: await count('stage_changes'),
    };
    const app = createApp(handle.db);
    const owner = (await handle.client.execute("select id from users where role = 'rep' limit 1")).rows[0]!
      .id as string;

    const endpoints = [
      'funnel',
      'velocity',
      'speed-to-lead',
      'outcomes',
      'sources',
      'attribution?model=linear',
      'attribution?model=w_shaped',
      'attribution?model=time_decay',
      'rep-activity',
    ];
    const scopes: Record<string, string> = {
      year: 'from=2025-01-01&to=2025-12-31',
      quarterOneRep: `from=2025-07-01&to=2025-09-30&owner=${owner}`,
      yearOneChannel: 'from=2025-01-01&to=2025-12-31&channel=linkedin',
    };
    type Figures = Record<string, Record<string, { medianMs: number; p95Ms: number }>>;
    const measure = async (latency: Figures) => {
      for (const [scopeName, filters] of Object.entries(scopes)) {
        latency[scopeName] = {};
        for (const endpoint of endpoints) {
          const path = `/api/analytics/${endpoint}${endpoint.includes('?') ? '&' : '?'}${filters}`;
          const call = async () => {
            const res = await app.request(path, { headers: { authorization: `Bearer ${TOKEN}` } });
            if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
            await res.arrayBuffer();
          };
          await call();
          const samples: number[] = [];
          for (let i = 0; i < runs; i++) {
            const started = performance.now();
            await call();
            samples.push(performance.now() - started);
          }
          latency[scopeName][endpoint] = {
            medianMs: round(percentile(samples, 50)),
            p95Ms: round(percentile(samples, 95)),
          };
        }
      }
    };
    const latency: Figures = {};
    await measure(latency);
    handle.close();
    return {
      leads: seeded.leads,
      touchpoints: seeded.touchpoints,
      stageChanges: seeded.stageChanges,
      seedSeconds,
      reused: reuse ? options.seededFile : null,
      openSeconds,
      runs,
      latency,
      loadAverage: loadavg().map((value) => round(value, 2)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const leads = process.env.BENCH_LEADS ? Number(process.env.BENCH_LEADS) : undefined;
  console.log(
    JSON.stringify(
      await benchAnalytics({
        leads,
        touchpoints: leads ? leads * 10 : undefined,
        seededFile: process.env.BENCH_ANALYTICS_DB,
      }),
      null,
      2,
    ),
  );
}
