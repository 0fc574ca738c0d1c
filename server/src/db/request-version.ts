import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The caches' version (versioned-cache.ts) as one request has read it: a request is served as of the
 * moment it began, so it reads the version once outside its transactions, not once a cache.
 */
export const requestScope = new AsyncLocalStorage<{ cacheVersion?: number; readAt?: number }>();

/** How long a request keeps the version it read: an event stream lives for hours, a request not. */
const KEPT_MS = 1000;

/** The version this request read, if it still holds (see KEPT_MS). */
export function requestVersion(): number | undefined {
  const request = requestScope.getStore();
  if (request?.cacheVersion === undefined || performance.now() - request.readAt! > KEPT_MS) return undefined;
  return request.cacheVersion;
}

export function keepRequestVersion(version: number) {
  const request = requestScope.getStore();
  if (request) Object.assign(request, { cacheVersion: version, readAt: performance.now() });
}

/**
 * Runs one request's `work` with the caches' version read at most once outside its transactions
 * (the token check, the model, a workspace setting each used to read it). A write transaction of
 * the request forgets it when it ends (`forgetRequestVersion`), so what the request itself changed
 * is seen by what it reads afterwards.
 */
export function withRequestVersion<T>(work: () => T): T {
  return requestScope.run({}, work);
}

/** The request's writes may have changed the cached tables: its next check reads the version again. */
export function forgetRequestVersion() {
  const request = requestScope.getStore();
  if (request) request.cacheVersion = undefined;
}
