import { sql } from 'drizzle-orm';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { analyticsRouter } from './analytics/analytics.index';
import { authRouter } from './auth/auth.index';
import { cadencesRouter } from './cadences/cadences.index';
import type { Database } from './db/client';
import { createReferenceRouter } from './docs/reference';
import { eventsRouter } from './events/events.index';
import { EventHub, type HubOptions } from './events/hub';
import { exportsRouter } from './exports/exports.index';
import { createFormSubmissionRouter } from './forms/form-submissions';
import { formsRouter } from './forms/forms.index';
import { importsRouter } from './imports/imports.index';
import { leadsRouter } from './leads/leads.index';
import { limitBody } from './lib/body-limit';
import { createRouter } from './lib/create-router';
import { handleError, problemResponse } from './lib/problem';
import { watchEventLoop } from './metrics/event-loop';
import { metricsRouter } from './metrics/metrics.index';
import { requireAuth } from './middleware/auth';
import { limitFailedAuth } from './middleware/auth-failures';
import { routingRouter } from './routing/routing.index';
import { scoringRouter } from './scoring/scoring.index';
import { tasksRouter } from './tasks/tasks.index';
import { teamRouter } from './team/team.index';
import { webhooksRouter } from './webhooks/webhooks.index';
import { workspaceRouter } from './workspace/workspace.index';

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
    .route('/', authRouter)
    .route('/', workspaceRouter)
    .route('/', metricsRouter)
    .route('/', webhooksRouter)
    .route('/', exportsRouter)
    .route('/', teamRouter)
    .route('/', routingRouter)
    .route('/', tasksRouter)
    .route('/', cadencesRouter)
    .route('/', formsRouter)
    .route('/', importsRouter);
}

export type AppType = ReturnType<typeof createApi>;

export interface AppOptions {
  /** The event hub's polling (tests inject a counting poll and shorter times). */
  events?: Partial<HubOptions>;
}

export function createApp(db: Database, options: AppOptions = {}) {
  const hub = new EventHub(db, options.events);
  watchEventLoop();
  const app = createRouter();
  const extensionCors = cors({
    origin: (origin) => (EXTENSION_ORIGIN.test(origin) ? origin : null),
    // Last-Event-ID: the side panel's event stream resumes with it after a drop.
    allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'Last-Event-ID'],
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    exposeHeaders: ['Idempotent-Replayed'],
    maxAge: 600,
  });
  // Website forms (/f/...) answer CORS for each form's own site origins (forms/form-submissions.ts).
  // A request without an Origin is not a CORS request and gets no CORS headers, only the Vary: the
  // middleware sets its headers before the handler runs, which makes Hono build each answer twice
  // (2-4% of this thread under the load bench), for clients that are not browsers too.
  app.use(async (c, next) => {
    if (c.req.path.startsWith('/f/')) return next();
    if (c.req.header('origin') !== undefined) return extensionCors(c, next);
    await next();
    c.header('Vary', 'Origin', { append: true });
  });
  // On every response. The API answers JSON only, so its own CSP forbids everything; /docs sets a
  // page's CSP of its own, which is kept (overwrite: false). No HSTS: the API is plain HTTP by default.
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
      strictTransportSecurity: false,
      overwrite: false,
    }),
  );
  app.use(async (c, next) => {
    c.set('db', db);
    c.set('events', hub);
    await next();
  });
  // A CSV upload streams up to 100 MB (imports/upload.ts counts it); every other body is 1 MB at most.
  const limited = limitBody(MAX_BODY_BYTES);
  app.use((c, next) =>
    c.req.method === 'POST' && c.req.path === '/api/imports' ? next() : limited(c, next),
  );
  // Reads a real page of the file (`select 1` answers even when the tables are unreadable).
  app.get('/health', async (c) => {
    try {
      await db.run(sql`select id from workspaces limit 1`);
      return c.json({ status: 'ok', database: 'ok' });
    } catch (error) {
      console.error(`health: the database cannot be read: ${error instanceof Error ? error.message : error}`);
      return c.json({ status: 'error', database: 'unreadable' }, 503);
    }
  });
  app.route('/f', createFormSubmissionRouter());
  app.use('/api/*', limitFailedAuth());
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
      {
        name: 'Tasks',
        description: "Follow-ups: a rep's queue ordered by live score; doing one logs its touchpoint",
      },
      {
        name: 'Cadences',
        description: 'Sequences of tasks that stop themselves on a reply, a meeting or SQL',
      },
      { name: 'Auth', description: 'Who a token belongs to, the people of the workspace, tokens' },
      { name: 'Operations', description: "The API process's own figures: its event loop's delay" },
      { name: 'Exports', description: 'Leads as CSV and vCard, and everything stored about one person' },
      {
        name: 'Imports',
        description: 'CSV files of leads: dry run, mapping, background run with progress, errors, undo',
      },
      {
        name: 'Webhooks',
        description: 'Signed event deliveries (Standard Webhooks), their log and Send again',
      },
      {
        name: 'Routing',
        description: 'Who gets each lead and why: rules, dry run, assignments, Route again',
      },
      {
        name: 'Forms',
        description: "Website forms: a snippet for the team's site whose submissions become leads",
      },
      {
        name: 'Team',
        description: 'People (invite, role, availability, deactivate) and teams with weights and caps',
      },
    ],
  });
  app.route('/docs', createReferenceRouter());
  app.notFound((c) => problemResponse('not-found', `No route ${c.req.method} ${c.req.path}`));
  app.onError(handleError);
  return app;
}
