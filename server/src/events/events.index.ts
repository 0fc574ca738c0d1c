import { z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { EVENT_TYPES } from '../db/events';
import { createRouter } from '../lib/create-router';
import { problemResponses } from '../lib/json-content';
import { eventsAfter, type StoredEvent } from './events.service';

const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/events`: the workspace's events as server-sent events. Each has an `id`; a client that
 * reconnects with `Last-Event-ID` gets what it missed (for a day). The process's one `EventHub`
 * reads the log for every stream (once a second, and soon after a write of this process) and fans
 * out. At most three streams per token: a fourth closes the oldest, with a `closed` event.
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
  const { workspaceId, tokenId } = c.var.principal;
  const db = c.var.db;
  const lastEventId = Number.parseInt(c.req.header('last-event-id') ?? c.req.query('after') ?? '', 10);
  return streamSSE(c, async (stream) => {
    const queue: StoredEvent[] = [];
    let closedBy: string | null = null;
    let wake: (() => void) | null = null;
    const { cursor: joined, unsubscribe } = await c.var.events.subscribe({
      workspaceId,
      tokenId,
      deliver: (event) => {
        queue.push(event);
        wake?.();
      },
      close: (reason) => {
        closedBy = reason;
        wake?.();
      },
    });
    stream.onAbort(() => {
      unsubscribe();
      wake?.();
    });
    let cursor = Number.isFinite(lastEventId) && lastEventId >= 0 ? lastEventId : joined;
    try {
      await stream.writeSSE({ event: 'ready', data: JSON.stringify({ after: cursor }), id: String(cursor) });
      // A client resuming from before the hub's cursor is caught up from the log once; meanwhile the
      // hub's events wait in the queue, and whatever both sent is sent once (by id).
      while (cursor < joined && !stream.aborted) {
        const missed = await eventsAfter(db, workspaceId, cursor);
        for (const event of missed) {
          await stream.writeSSE({ id: String(event.id), event: event.type, data: JSON.stringify(event) });
          cursor = event.id;
        }
        if (missed.length === 0) break;
      }
      let lastWrite = Date.now();
      while (!stream.aborted && closedBy === null) {
        for (let event = queue.shift(); event; event = queue.shift()) {
          if (event.id <= cursor) continue;
          await stream.writeSSE({ id: String(event.id), event: event.type, data: JSON.stringify(event) });
          cursor = event.id;
          lastWrite = Date.now();
        }
        if (Date.now() - lastWrite >= HEARTBEAT_MS) {
          await stream.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, HEARTBEAT_MS);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
          if (queue.length || closedBy !== null || stream.aborted) wake();
        });
        wake = null;
      }
      if (closedBy !== null && !stream.aborted) {
        // Says why, and asks an EventSource not to come straight back.
        await stream.writeSSE({ event: 'closed', data: JSON.stringify({ reason: closedBy }), retry: 60_000 });
      }
    } catch (error) {
      // The database went away (shutdown, failover): end the stream; the client reconnects with Last-Event-ID.
      if (!stream.aborted) console.error('event stream ended:', error);
    } finally {
      unsubscribe();
    }
  });
});
