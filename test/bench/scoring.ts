import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '@leadline/server';
import { bootstrap } from '@leadline/server/bootstrap';
import { type DatabaseHandle, openDatabase } from '@leadline/server/db';
import {
  type ActiveModel,
  activeModel,
  type Ranked,
  topByScore,
  topByScoreBruteForce,
} from '@leadline/server/scoring';
import { DEFAULT_SCORING_MODEL, evaluateFit, TOUCHPOINT_TYPES, type TouchpointType } from '@leadline/shared';
import type { InStatement } from '@libsql/client';
import { startApiServer } from '../support/api-server';
import { createRandom, median, peakRssMb, percentile, round, sample, timeIt } from './stats';

const DAY = 86_400_000;

/** Long runs print what they have so far, so a late failure does not lose the early figures. */
const progress = (report: Record<string, unknown>) =>
  console.error(`bench: so far ${JSON.stringify(report)}`);
const TITLES = [
  'CEO',
  'VP Sales',
  'Head of Marketing',
  'Sales Manager',
  'Engineer',
  'Director of IT',
  'Analyst',
  'Intern',
];
const TOUCH_WEIGHTS = TOUCHPOINT_TYPES.map(
  (type) => [type, type.startsWith('email') ? 6 : type === 'page_visit' ? 8 : 2] as const,
);

export interface ScoringBenchOptions {
  leads: number;
  touchpointsPerLead: number;
  seed: number;
}

/**
 * Seeds `leads` leads and `leads * touchpointsPerLead` touchpoints into a fresh libSQL file, then
 * measures rescore-all, top-50 by live score (fast path and brute force), and touchpoint logging
 * over HTTP against the real API process.
 */
export async function benchScoring(options: ScoringBenchOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-'));
  const url = `file:${join(dir, 'bench.db')}`;
  const report: Record<string, unknown> = {
    leads: options.leads,
    touchpoints: options.leads * options.touchpointsPerLead,
  };
  try {
    const handle = await openDatabase(url);
    const { workspaceId, adminUserId } = await bootstrap(handle.db, 'bench-admin-token-0123456789');
    const seeding = await timeIt(() => seed(handle.client, workspaceId, adminUserId, options));
    report.seedSeconds = round(seeding.ms / 1000, 1);
    progress(report);

    const app = createApp(handle.db);
    const headers = {
      authorization: 'Bearer bench-admin-token-0123456789',
      'content-type': 'application/json',
    };
    // The seed stores fit but no engagement: a model with another half-life rebuilds engagement for all.
    const rescore = await timeIt(async () => {
      const res = await app.request('/api/scoring-model', {
        method: 'PUT',
        headers,
        body: JSON.stringify({ ...DEFAULT_SCORING_MODEL, halfLifeDays: 21 }),
      });
      if (res.status !== 200) throw new Error(`rescore failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as { rescored: number; changed: number; stageChanges: number };
    });
    report.rescoreAll = {
      seconds: round(rescore.ms / 1000, 1),
      rescored: rescore.result.rescored,
      changed: rescore.result.changed,
      stageChanges: rescore.result.stageChanges,
    };
    // A changed fit rule reads the fields the rules use; thresholds alone read neither fields nor touchpoints.
    const changeModel = async (model: typeof DEFAULT_SCORING_MODEL) => {
      const timed = await timeIt(async () => {
        const res = await app.request('/api/scoring-model', {
          method: 'PUT',
          headers,
          body: JSON.stringify(model),
        });
        if (res.status !== 200) throw new Error(`rescore failed: ${res.status} ${await res.text()}`);
        return (await res.json()) as { changed: number };
      });
      return { seconds: round(timed.ms / 1000, 1), changed: timed.result.changed };
    };
    const fitRules = DEFAULT_SCORING_MODEL.fitRules.map((rule) =>
      rule.id === 'mid-market' ? { ...rule, points: 25 } : rule,
    );
    report.rescoreFitRules = await changeModel({ ...DEFAULT_SCORING_MODEL, halfLifeDays: 21, fitRules });
    report.rescoreThresholds = await changeModel({
      ...DEFAULT_SCORING_MODEL,
      halfLifeDays: 21,
      fitRules,
      thresholds: { mql: 55, sql: 80, sqlMinGrade: 'B' },
    });
    progress(report);

    const top = async (query: string) => {
      const res = await app.request(`/api/leads?sort=-score&limit=50${query}`, { headers });
      if (res.status !== 200) throw new Error(`list failed: ${res.status}`);
      return res.json();
    };
    const model = await activeModel(handle.db, workspaceId);
    const queries = { all: '', stageMql: '&stage=mql', owner: `&owner=${adminUserId}` } as const;
    const latency: Record<string, unknown> = {};
    for (const [name, query] of Object.entries(queries)) {
      await top(query); // warm
      const samples = await sample(200, () => top(query));
      latency[name] = { p50Ms: round(median(samples)), p99Ms: round(percentile(samples, 99)) };
    }
    report.top50 = latency;
    progress(report);

    const atMs = Date.now();
    const fastSamples = await sample(20, () => topByScore(handle.db, workspaceId, {}, 50, model, atMs));
    const bruteSamples = await sample(3, () =>
      topByScoreBruteForce(handle.db, workspaceId, {}, 50, model, atMs),
    );
    const fast = await topByScore(handle.db, workspaceId, {}, 50, model, atMs);
    const brute = await topByScoreBruteForce(handle.db, workspaceId, {}, 50, model, atMs);
    report.top50VsBruteForce = {
      fastMedianMs: round(median(fastSamples)),
      bruteForceMedianMs: round(median(bruteSamples)),
      ratio: round(median(bruteSamples) / median(fastSamples), 0),
      sameAnswer:
        JSON.stringify(fast.map((entry) => entry.row.id)) ===
        JSON.stringify(brute.map((entry) => entry.row.id)),
    };
    report.top50VsOneSql = await versusOneSql(handle, workspaceId, model, atMs, fast);
    progress(report);
    handle.close();

    report.touchpointLogging = await benchLogging(url, options.seed);
    report.peakRssMb = peakRssMb();
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What a competent engineer writes first: one statement over the stored columns, the score computed
 * in SQL (the day's decay exponent bound as a parameter; libSQL has `exp`, not `pow`), `ORDER BY ...
 * LIMIT 50`. Next to the index walk it reports p50/p99 of each and the ratio of the p99s; the scores
 * of both top 50s must agree (ties may list other ids).
 */
async function versusOneSql(
  handle: DatabaseHandle,
  workspaceId: string,
  model: ActiveModel,
  atMs: number,
  fast: Ranked[],
) {
  const { weights, engagementCurve } = model.document;
  const decay = model.halfLifeMs === null ? 0 : (atMs - model.landmarkMs) / model.halfLifeMs;
  const engagement = 'coalesce(exp(0.6931471805599453 * (engagement_key - ?)), 0)';
  const curve =
    engagementCurve.kind === 'cap'
      ? `min(${engagement}, 100)`
      : `100 * (1 - exp(-0.6931471805599453 * ${engagement} / ${engagementCurve.halfAt}))`;
  const statement = {
    sql: `select id, ? * fit + ? * ${curve} as score from leads where workspace_id = ?
          order by score desc limit 50`,
    args: [weights.fit, weights.engagement, decay, workspaceId],
  };
  const oneSql = () => handle.client.execute(statement);
  await oneSql();
  const sqlSamples = await sample(50, oneSql);
  const walkSamples = await sample(200, () => topByScore(handle.db, workspaceId, {}, 50, model, atMs));
  const { rows } = await oneSql();
  const sqlScores = rows.map((row) => Number(row.score));
  return {
    oneSql: { p50Ms: round(median(sqlSamples)), p99Ms: round(percentile(sqlSamples, 99)) },
    indexWalk: { p50Ms: round(median(walkSamples)), p99Ms: round(percentile(walkSamples, 99)) },
    ratioP99: round(percentile(sqlSamples, 99) / percentile(walkSamples, 99), 1),
    sameScores:
      sqlScores.length === fast.length &&
      fast.every((entry, i) => Math.abs(entry.raw - sqlScores[i]!) < 1e-6),
  };
}

async function benchLogging(databaseUrl: string, seed: number) {
  // A large database may take a while to open (migrations that build an index run at start).
  const server = await startApiServer({
    token: 'bench-admin-token-0123456789',
    databaseUrl,
    startTimeoutMs: 600_000,
  });
  try {
    const random = createRandom(seed + 1);
    const headers = { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' };
    const total = 2000;
    const concurrency = 16;
    let sent = 0;
    const latencies: number[] = [];
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < total) {
          sent++;
          const leadId = benchLeadId(random.int(0, 9999));
          const t0 = performance.now();
          const res = await fetch(`${server.url}/api/leads/${leadId}/touchpoints`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
              type: random.pick(['call_connected', 'email_sent', 'meeting_booked', 'note']),
            }),
          });
          await res.arrayBuffer();
          if (res.status !== 201) throw new Error(`logging failed: ${res.status}`);
          latencies.push(performance.now() - t0);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    return {
      requests: total,
      concurrency,
      perSecond: round(total / seconds, 0),
      p50Ms: round(median(latencies)),
      p99Ms: round(percentile(latencies, 99)),
    };
  } finally {
    await server.stop();
  }
}

/**
 * The id of the `i`-th seeded lead: in no relation to insertion order, as the API's random UUIDs
 * are (so walks by id are as scattered as in production), yet computable from `i` alone.
 */
export function benchLeadId(i: number): string {
  let x = Math.imul(i ^ 0x5bd1e995, 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  x ^= x >>> 16;
  return `${(x >>> 0).toString(16).padStart(8, '0')}-bench-${i}`;
}

export async function seed(
  client: { batch(statements: InStatement[], mode: 'write'): Promise<unknown> },
  workspaceId: string,
  adminUserId: string,
  { leads, touchpointsPerLead, seed: seedValue }: ScoringBenchOptions,
) {
  const random = createRandom(seedValue);
  const now = Date.now();
  const owners = [adminUserId];
  const reps: InStatement[] = [];
  for (let i = 0; i < 9; i++) {
    const id = `bench-rep-${i}`;
    owners.push(id);
    reps.push({
      sql: "insert into users (id, workspace_id, name, role, created_at) values (?, ?, ?, 'rep', ?)",
      args: [id, workspaceId, `Rep ${i}`, now],
    });
  }
  await client.batch(reps, 'write');

  const LEAD_ROWS = 400;
  const TOUCH_ROWS = 1000;
  for (let start = 0; start < leads; start += 20_000) {
    const statements: InStatement[] = [];
    const end = Math.min(leads, start + 20_000);
    for (let chunk = start; chunk < end; chunk += LEAD_ROWS) {
      const args: (string | number | null)[] = [];
      const rows: string[] = [];
      for (let i = chunk; i < Math.min(end, chunk + LEAD_ROWS); i++) {
        const id = benchLeadId(i);
        const company = `company${random.int(1, 50_000)}`;
        const created = now - random.int(0, 365) * DAY - random.int(0, DAY);
        const title = random.pick(TITLES);
        const email = random.next() < 0.3 ? `p${i}@gmail.com` : `p${i}@${company}.com`;
        const companySize = random.next() < 0.7 ? random.int(5, 20_000) : null;
        rows.push('(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
        args.push(
          id,
          workspaceId,
          `Person ${i}`,
          `person ${i}`,
          title,
          company,
          `${company}.com`,
          email,
          companySize,
          // Fit under the model in force, as every write through the API stores it.
          evaluateFit({ title, email, companySize }, DEFAULT_SCORING_MODEL).fit,
          random.pick(['linkedin', 'email', 'web', 'event', 'referral']),
          random.pick(owners),
          random.weighted([
            ['new', 70],
            ['mql', 15],
            ['sql', 8],
            ['opportunity', 4],
            ['won', 2],
            ['lost', 1],
          ] as const),
          created,
          created,
        );
      }
      statements.push({
        sql: `insert into leads (id, workspace_id, full_name, name_key, title, company, company_domain, email, company_size, fit, source_channel, owner_id, stage, created_at, updated_at) values ${rows.join(', ')}`,
        args,
      });
    }
    await client.batch(statements, 'write');
  }

  const totalTouches = leads * touchpointsPerLead;
  for (let start = 0; start < totalTouches; start += 50_000) {
    const statements: InStatement[] = [];
    const end = Math.min(totalTouches, start + 50_000);
    for (let chunk = start; chunk < end; chunk += TOUCH_ROWS) {
      const args: (string | number | null)[] = [];
      const rows: string[] = [];
      for (let i = chunk; i < Math.min(end, chunk + TOUCH_ROWS); i++) {
        // Skewed towards a hot minority, as real engagement is.
        const lead = random.next() < 0.5 ? random.int(0, Math.floor(leads / 20)) : random.int(0, leads - 1);
        const occurred = now - Math.floor(random.next() ** 2 * 365 * DAY);
        const type: TouchpointType = random.weighted(TOUCH_WEIGHTS);
        rows.push('(?, ?, ?, ?, ?, ?, ?)');
        args.push(`bench-tp-${i}`, workspaceId, benchLeadId(lead), adminUserId, type, occurred, occurred);
      }
      statements.push({
        sql: `insert into touchpoints (id, workspace_id, lead_id, user_id, type, occurred_at, created_at) values ${rows.join(', ')}`,
        args,
      });
    }
    await client.batch(statements, 'write');
  }
}
