import { percentile, round } from './stats';

/** The clients of `pnpm bench load` (load.ts): requests sent in loops, and what came back, per route. */

/** The admin token the load bench's API process is started with. */
export const LOAD_TOKEN = 'bench-load-admin-token-0123456789';

export interface Request {
  route: string;
  method: string;
  path: string;
  body?: unknown;
}

export interface Tally {
  latencies: Map<string, number[]>;
  statuses: Map<string, Map<number, number>>;
  resets: number;
  timeouts: number;
  errors: string[];
}

export const newTally = (): Tally => ({
  latencies: new Map(),
  statuses: new Map(),
  resets: 0,
  timeouts: 0,
  errors: [],
});

async function send(base: string, request: Request, tally: Tally) {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${request.path}`, {
      method: request.method,
      headers: {
        authorization: `Bearer ${LOAD_TOKEN}`,
        ...(request.body ? { 'content-type': 'application/json' } : {}),
      },
      body: request.body ? JSON.stringify(request.body) : undefined,
      // A request the server never answers counts as lost, and the run goes on.
      signal: AbortSignal.timeout(60_000),
    });
    await res.arrayBuffer();
    const ms = performance.now() - started;
    const samples = tally.latencies.get(request.route) ?? [];
    tally.latencies.set(request.route, samples);
    samples.push(ms);
    const statuses = tally.statuses.get(request.route) ?? new Map<number, number>();
    tally.statuses.set(request.route, statuses);
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  } catch (error) {
    // A request not answered within a minute, or a reset connection (the client cannot know
    // whether its write was applied).
    if ((error as Error).name === 'TimeoutError') tally.timeouts++;
    else tally.resets++;
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    if (tally.errors.length < 5) tally.errors.push(`${request.route}: ${cause}`);
  }
}

/** `clients` loops of `next()` until `until` (performance.now() ms). */
export async function drive(base: string, clients: number, until: number, next: () => Request, tally: Tally) {
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) await send(base, next(), tally);
    }),
  );
}

export function summarize(tally: Tally, seconds: number) {
  const routes: Record<string, unknown> = {};
  let total = 0;
  let fiveHundreds = 0;
  let busy = 0;
  for (const [route, samples] of tally.latencies) {
    const statuses = Object.fromEntries(tally.statuses.get(route) ?? []);
    total += samples.length;
    for (const [status, n] of Object.entries(statuses)) {
      if (Number(status) >= 500) fiveHundreds += n;
      if (Number(status) === 503) busy += n;
    }
    routes[route] = {
      n: samples.length,
      p50Ms: round(percentile(samples, 50), 1),
      p99Ms: round(percentile(samples, 99), 1),
      maxMs: round(Math.max(...samples), 1),
      statuses,
    };
  }
  return {
    requestsPerSecond: round(total / seconds, 0),
    connectionResets: tally.resets,
    timeoutsOverAMinute: tally.timeouts,
    fiveHundreds,
    busy503: busy,
    ...(tally.errors.length ? { firstErrors: tally.errors } : {}),
    routes,
  };
}
