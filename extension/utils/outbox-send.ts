import type { OutboxError, OutboxWrite } from './outbox-state';

// A hung connection must not hold the drain (and the head of the queue) forever.
const SEND_TIMEOUT_MS = 30_000;
// A Retry-After beyond this is more likely a misconfigured proxy than a plan; the rep can retry sooner.
const RETRY_AFTER_CAP_MS = 60 * 60_000;

/** What one try to send an entry came to. */
export type SendOutcome =
  | { type: 'sent'; status: number; body: unknown; leadId: string; replayed: boolean }
  | { type: 'refused'; error: OutboxError }
  | { type: 'transient'; error: OutboxError; retryAfterMs?: number };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

function problemOf(status: number, body: unknown): OutboxError {
  if (!isRecord(body)) return { status, title: `HTTP ${status}` };
  return {
    status,
    title: typeof body.title === 'string' ? body.title : `HTTP ${status}`,
    ...(typeof body.detail === 'string' ? { detail: body.detail } : {}),
    ...(Array.isArray(body.issues) ? { issues: body.issues } : {}),
  };
}

function retryAfterMs(res: Response, now: number): number | undefined {
  const header = res.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, RETRY_AFTER_CAP_MS) : undefined;
}

/** 408 and 429 say "not now", 5xx says the API is unwell: the same request may succeed later. */
function isTransientStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** The outbox's handle, as returned by `createOutbox`. */

function requestOf(write: OutboxWrite): { method: 'POST' | 'PATCH'; path: string } {
  switch (write.kind) {
    case 'createLead':
      // A capture in the side panel: the capturer may keep it (routing's "capturer keeps it").
      return { method: 'POST', path: '/api/leads?origin=panel' };
    case 'updateLead':
      return { method: 'PATCH', path: `/api/leads/${encodeURIComponent(write.leadRef)}` };
    case 'logTouchpoint':
      return { method: 'POST', path: `/api/leads/${encodeURIComponent(write.leadRef)}/touchpoints` };
  }
}

/**
 * The outbox's one HTTP call: sends a write with its idempotency key and reads the answer as sent,
 * refused (the rep must act) or transient (the same request may succeed later).
 */
export function createSender(fetchImpl: typeof fetch, now: () => number) {
  async function send(
    write: OutboxWrite,
    key: string,
    settings: { apiUrl: string; token: string },
  ): Promise<SendOutcome> {
    const { method, path } = requestOf(write);
    let res: Response;
    let text: string;
    try {
      res = await fetchImpl(`${settings.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${settings.token}`,
          'content-type': 'application/json',
          'idempotency-key': key,
        },
        body: JSON.stringify(write.body),
        signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
      });
      text = await res.text();
    } catch (error) {
      return {
        type: 'transient',
        error: {
          status: 0,
          title: 'API unreachable',
          detail: `Cannot reach ${settings.apiUrl} (${error instanceof Error ? error.message : String(error)})`,
        },
      };
    }
    return interpret(write, res, parseJson(text));
  }

  function interpret(write: OutboxWrite, res: Response, body: unknown): SendOutcome {
    const replayed = res.headers.get('idempotent-replayed') === 'true';
    if (res.ok) {
      const leadId = write.kind === 'createLead' ? (isRecord(body) ? body.id : undefined) : write.leadRef;
      // Only the API's JSON answer proves the write was stored: a captive portal or proxy answering
      // 200 with HTML must not count as sent. If it was stored, the retry with the same key is
      // answered with the first response.
      if (!isRecord(body) || typeof leadId !== 'string') {
        return {
          type: 'transient',
          error: {
            status: res.status,
            title: 'Unexpected response',
            detail: 'The answer was not the JSON the Leadline API sends; is the API URL right?',
          },
        };
      }
      return { type: 'sent', status: res.status, body, leadId, replayed };
    }
    if (res.status === 409 && write.kind === 'createLead' && isRecord(body)) {
      const existing = body.existingLeadId;
      // The person is already a lead: the rep's intent (this person is a lead) holds, so later
      // writes go to the existing lead instead of waiting for a create that can never succeed.
      if (typeof existing === 'string') {
        return { type: 'sent', status: 409, body, leadId: existing, replayed };
      }
    }
    if (isTransientStatus(res.status)) {
      return {
        type: 'transient',
        error: problemOf(res.status, body),
        retryAfterMs: retryAfterMs(res, now()),
      };
    }
    if (res.status === 401) {
      return {
        type: 'refused',
        error: {
          status: 401,
          title: 'Token rejected',
          detail:
            'The API rejected the token. Check it in Leadline settings; this write is kept and sent after that.',
        },
      };
    }
    return { type: 'refused', error: problemOf(res.status, body) };
  }

  return send;
}
