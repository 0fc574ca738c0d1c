import type { AppType } from '@leadline/server';
import type { Problem } from '@leadline/shared';
import { hc } from 'hono/client';
import type { Settings } from './settings';

/** A failed API call, with the problem details the API answered (or a network failure). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
    this.name = 'ApiError';
  }

  /** The API could not be reached at all (offline, wrong URL, server down). */
  get unreachable() {
    return this.status === 0;
  }
}

export function createApiClient(settings: Settings, fetchImpl: typeof fetch = fetch) {
  return hc<AppType>(`${settings.apiUrl}/api`, {
    headers: { authorization: `Bearer ${settings.token}` },
    fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
      try {
        return await fetchImpl(input, init);
      } catch (error) {
        throw new ApiError(0, {
          type: '/problems/unreachable',
          title: 'API unreachable',
          status: 0,
          detail: `Cannot reach ${settings.apiUrl} (${error instanceof Error ? error.message : String(error)})`,
        });
      }
    },
  });
}
export type ApiClient = ReturnType<typeof createApiClient>;

/**
 * Awaits a typed client call and returns its JSON body, or throws an ApiError carrying the
 * problem+json the API answered.
 */
export async function unwrap<T>(
  call: Promise<{ ok: boolean; status: number; json(): Promise<T> }>,
): Promise<T> {
  const res = await call;
  if (res.ok) return res.status === 204 ? (undefined as T) : res.json();
  let problem: Problem;
  try {
    problem = (await res.json()) as unknown as Problem;
  } catch {
    problem = { type: 'about:blank', title: `HTTP ${res.status}`, status: res.status };
  }
  throw new ApiError(res.status, problem);
}

export type ConnectionCheck =
  | { ok: true; userName: string; workspaceName: string; role: string }
  | { ok: false; reason: 'unreachable' | 'token-rejected' | 'not-leadline'; message: string };

/** "Test connection": is there a Leadline API at the URL, and does it accept the token? */
export async function checkConnection(
  settings: Settings,
  fetchImpl: typeof fetch = fetch,
): Promise<ConnectionCheck> {
  try {
    const health = await fetchImpl(`${settings.apiUrl}/health`);
    const body = (await health.json().catch(() => null)) as { status?: string } | null;
    if (!health.ok || body?.status !== 'ok') {
      return {
        ok: false,
        reason: 'not-leadline',
        message: `${settings.apiUrl} does not look like a Leadline API`,
      };
    }
  } catch {
    return {
      ok: false,
      reason: 'unreachable',
      message: `Cannot reach ${settings.apiUrl}. Is the API running?`,
    };
  }
  try {
    const me = await unwrap(createApiClient(settings, fetchImpl).me.$get());
    return { ok: true, userName: me.user.name, workspaceName: me.workspace.name, role: me.user.role };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      return {
        ok: false,
        reason: 'token-rejected',
        message: 'The API rejected this token. Check it and try again.',
      };
    }
    return {
      ok: false,
      reason: 'unreachable',
      message: error instanceof Error ? error.message : String(error),
    };
  }
}
