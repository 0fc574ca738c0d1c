import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { bootstrap } from './bootstrap';
import { startCadenceEngine } from './cadences/engine';
import { openDatabase } from './db/client';
import { exitOnStartupError, redact, resolveDatabaseUrl } from './db/location';
import { loadEnv } from './env';
import { pruneEvents } from './events/events.service';
import { startImportRunner } from './imports/run';
import { pruneIdempotencyKeys } from './lib/idempotency';
import { closeOnSignals, listenFailure } from './lib/lifecycle';
import { startSlaSweeper } from './routing/sla';
import { foldAllDueTouchpoints } from './scoring/lead-scoring';
import { resumeRescoreJobs } from './scoring/rescore-job';
import { pruneWebhookDeliveries, WebhookDispatcher } from './webhooks/dispatcher';

const env = loadEnv();
const { db, close } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN).catch(exitOnStartupError);
const { createdAdminToken } = await bootstrap(db, env.ADMIN_TOKEN);
const app = createApp(db);
// A model change a stopped process left half done goes on from its last slice.
const resumed = await resumeRescoreJobs(db);

// The event log only serves clients that reconnect, and idempotency keys expire: keep a day of both
// (webhook deliveries keep their own copy of what they send, for 30 days).
const pruneOld = () =>
  void db
    .transaction(async (tx) => {
      await pruneEvents(tx);
      await pruneIdempotencyKeys(tx);
      await pruneWebhookDeliveries(tx);
    })
    .catch((error) => console.error('pruning events, idempotency keys and webhook deliveries:', error));
pruneOld();
setInterval(pruneOld, 3_600_000).unref();

// Reads score a touchpoint logged ahead of time from the moment it is due without writing; this
// folds it into the stored score (and moves the stage if it crosses a threshold) soon after.
const foldDue = () =>
  void foldAllDueTouchpoints(db).catch((error) => console.error('folding due touchpoints:', error));
setInterval(foldDue, 30_000).unref();

// Sends the event log to the webhook endpoints; stopping waits for the sends in flight to be recorded.
const webhooks = new WebhookDispatcher(db);
webhooks.start();
// Cadences create each step's task when it comes due; every API process runs the engine (they
// claim steps from one another, so each is created once).
startCadenceEngine(db, env.CADENCE_INTERVAL_MS);
// A lead untouched past its rule's SLA is routed again or escalated; every process sweeps, each
// breach is claimed once.
startSlaSweeper(db, env.SLA_INTERVAL_MS);
// CSV imports (and undos) run in slices in the background; an import a stopped process left half
// done is taken up here once its claim has lapsed.
startImportRunner(db, env.IMPORT_INTERVAL_MS);

/**
 * Node ends a request that has not been received whole within 5 minutes (`requestTimeout`). A CSV
 * upload is staged and dry-run as it streams in: 500,000 rows on a busy machine take longer than
 * that, so requests get 30 minutes. A slow client still has 60 s to send its headers.
 */
const REQUEST_TIMEOUT_MS = 30 * 60_000;

const server = serve(
  {
    fetch: app.fetch,
    port: env.PORT,
    hostname: env.HOST,
    serverOptions: { requestTimeout: REQUEST_TIMEOUT_MS },
  },
  (info) => {
    const url = `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`;
    const lines = [
      `Leadline API listening on ${url}  (database: ${redact(resolveDatabaseUrl(env.DATABASE_URL))})`,
      `  API reference:  ${url}/docs`,
    ];
    if (resumed) lines.push(`  Resuming ${resumed} model change(s) left unfinished by the last run.`);
    if (createdAdminToken) {
      lines.push(
        '',
        '  First start: an admin token was created. It is shown only now; only its hash is stored.',
        `  Admin token:  ${createdAdminToken}`,
        "  Paste the API URL and this token into the extension's settings.",
      );
    } else if (env.ADMIN_TOKEN) {
      lines.push('  Admin token: the value of ADMIN_TOKEN.');
    } else {
      lines.push('  Tokens: use the token printed on first start, or set ADMIN_TOKEN and restart.');
    }
    const extensionDir = fileURLToPath(new URL('../../extension/.output/chrome-mv3', import.meta.url));
    if (existsSync(`${extensionDir}/manifest.json`)) {
      lines.push(
        '',
        '  Next: open chrome://extensions, turn on Developer mode, "Load unpacked" and pick',
        `    ${extensionDir}`,
        '  then click the Leadline button in the toolbar and paste the API URL and token.',
      );
    }
    console.log(lines.join('\n'));
  },
);

server.on('error', (error: NodeJS.ErrnoException) => {
  const line = listenFailure(error, env);
  if (!line) throw error;
  console.error(line);
  close();
  process.exit(1);
});
closeOnSignals(server as Server, () => webhooks.stop().finally(close));
