/**
 * `pnpm bench [section...]`: measures and prints; never fails on a number. Sections: scoring
 * (1,000,000 leads and 5,000,000 touchpoints by default: BENCH_LEADS to change), capture, panel,
 * analytics, start (the built server under node against tsx), load (the API under 50 clients of mixed
 * traffic, with a held lock, a rescore and a dashboard loop; touchpoints against a floor server),
 * export (a 1,000,000-lead CSV export streamed from the API process: BENCH_EXPORT_LEADS to change;
 * BENCH_EXPORT_DB keeps the seeded file at that path and reuses it; BENCH_EXPORT_SERVER runs another
 * server bundle on it, for a before/after), tasks (Today for a rep
 * with 5,000 open tasks among the leads, and a cadence engine pass over BENCH_ENROLMENTS enrolments),
 * routing (creation with routing against without, and one decision with 50 rules and 200 reps),
 * sla (an idle SLA sweep, and one that settles BENCH_SLA_LEADS assignments, half of them breached),
 * import (a 500,000-row CSV uploaded, dry-run and imported in the background: BENCH_IMPORT_ROWS),
 * rollups (lead creation and touchpoint logging with the analytics rollup triggers and without,
 * alternated: BENCH_ROLLUP_LEADS). analytics takes BENCH_ANALYTICS_DB (a seeded file to reuse),
 * BENCH_LEADS and BENCH_RUNS. import and load take BENCH_API_NODE_ARGS: Node's own options for the
 * API process, such as `--cpu-prof --cpu-prof-dir=DIR` (not allowed in NODE_OPTIONS).
 * Machines here are noisy: medians and percentiles over many runs, and ratios against a
 * baseline measured in the same run.
 */
import { benchAnalytics } from './analytics';
import { benchCapture } from './capture';
import { benchExport } from './export';
import { benchImport } from './import';
import { benchLoad } from './load';
import { benchPanel } from './panel';
import { benchRollups } from './rollups';
import { benchRouting } from './routing';
import { benchScoring } from './scoring';
import { benchSla } from './sla';
import { benchStart } from './start';
import { benchTasks } from './tasks';

const sections: Record<string, () => Promise<unknown>> = {
  scoring: () =>
    benchScoring({
      leads: Number(process.env.BENCH_LEADS ?? 1_000_000),
      touchpointsPerLead: 5,
      seed: Number(process.env.BENCH_SEED ?? 42),
    }),
  analytics: () =>
    benchAnalytics({
      leads: process.env.BENCH_LEADS ? Number(process.env.BENCH_LEADS) : undefined,
      touchpoints: process.env.BENCH_LEADS ? Number(process.env.BENCH_LEADS) * 10 : undefined,
      runs: process.env.BENCH_RUNS ? Number(process.env.BENCH_RUNS) : undefined,
      seededFile: process.env.BENCH_ANALYTICS_DB,
    }),
  capture: () => benchCapture(),
  panel: () => benchPanel(),
  routing: () => benchRouting(),
  rollups: () => benchRollups({ leads: Number(process.env.BENCH_ROLLUP_LEADS ?? 20_000) }),
  sla: () => benchSla({ leads: Number(process.env.BENCH_SLA_LEADS ?? 2_000) }),
  start: () => benchStart(),
  load: () => benchLoad(),
  export: () =>
    benchExport({
      leads: Number(process.env.BENCH_EXPORT_LEADS ?? 1_000_000),
      seed: Number(process.env.BENCH_SEED ?? 42),
      keep: process.env.BENCH_EXPORT_DB || undefined,
      server: process.env.BENCH_EXPORT_SERVER || undefined,
    }),
  import: () => benchImport({ rows: Number(process.env.BENCH_IMPORT_ROWS ?? 500_000) }),
  tasks: () =>
    benchTasks({
      leads: Number(process.env.BENCH_LEADS ?? 1_000_000),
      repTasks: 5_000,
      otherTasks: 45_000,
      enrolments: Number(process.env.BENCH_ENROLMENTS ?? 100_000),
      seed: Number(process.env.BENCH_SEED ?? 42),
    }),
};

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(sections);
const unknown = names.filter((name) => !(name in sections));
if (unknown.length) {
  console.error(
    `Unknown bench section(s): ${unknown.join(', ')}. Known: ${Object.keys(sections).join(', ')}`,
  );
  process.exit(2);
}

const results: Record<string, unknown> = {};
for (const name of names) {
  console.error(`bench: ${name}…`);
  const started = performance.now();
  results[name] = await sections[name]!();
  console.error(`bench: ${name} done in ${Math.round((performance.now() - started) / 1000)} s`);
  console.log(JSON.stringify({ [name]: results[name] }, null, 2));
}
