import type { LeadCreate, LeadPatch, TouchpointCreate } from '@leadline/shared';
import { storage } from 'wxt/utils/storage';

/** One write the rep asked for, as it will be sent to the API. */
export type OutboxWrite =
  | { kind: 'createLead'; localId: string; body: LeadCreate }
  | { kind: 'updateLead'; leadRef: string; body: LeadPatch }
  | { kind: 'logTouchpoint'; leadRef: string; body: TouchpointCreate };

/** Why an entry is not sent yet: the API's problem details, or `status: 0` when it was unreachable. */
export interface OutboxError {
  status: number;
  title: string;
  detail?: string;
  issues?: unknown[];
}

/**
 * A queued write. `pending`: will be sent when due (`error` then says why the last try did not
 * go through); `failed`: the API refused it, the rep must fix or discard it; `blocked`: it belongs
 * to a lead whose creation was refused.
 */
export interface OutboxEntry {
  key: string;
  write: OutboxWrite;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  state: 'pending' | 'failed' | 'blocked';
  error?: OutboxError;
}

/** What a successful send answered, for `onSent` listeners. */
export interface SentInfo {
  status: number;
  /** The API replayed the first response for this key (the write had already been stored). */
  replayed: boolean;
  /** The real id of the lead the write was about; for a create answered 409, the existing lead. */
  leadId: string;
}

/** What the outbox needs from the outside world; every field has a browser default. */
export interface OutboxDeps {
  fetch: typeof fetch;
  getSettings(): Promise<{ apiUrl: string; token: string } | null>;
  now(): number;
  random(): number;
  /** Called after each write the API accepted (also for a create merged into an existing lead by a 409). */
  onSent?(entry: OutboxEntry, responseBody: unknown, info: SentInfo): void;
}

/** The outcome of one `drain()`: `sent`/`failed` count this drain's sends; the rest describe the queue after it. */
export interface DrainResult {
  sent: number;
  /** Entries the API refused during this drain (now `failed`). */
  failed: number;
  /** Entries still to be sent: pending or blocked. */
  waiting: number;
  /** When the next send is due, or null when nothing can be sent without the rep. */
  nextAttemptAt: number | null;
}

/** The body of the write an entry carries, whatever its kind. */
export type OutboxBody = OutboxWrite['body'];

/** Name of the alarm that wakes the background to drain the outbox. */
export const OUTBOX_ALARM = 'outbox-drain';

/** Backoff bounds: quick enough to notice the API is back, slow enough not to hammer a down one. */
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

export const LOCAL_PREFIX = 'local:';
// The panel may still show a local lead long after it was saved (a laptop closed for days), so a
// mapping outlives its entries; a month is generous and keeps the item small.
const REF_TTL_MS = 30 * 24 * 60 * 60_000;
// Sent keys are remembered this long so a second click that lands after the first was already sent
// is still a no-op (a PATCH, which the API does not deduplicate, would otherwise be applied again).
const SENT_TTL_MS = 10 * 60_000;
const SENT_MAX = 100;
// The same rule as the API's: a key it would refuse with a 400 would never be sent.
export const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
// Refusals that a change of settings (token, URL, workspace) can turn into a success with the same
// body; validation and conflict refusals need the rep to change the body instead.
export const SETTINGS_STATUSES = new Set([401, 403, 404]);

export interface OutboxState {
  entries: OutboxEntry[];
  /** local lead id -> the real id, once its create went through. */
  refs: Record<string, { id: string; at: number }>;
  /** Recently sent entries by key, to make a late repeat of the same click a no-op. */
  sent: Record<string, SentRecord>;
}

/**
 * A sent entry as remembered in storage, so whichever context sent it (the panel or the
 * background), any other can still act on it: Undo deletes the touchpoint by `id`.
 */
export interface SentRecord {
  at: number;
  entry: OutboxEntry;
  /** The lead the write was about (for a create answered 409, the existing lead). */
  leadId?: string;
  /** The id of what the API stored (the lead for a create, the touchpoint for a log), when it says. */
  id?: string;
}

const EMPTY_STATE: OutboxState = { entries: [], refs: {}, sent: {} };

/**
 * The outbox in `chrome.storage.local`, so it survives service-worker and browser restarts. One item
 * (entries and lead mappings together) so a create's result and the rewrite of its dependents land
 * in a single write.
 */
export const outboxItem = storage.defineItem<OutboxState>('local:outbox', {
  fallback: EMPTY_STATE,
  version: 1,
});

/** A reference to a lead that exists only in the outbox so far, for `createLead.localId`. */
export function newLocalLeadId(): string {
  return `${LOCAL_PREFIX}${crypto.randomUUID()}`;
}

/** Whether a lead reference is a local one (`local:<uuid>`) rather than an API id. */
export function isLocalRef(ref: string): boolean {
  return ref.startsWith(LOCAL_PREFIX);
}

/**
 * The wait before the next try after `attempts` failed tries: doubling from 2 s, capped at 5 min,
 * with "equal jitter" (between half and all of it) so many extensions coming back online after an
 * outage do not hit the API in lockstep, while the wait still grows with every failure.
 */
export function backoffDelay(attempts: number, random: number): number {
  const exponent = Math.max(0, attempts - 1);
  const full = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(exponent, 30));
  return Math.round(full / 2 + (random * full) / 2);
}

/**
 * Asks the browser to wake the background when the next send is due (or cancels the wake-up when
 * nothing is). An alarm, unlike a timer, survives the service worker being stopped. Chrome rounds
 * alarms up to 30 s, so a shorter backoff waits a little longer; that is fine for a retry.
 */
export function leadRefOf(write: OutboxWrite): string | null {
  return write.kind === 'createLead' ? null : write.leadRef;
}

function withLeadRef(write: OutboxWrite, leadRef: string): OutboxWrite {
  return write.kind === 'createLead' ? write : { ...write, leadRef };
}

export function withBody(write: OutboxWrite, body: OutboxBody): OutboxWrite {
  // The entry's kind decides the body's type; a body of the wrong shape is refused by the API with a
  // 422 and shown to the rep like any other refusal, so a cast is enough here.
  switch (write.kind) {
    case 'createLead':
      return { ...write, body: body as LeadCreate };
    case 'updateLead':
      return { ...write, body: body as LeadPatch };
    case 'logTouchpoint':
      return { ...write, body: body as TouchpointCreate };
  }
}

export function withoutError(entry: OutboxEntry): OutboxEntry {
  const { error: _error, ...rest } = entry;
  return rest;
}

export function createOf(state: OutboxState, localId: string): OutboxEntry | undefined {
  return state.entries.find((e) => e.write.kind === 'createLead' && e.write.localId === localId);
}

/**
 * Restores the invariants between a create and the entries that depend on it after any change:
 * mapped refs are rewritten to the real id, dependents of a refused create are blocked, and they
 * are released once the create is pending again. Old mappings are pruned.
 */
export function normalise(state: OutboxState, now: number): OutboxState {
  const refs = Object.fromEntries(Object.entries(state.refs).filter(([, ref]) => now - ref.at < REF_TTL_MS));
  const sent = Object.fromEntries(
    Object.entries(state.sent)
      .filter(([, record]) => now - record.at < SENT_TTL_MS)
      .sort(([, a], [, b]) => b.at - a.at)
      .slice(0, SENT_MAX),
  );
  const entries = state.entries.map((entry): OutboxEntry => {
    const ref = leadRefOf(entry.write);
    if (ref === null || !isLocalRef(ref)) return entry;
    const mapped = state.refs[ref];
    if (mapped) {
      const rewritten = { ...entry, write: withLeadRef(entry.write, mapped.id) };
      return rewritten.state === 'blocked' ? { ...rewritten, state: 'pending' } : rewritten;
    }
    const create = createOf(state, ref);
    if (!create) {
      if (entry.state === 'failed') return entry;
      return {
        ...entry,
        state: 'failed',
        error: { status: 0, title: 'Lead not saved', detail: 'The lead this belongs to was discarded.' },
      };
    }
    if (create.state === 'failed' && entry.state !== 'blocked') return { ...entry, state: 'blocked' };
    if (create.state !== 'failed' && entry.state === 'blocked') return { ...entry, state: 'pending' };
    return entry;
  });
  return { entries, refs, sent };
}
