import { z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { EVENT_TYPES, onEvent } from '../db/events';
import { createRouter } from '../lib/create-router';
import { problemResponses } from '../lib/json-content';
import { eventsAfter, latestEventId } from './events.service';

const POLL_MS = 1000;
const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/events`: the workspace's events as server-sent events. Each has an `id`; a client that
 * reconnects with `Last-Event-ID` gets what it missed (for a day). Events written by this process
 * go out at once, those of other API processes within a second.
 */
export const eventsRouter = createRouter();

eventsRouter.openAPIRegistry.registerPath({
  method: 'get',
  path: '/events',
  operationId: 'streamEvents',
  tags: ['Events'],
  security: [{ bearerAuth: [] }],
  summary: 'Server-sent events of the workspace (stage changes, touchpoints, lead changes, model changes)',
  request: {
    headers: z.object({ 'last-event-id': z.string().optional() }),
  },
  responses: {
    200: {
      description: `An event stream; event names: ${EVENT_TYPES.join(', ')}. Data is JSON {id, type, leadId, data, at}.`,
      content: { 'text/event-stream': { schema: z.string() } },
    },
    401: problemResponses[401],
  },
});

eventsRouter.get('/events', async (c) => {
  const { workspaceId } = c.var.principal;
  const db = c.var.db;
  const lastEventId = Number.parseInt(c.req.header('last-event-id') ?? c.req.query('after') ?? '', 10);
  let cursor =
    Number.isFinite(lastEventId) && lastEventId >= 0 ? lastEventId : await latestEventId(db, workspaceId);
  return streamSSE(c, async (stream) => {
    let wake: (() => void) | null = null;
    const unsubscribe = onEvent(() => wake?.());
    stream.onAbort(() => {
      unsubscribe();
      wake?.();
    });
    await stream.writeSSE({ event: 'ready', data: JSON.stringify({ after: cursor }), id: String(cursor) });
    let lastWrite = Date.now();
    try {
      while (!stream.aborted) {
        const batch = await eventsAfter(db, workspaceId, cursor);
        for (const event of batch) {
          await stream.writeSSE({ id: String(event.id), event: event.type, data: JSON.stringify(event) });
          cursor = event.id;
          lastWrite = Date.now();
        }
        if (batch.length) continue;
        if (Date.now() - lastWrite >= HEARTBEAT_MS) {
          await stream.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, POLL_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = null;
      }
    } catch (error) {
      // The database went away (shutdown, failover): end the stream; the client reconnects with Last-Event-ID.
      if (!stream.aborted) console.error('event stream ended:', error);
    } finally {
      unsubscribe();
    }
  });
});
