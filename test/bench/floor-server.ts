/**
 * The floor `pnpm bench load` compares touchpoint logging with: the same stack and nothing else.
 * Hono on @hono/node-server, one libSQL insert per request on a WAL file (synchronous = FULL, the
 * embedded default), no auth, no lookups. PORT and FLOOR_DB from the environment.
 */
import { serve } from '@hono/node-server';
import { createClient } from '@libsql/client';
import { Hono } from 'hono';

const client = createClient({ url: `file:${process.env.FLOOR_DB}` });
await client.execute('PRAGMA journal_mode = WAL');
await client.execute(
  'create table if not exists touchpoints (id text primary key, lead_id text not null, type text not null, occurred_at integer not null, note text)',
);

const app = new Hono();
app.get('/health', (c) => c.json({ status: 'ok' }));
app.post('/api/leads/:id/touchpoints', async (c) => {
  const body = await c.req.json<{ type: string; note?: string }>();
  const id = crypto.randomUUID();
  const occurredAt = Date.now();
  await client.execute({
    sql: 'insert into touchpoints (id, lead_id, type, occurred_at, note) values (?, ?, ?, ?, ?)',
    args: [id, c.req.param('id'), body.type, occurredAt, body.note ?? null],
  });
  return c.json({ id, leadId: c.req.param('id'), type: body.type, occurredAt: new Date(occurredAt) }, 201);
});

serve({ fetch: app.fetch, port: Number(process.env.PORT), hostname: '127.0.0.1' });
