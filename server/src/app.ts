import { Scalar } from '@scalar/hono-api-reference';
import { sql } from 'drizzle-orm';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { analyticsRouter } from './analytics/analytics.index';
import { authRouter } from './auth/auth.index';
import type { Database } from './db/client';
import { eventsRouter } from './events/events.index';
import { leadsRouter } from './leads/leads.index';
import { createRouter } from './lib/create-router';
import { handleError, problemResponse } from './lib/problem';
import { requireAuth } from './middleware/auth';
import { scoringRouter } from './scoring/scoring.index';

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * No licence is published for Leadline yet: the document says so until one is chosen. OpenAPI 3.1
 * names it by SPDX `identifier`, which the (3.0-shaped) config type of `doc31` does not list.
 */
const LICENSE: { name: string; identifier: string } = {
  name: 'Proprietary',
  identifier: 'LicenseRef-Leadline-Proprietary',
};

/** Extension pages call the API cross-origin; only extension origins (and none on the open web) may. */
const EXTENSION_ORIGIN = /^(chrome-extension|moz-extension|safari-web-extension):\/\/[a-z0-9-]+$/i;

function createApi() {
  return createRouter()
    .use(requireAuth)
    .route('/', leadsRouter)
    .route('/', scoringRouter)
    .route('/', eventsRouter)
    .route('/', analyticsRouter)
    .route('/', authRouter);
}

export type AppType = ReturnType<typeof createApi>;

export function createApp(db: Database) {
  const app = createRouter();
  app.use(
    cors({
      origin: (origin) => (EXTENSION_ORIGIN.test(origin) ? origin : null),
      // Last-Event-ID: the side panel's event stream resumes with it after a drop.
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'],
      allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
      exposeHeaders: ['Idempotent-Replayed'],
      maxAge: 600,
    }),
  );
  app.use(async (c, next) => {
    c.set('db', db);
    await next();
  });
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () =>
        problemResponse('payload-too-large', `Request bodies are limited to ${MAX_BODY_BYTES} bytes`),
    }),
  );
  app.get('/health', async (c) => {
    await db.run(sql`select 1`);
    return c.json({ status: 'ok' });
  });
  app.route('/api', createApi());
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (see README: the admin token is printed on first start)',
  });
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Leadline API',
      version: '1.0.0',
      description:
        'Leads, touchpoints, scoring and analytics. Errors are application/problem+json (RFC 9457).',
      license: LICENSE,
    },
    servers: [
      {
        url: 'http://127.0.0.1:8787',
        description: 'The API as `pnpm serve` starts it (PORT and HOST change it)',
      },
    ],
    tags: [
      { name: 'Leads', description: 'Capture, match, update and forget leads; their stage history' },
      { name: 'Touchpoints', description: 'Calls, e-mails, meetings and replies logged on a lead, and Undo' },
      { name: 'Scoring', description: 'Live scores at any moment and the scoring model (SCORING.md)' },
      { name: 'Events', description: 'Server-sent events of the workspace' },
      { name: 'Analytics', description: 'Funnel, velocity, speed to lead, outcomes, sources, attribution' },
      { name: 'Settings', description: 'Stage probabilities and source costs behind the analytics' },
      { name: 'Auth', description: 'Who a token belongs to, the people of the workspace, tokens' },
    ],
  });
  app.get('/docs', Scalar({ url: '/openapi.json', pageTitle: 'Leadline API' }));
  app.notFound((c) => problemResponse('not-found', `No route ${c.req.method} ${c.req.path}`));
  app.onError(handleError);
  return app;
}
