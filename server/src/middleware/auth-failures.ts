import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { problemResponse } from '../lib/problem';

/** Past this many failed authentications in a window, a client address is refused for the rest of it. */
export const AUTH_FAILURE_LIMIT = 20;
export const AUTH_FAILURE_WINDOW_MS = 60_000;

/** The client's address as the socket saw it (no proxy header is trusted). */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // not served by @hono/node-server (app.request in tests)
  }
}

/**
 * Rate-limits failed authentication per client address: after {@link AUTH_FAILURE_LIMIT} 401s in a
 * minute, every request from that address is a 429 with `Retry-After` until the minute is over, and
 * the first refusal is logged. Counted per process (a guesser spread over several processes is
 * slowed by each); a right token never counts.
 */
export function limitFailedAuth(options: { limit?: number; windowMs?: number; now?: () => number } = {}) {
  const limit = options.limit ?? AUTH_FAILURE_LIMIT;
  const windowMs = options.windowMs ?? AUTH_FAILURE_WINDOW_MS;
  const now = options.now ?? Date.now;
  const failures = new Map<string, { count: number; since: number }>();

  return createMiddleware(async (c, next) => {
    const address = clientAddress(c);
    const at = now();
    let entry = failures.get(address);
    if (entry && at - entry.since >= windowMs) {
      failures.delete(address);
      entry = undefined;
    }
    if (entry && entry.count >= limit) {
      const response = problemResponse(
        'too-many-requests',
        `Too many failed sign-ins from this address; try again in ${Math.ceil((entry.since + windowMs - at) / 1000)} s`,
      );
      response.headers.set('retry-after', String(Math.ceil((entry.since + windowMs - at) / 1000)));
      return response;
    }
    await next();
    if (c.res.status !== 401) return;
    const current = entry ?? { count: 0, since: at };
    current.count++;
    failures.set(address, current);
    if (current.count === limit) {
      console.warn(
        `auth: ${limit} failed sign-ins from ${address} within a minute; refusing it until the minute is over`,
      );
    }
    // Forget old addresses so a scan of many addresses cannot grow the map without end.
    if (failures.size > 10_000) {
      for (const [key, value] of failures) if (at - value.since >= windowMs) failures.delete(key);
    }
  });
}
