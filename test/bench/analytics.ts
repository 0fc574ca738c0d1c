import { mkdtempSync, rmSync } from 'node:fs';
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
}

function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * Seeds 100,000 leads and 1,000,000 touchpoints (the demo generator, reproducible from `seed`) into a
 * fresh libSQL file, then times each analytics endpoint through `app.request`: median and p95 over
 * `runs` requests after one warm-up, for the whole year and for one quarter with an owner filter.
 */
export async function benchAnalytics(options: AnalyticsBenchOptions = {}): Promise<Record<string, unknown>> {
  const leads = options.leads ?? 100_000;
  const touchpoints = options.touchpoints ?? 1_000_000;
  const runs = options.runs ?? 20;
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-analytics-'));
  try {
    const handle = await openDatabase(`file:${join(dir, 'bench.db')}`);
    await bootstrap(handle.db, TOKEN);
    const seedStarted = performance.now();
    const seeded = await seedDemo(handle.db, { leads, touchpoints, seed: options.seed ?? 42, now: NOW });
    const seedSeconds = round((performance.now() - seedStarted) / 1000);
    await handle.client.execute('analyze');
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
    JSON.stringify(await benchAnalytics({ leads, touchpoints: leads ? leads * 10 : undefined }), null, 2),
  );
}
