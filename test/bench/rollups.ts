/**
 * `pnpm bench rollups`: what the analytics rollup triggers (migration 0021) add to the writes that
 * fire them. On a seeded file (BENCH_ROLLUP_LEADS leads, ten touchpoints each), in-process through
 * `app.request`, alternating rounds with the rollup triggers in place and dropped (the same
 * statements created again from their stored SQL), so both halves share the machine's load: lead
 * creation, touchpoint logging (now), and a touchpoint logged late onto a won deal (which recomputes
 * the deal's attribution credits). Reports medians per side and their ratio; never asserts. First,
 * the bulk path: the demo seed of the same size into a fresh file with the triggers and into one
 * without them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '@leadline/server';
import { bootstrap } from '@leadline/server/bootstrap';
import { openDatabase } from '@leadline/server/db';
import { seedDemo } from '@leadline/server/demo';
import type { Client } from '@libsql/client';
import { median, percentile, round } from './stats';

const TOKEN = 'bench-rollups-token-0123456789';
/** The triggers migration 0021 adds on leads, stage_changes, touchpoints and its own tables. */
const ROLLUP_TABLES = ['lead_facts', 'lead_stays', 'touch_weeks', 'deal_credits', 'deal_credit_refresh'];

/** The rollup triggers with the statements that create them. */
async function rollupTriggers(client: Client) {
  const { rows } = await client.execute(
    `select name, sql from sqlite_schema where type = 'trigger' and (${ROLLUP_TABLES.map(
      (table) => `sql like '%${table}%'`,
    ).join(' or ')})`,
  );
  return rows.map((row) => ({ name: String(row[0]), sql: String(row[1]) }));
}

export async function benchRollups(options: { leads?: number; rounds?: number; perRound?: number } = {}) {
  const leads = options.leads ?? 20_000;
  const rounds = options.rounds ?? 6;
  const perRound = options.perRound ?? 100;
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-rollups-'));
  try {
    const seedSeconds: Record<string, number> = {};
    for (const side of ['without', 'with'] as const) {
      const file = join(dir, `seed-${side}.db`);
      const seeded = await openDatabase(`file:${file}`);
      await bootstrap(seeded.db, TOKEN);
      if (side === 'without') {
        for (const { name } of await rollupTriggers(seeded.client)) {
          await seeded.client.execute(`drop trigger ${name}`);
        }
      }
      const started = performance.now();
      await seedDemo(seeded.db, { leads, touchpoints: leads * 10, seed: 42 });
      seedSeconds[side] = round((performance.now() - started) / 1000, 1);
      seeded.close();
      if (side === 'without') rmSync(file, { force: true });
    }
    // The file seeded with the triggers, so its rollups are whole.
    const handle = await openDatabase(`file:${join(dir, 'seed-with.db')}`);
    await handle.client.execute('analyze');
    const app = createApp(handle.db);
    const call = async (method: string, path: string, body: unknown) => {
      const res = await app.request(path, {
        method,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    };
    const triggers = await rollupTriggers(handle.client);
    const ids = async (where: string) =>
      (await handle.client.execute(`select id from leads where ${where} order by id limit 500`)).rows.map(
        (row) => String(row[0]),
      );
    const open = await ids("stage in ('new', 'mql', 'sql')");
    const won = await ids("stage = 'won'");

    type Side = 'with' | 'without';
    const samples: Record<Side, Record<string, number[]>> = { with: {}, without: {} };
    let counting = false;
    const record = (side: Side, what: string, ms: number) => {
      if (!counting) return;
      samples[side][what] ??= [];
      samples[side][what]!.push(ms);
    };
    const timed = async (side: Side, what: string, run: () => Promise<void>) => {
      const started = performance.now();
      await run();
      record(side, what, performance.now() - started);
    };
    let n = 0;
    // Round -1 warms the process up (JIT, statement caches) and is not counted.
    for (let round = -1; round < rounds; round++) {
      const order: Side[] = round % 2 === 0 ? ['with', 'without'] : ['without', 'with'];
      counting = round >= 0;
      for (const side of order) {
        if (side === 'without') {
          for (const trigger of triggers) await handle.client.execute(`drop trigger ${trigger.name}`);
        }
        for (let i = 0; i < perRound; i++, n++) {
          await timed(side, 'leadCreate', () =>
            call('POST', '/api/leads', { fullName: `Bench Person ${n}`, source: { channel: 'web' } }),
          );
          await timed(side, 'touchpoint', () =>
            call('POST', `/api/leads/${open[n % open.length]}/touchpoints`, { type: 'email_sent' }),
          );
          await timed(side, 'touchpointOnWonDealLate', () =>
            call('POST', `/api/leads/${won[n % won.length]}/touchpoints`, {
              type: 'call_connected',
              occurredAt: '2024-06-01T10:00:00Z',
            }),
          );
        }
        if (side === 'without') for (const trigger of triggers) await handle.client.execute(trigger.sql);
      }
    }
    handle.close();
    const figures = Object.fromEntries(
      Object.keys(samples.with).map((what) => {
        const withMs = median(samples.with[what]!);
        const withoutMs = median(samples.without[what]!);
        return [
          what,
          {
            withTriggersMedianMs: round(withMs, 3),
            withoutTriggersMedianMs: round(withoutMs, 3),
            withTriggersP95Ms: round(percentile(samples.with[what]!, 95), 3),
            withoutTriggersP95Ms: round(percentile(samples.without[what]!, 95), 3),
            ratio: round(withMs / withoutMs, 3),
          },
        ];
      }),
    );
    return {
      leads,
      triggers: triggers.length,
      seedSeconds: { ...seedSeconds, ratio: round(seedSeconds.with! / seedSeconds.without!, 2) },
      samplesPerSide: rounds * perRound,
      figures,
      loadAverage: loadavg().map((value) => round(value, 2)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
