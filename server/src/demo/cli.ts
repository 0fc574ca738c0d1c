import { bootstrap } from '../bootstrap';
import { openDatabase } from '../db/client';
import { exitOnStartupError, redact, resolveDatabaseUrl } from '../db/location';
import { loadEnv } from '../env';
import { rescoreInSlices } from '../scoring/rescore-job';
import { DemoRefused, seedDemo } from './seed';
import { issueDemoTokens, signInLines } from './tokens';

const USAGE = `pnpm demo [--force] [--seed N] [--leads N]
Fills the database at DATABASE_URL with a demo team and a year of leads, touchpoints, stage changes
and source costs. Refuses a database that already has leads unless --force.`;

function parseArgs(argv: string[]) {
  const options: { force: boolean; seed?: number; leads?: number } = { force: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const raw = argv[++i];
      const number = Number(raw);
      if (raw === undefined || !Number.isInteger(number) || number < 0) {
        throw new DemoRefused(`${arg} needs a whole number\n\n${USAGE}`);
      }
      return number;
    };
    if (arg === '--force') options.force = true;
    else if (arg === '--seed') options.seed = value();
    else if (arg === '--leads') options.leads = value();
    else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new DemoRefused(`Unknown argument ${arg}\n\n${USAGE}`);
  }
  return options;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const env = loadEnv();
  const handle = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN).catch(exitOnStartupError);
  try {
    const { createdAdminToken } = await bootstrap(handle.db, env.ADMIN_TOKEN);
    const started = performance.now();
    const result = await seedDemo(handle.db, options);
    // Demo leads arrive unscored: score them all under the model in force (their stages are history, kept as seeded).
    const { workspaceId } = await bootstrap(handle.db, env.ADMIN_TOKEN);
    // In slices, so an API serving the same file meanwhile keeps taking writes.
    await rescoreInSlices(handle.db, workspaceId);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Demo data in ${redact(resolveDatabaseUrl(env.DATABASE_URL))} (${seconds} s): ` +
        `${result.users} users, ${result.leads} leads, ${result.stageChanges} stage changes, ` +
        `${result.touchpoints} touchpoints, ${result.costs} monthly source costs.`,
    );
    const tokens = await issueDemoTokens(handle.db, workspaceId, result.newUsers);
    for (const line of signInLines(tokens, createdAdminToken)) console.log(line);
    console.log('Start the API (pnpm serve) and open the dashboard from the side panel.');
  } finally {
    handle.close();
  }
}

main().catch((error: unknown) => {
  if (error instanceof DemoRefused) {
    console.error(`pnpm demo: ${error.message}`);
    process.exit(1);
  }
  throw error;
});
