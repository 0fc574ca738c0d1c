import { serve } from '@hono/node-server';
import { createApp } from './app';
import { bootstrap } from './bootstrap';
import { openDatabase } from './db/client';
import { loadEnv } from './env';

const env = loadEnv();
const { db, close } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
const { createdAdminToken } = await bootstrap(db, env.ADMIN_TOKEN);
const app = createApp(db);

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
  console.log(lines.join('\n'));
});

function shutdown() {
  server.close(() => {
    close();
    process.exit(0);
  });
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
