import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { bootstrap } from './bootstrap';
import { openDatabase } from './db/client';
import { loadEnv } from './env';
import { pruneEvents } from './events/events.service';

const env = loadEnv();
const { db, close } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
const { createdAdminToken } = await bootstrap(db, env.ADMIN_TOKEN);
const app = createApp(db);

// The event log only serves clients that reconnect: keep a day of it.
const pruneOld = () =>
  void db.transaction((tx) => pruneEvents(tx)).catch((error) => console.error('pruning events:', error));
pruneOld();
setInterval(pruneOld, 3_600_000).unref();

const server = serve({ fetch: app.fetch, port: env.PORT, hostname: env.HOST }, (info) => {
  const url = `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`;
  const lines = [
    `Leadline API listening on ${url}  (database: ${env.DATABASE_URL.replace(/\/\/[^@/]*@/, '//***@')})`,
    `  API reference:  ${url}/docs`,
  ];
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
});

/** Event streams never end by themselves (clients reconnect with Last-Event-ID): end them after a grace. */
const SHUTDOWN_GRACE_MS = 5000;

function shutdown() {
  server.close(() => {
    close();
    process.exit(0);
  });
  if ('closeIdleConnections' in server) {
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref();
  }
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
