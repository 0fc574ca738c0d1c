/**
 * `pnpm bench [section...]`: measures and prints; never fails on a number. Sections: scoring
 * (1,000,000 leads and 5,000,000 touchpoints by default: BENCH_LEADS to change), capture, panel,
 * analytics, start (the built server under node against tsx), routing (creation with routing against
 * without, and one decision with 50 rules and 200 reps). Machines here are noisy: medians and percentiles over many runs, and ratios against a
 * baseline measured in the same run.
 */
import { benchAnalytics } from './analytics';
import { benchCapture } from './capture';
import { benchPanel } from './panel';
import { benchRouting } from './routing';
import { benchScoring } from './scoring';
import { benchStart } from './start';

const sections: Record<string, () => Promise<unknown>> = {
  scoring: () =>
    benchScoring({
      leads: Number(process.env.BENCH_LEADS ?? 1_000_000),
      touchpointsPerLead: 5,
      seed: Number(process.env.BENCH_SEED ?? 42),
    }),
  analytics: () => benchAnalytics(),
  capture: () => benchCapture(),
  panel: () => benchPanel(),
  routing: () => benchRouting(),
  start: () => benchStart(),
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
