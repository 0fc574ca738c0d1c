import type { LeadCreate, LeadPatch, TouchpointCreate } from '@leadline/shared';
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import { settingsItem } from './settings';

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

const LOCAL_PREFIX = 'local:';
// A hung connection must not hold the drain (and the head of the queue) forever.
const SEND_TIMEOUT_MS = 30_000;
// The panel may still show a local lead long after it was saved (a laptop closed for days), so a
// mapping outlives its entries; a month is generous and keeps the item small.
const REF_TTL_MS = 30 * 24 * 60 * 60_000;
// Sent keys are remembered this long so a second click that lands after the first was already sent
// is still a no-op (a PATCH, which the API does not deduplicate, would otherwise be applied again).
const SENT_TTL_MS = 10 * 60_000;
const SENT_MAX = 100;
// A Retry-After beyond this is more likely a misconfigured proxy than a plan; the rep can retry sooner.
const RETRY_AFTER_CAP_MS = 60 * 60_000;
// The same rule as the API's: a key it would refuse with a 400 would never be sent.
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
// Refusals that a change of settings (token, URL, workspace) can turn into a success with the same
// body; validation and conflict refusals need the rep to change the body instead.
const SETTINGS_STATUSES = new Set([401, 403, 404]);

interface OutboxState {
  entries: OutboxEntry[];
  /** local lead id -> the real id, once its create went through. */
  refs: Record<string, { id: string; at: number }>;
  /** Recently sent entries by key, to make a late repeat of the same click a no-op. */
  sent: Record<string, { at: number; entry: OutboxEntry }>;
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
export async function scheduleNextDrain(
  nextAttemptAt: number | null,
  alarms: Pick<typeof browser.alarms, 'create' | 'clear'> = browser.alarms,
): Promise<void> {
  if (nextAttemptAt === null) {
    await alarms.clear(OUTBOX_ALARM);
    return;
  }
  await alarms.create(OUTBOX_ALARM, { when: nextAttemptAt });
}

// Without the Web Locks API (Node tests) contexts are one process, so an in-memory chain per name
// gives the same mutual exclusion. Module-level because two outbox instances in one context share
// one storage item, exactly as navigator.locks is shared by every context of the extension.
const memoryLocks = new Map<string, Promise<unknown>>();

async function withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  // The DOM typings wrap the callback's promise once more; awaiting flattens it.
  if (typeof navigator !== 'undefined' && navigator.locks) return await navigator.locks.request(name, fn);
  const previous = memoryLocks.get(name) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  memoryLocks.set(name, tail);
  void tail.then(() => {
    if (memoryLocks.get(name) === tail) memoryLocks.delete(name);
  });
  return run;
}

function leadRefOf(write: OutboxWrite): string | null {
  return write.kind === 'createLead' ? null : write.leadRef;
}

function withLeadRef(write: OutboxWrite, leadRef: string): OutboxWrite {
  return write.kind === 'createLead' ? write : { ...write, leadRef };
}

function withBody(write: OutboxWrite, body: OutboxBody): OutboxWrite {
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

function requestOf(write: OutboxWrite): { method: 'POST' | 'PATCH'; path: string } {
  switch (write.kind) {
    case 'createLead':
      return { method: 'POST', path: '/api/leads' };
    case 'updateLead':
      return { method: 'PATCH', path: `/api/leads/${encodeURIComponent(write.leadRef)}` };
    case 'logTouchpoint':
      return { method: 'POST', path: `/api/leads/${encodeURIComponent(write.leadRef)}/touchpoints` };
  }
}

function withoutError(entry: OutboxEntry): OutboxEntry {
  const { error: _error, ...rest } = entry;
  return rest;
}

function createOf(state: OutboxState, localId: string): OutboxEntry | undefined {
  return state.entries.find((e) => e.write.kind === 'createLead' && e.write.localId === localId);
}

/**
 * Restores the invariants between a create and the entries that depend on it after any change:
 * mapped refs are rewritten to the real id, dependents of a refused create are blocked, and they
 * are released once the create is pending again. Old mappings are pruned.
 */
function normalise(state: OutboxState, now: number): OutboxState {
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

type SendOutcome =
  | { type: 'sent'; status: number; body: unknown; leadId: string; replayed: boolean }
  | { type: 'refused'; error: OutboxError }
  | { type: 'transient'; error: OutboxError; retryAfterMs?: number };

function isRecord(value: unknown): value is Record<string, unknown> {
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
export interface Outbox {
  /**
   * Queues a write; `key` (default: a new UUID) is its Idempotency-Key, made when the rep clicked.
   * An already queued key is a no-op that returns the queued entry, so a double click is one write;
   * so is a key sent in the last ten minutes (it returns the entry as it was sent).
   * Throws when a `local:` lead reference names no queued or saved lead, or the key is not 1..255
   * visible ASCII characters.
   */
  enqueue(write: OutboxWrite, key?: string): Promise<OutboxEntry>;
  /** Everything still in the outbox, in the order it will be sent. */
  entries(): Promise<OutboxEntry[]>;
  /**
   * Sends the due entries in order. A transient failure (network, timeout, 408, 429, 5xx) stops the
   * drain so nothing overtakes it; a refusal (other 4xx) is kept as `failed` and the drain goes on.
   * Concurrent calls are serialised, and across contexts too where the Web Locks API exists.
   */
  drain(): Promise<DrainResult>;
  /** Drops an entry; for a create, also the entries that depend on it (see `dependentsOf`). */
  discard(key: string): Promise<void>;
  /**
   * Replaces the body of a refused entry and queues it again, due now, under a new key (the API
   * would refuse the old key with another body). Throws unless the entry is `failed`.
   */
  fix(key: string, body: OutboxBody, newKey?: string): Promise<void>;
  /**
   * After the rep changed settings: retries entries refused for reasons settings can cure (401, 403,
   * 404) and makes waiting entries due now.
   */
  retryAll(): Promise<void>;
  /** Calls `cb` with the entries now and after every change, from any context; returns the unsubscribe. */
  watch(cb: (entries: OutboxEntry[]) => void): () => void;
  /** The real id for a lead reference: itself for an API id, the mapped id for a saved local lead, else null. */
  resolveLeadRef(ref: string): Promise<string | null>;
  /** Entries that wait for a create, by the create's entry key or its `local:` id, to confirm a discard. */
  dependentsOf(keyOrLocalId: string): Promise<OutboxEntry[]>;
}

/**
 * The durable outbox every write of the extension goes through: queued in storage with an
 * idempotency key, sent in order with exponential backoff, never lost and, thanks to the key,
 * never stored twice by the API.
 *
 * @example
 * const outbox = createOutbox();
 * const localId = newLocalLeadId();
 * await outbox.enqueue({ kind: 'createLead', localId, body: { fullName: 'Ada Lovelace' } });
 * await outbox.enqueue({ kind: 'logTouchpoint', leadRef: localId, body: { type: 'call_connected' } });
 * await scheduleNextDrain((await outbox.drain()).nextAttemptAt);
 */
export function createOutbox(deps: Partial<OutboxDeps> = {}): Outbox {
  // Called through a local so that `this` is not `deps`: the browser's fetch throws "Illegal
  // invocation" when called as a method of another object.
  const fetchImpl: typeof fetch = deps.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const getSettings = deps.getSettings ?? (() => settingsItem.getValue());
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const onSent = deps.onSent;

  const read = () => outboxItem.getValue();

  /** Read-modify-write under the storage lock, so a drain in the background and an enqueue in the panel never overwrite each other. */
  function update(change: (state: OutboxState) => OutboxState): Promise<OutboxState> {
    return withLock('leadline-outbox', async () => {
      const before = await read();
      const changed = change(before);
      if (changed === before) return before;
      const after = normalise(changed, now());
      await outboxItem.setValue(after);
      return after;
    });
  }

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

  function apply(state: OutboxState, head: OutboxEntry, outcome: SendOutcome): OutboxState {
    const { key, write } = head;
    const at = now();
    if (outcome.type === 'sent') {
      const refs =
        write.kind === 'createLead'
          ? { ...state.refs, [write.localId]: { id: outcome.leadId, at } }
          : state.refs;
      // Recorded even if the entry was discarded while in flight: the lead exists now.
      return {
        entries: state.entries.filter((e) => e.key !== key),
        refs,
        sent: { ...state.sent, [key]: { at, entry: head } },
      };
    }
    if (!state.entries.some((e) => e.key === key)) return state;
    const entries = state.entries.map((entry): OutboxEntry => {
      if (entry.key !== key) return entry;
      const attempts = entry.attempts + 1;
      if (outcome.type === 'refused') return { ...entry, attempts, state: 'failed', error: outcome.error };
      const delay = Math.max(backoffDelay(attempts, random()), outcome.retryAfterMs ?? 0);
      return { ...entry, attempts, nextAttemptAt: at + delay, error: outcome.error };
    });
    return { ...state, entries };
  }

  async function runDrain(): Promise<DrainResult> {
    let sent = 0;
    let failed = 0;
    const settings = await getSettings();
    while (settings) {
      const state = await read();
      const head = state.entries.find((e) => e.state === 'pending');
      if (!head || head.nextAttemptAt > now()) break;
      const outcome = await send(head.write, head.key, settings);
      await update((current) => apply(current, head, outcome));
      if (outcome.type === 'transient') break;
      if (outcome.type === 'refused') {
        failed++;
        continue;
      }
      sent++;
      try {
        onSent?.(head, outcome.body, {
          status: outcome.status,
          replayed: outcome.replayed,
          leadId: outcome.leadId,
        });
      } catch {
        // A listener's bug must not stop the queue; the write is stored either way.
      }
    }
    const after = await read();
    const head = after.entries.find((e) => e.state === 'pending');
    return {
      sent,
      failed,
      waiting: after.entries.filter((e) => e.state !== 'failed').length,
      // Without settings nothing can go until the rep saves them, which calls retryAll and drain.
      nextAttemptAt: settings && head ? head.nextAttemptAt : null,
    };
  }

  let running: Promise<DrainResult> | null = null;
  let queued: Promise<DrainResult> | null = null;

  function drain(): Promise<DrainResult> {
    if (!running) {
      running = withLock('leadline-outbox-drain', runDrain).finally(() => {
        running = null;
      });
      return running;
    }
    // A caller arriving mid-drain may have just enqueued; one more drain after this one covers
    // every such caller, however many arrive.
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return drain();
      });
    return queued;
  }

  return {
    async enqueue(write, key = crypto.randomUUID()) {
      if (!KEY_PATTERN.test(key)) throw new Error('An idempotency key is 1 to 255 visible ASCII characters');
      if (write.kind === 'createLead' && !isLocalRef(write.localId)) {
        throw new Error(`A create's localId starts with "${LOCAL_PREFIX}"`);
      }
      const after = await update((state) => {
        if (state.entries.some((e) => e.key === key) || state.sent[key]) return state;
        const ref = leadRefOf(write);
        if (ref && isLocalRef(ref) && !state.refs[ref] && !createOf(state, ref)) {
          throw new Error(`No lead ${ref} is waiting to be saved`);
        }
        if (write.kind === 'createLead' && createOf(state, write.localId)) {
          throw new Error(`Lead ${write.localId} is already queued under another key`);
        }
        const at = now();
        const entry: OutboxEntry = {
          key,
          write,
          createdAt: at,
          attempts: 0,
          nextAttemptAt: at,
          state: 'pending',
        };
        return { ...state, entries: [...state.entries, entry] };
      });
      // normalise() may have rewritten the ref or blocked the entry; hand back what is stored.
      const stored = after.entries.find((e) => e.key === key) ?? after.sent[key]?.entry;
      if (!stored) throw new Error(`Outbox entry ${key} was not stored`);
      return stored;
    },

    async entries() {
      return (await read()).entries;
    },

    drain,

    async discard(key) {
      await update((state) => {
        const entry = state.entries.find((e) => e.key === key);
        if (!entry) return state;
        const localId = entry.write.kind === 'createLead' ? entry.write.localId : null;
        return {
          ...state,
          entries: state.entries.filter(
            (e) => e.key !== key && (localId === null || leadRefOf(e.write) !== localId),
          ),
        };
      });
    },

    async fix(key, body, newKey = crypto.randomUUID()) {
      if (!KEY_PATTERN.test(newKey))
        throw new Error('An idempotency key is 1 to 255 visible ASCII characters');
      await update((state) => {
        const entry = state.entries.find((e) => e.key === key);
        if (!entry) throw new Error(`No outbox entry ${key}`);
        // A pending entry may be in flight right now; giving it a new key could store it twice.
        if (entry.state !== 'failed') throw new Error('Only a write the API refused can be fixed');
        const fixed: OutboxEntry = {
          ...withoutError(entry),
          key: newKey,
          write: withBody(entry.write, body),
          attempts: 0,
          nextAttemptAt: now(),
          state: 'pending',
        };
        return { ...state, entries: state.entries.map((e) => (e.key === key ? fixed : e)) };
      });
    },

    async retryAll() {
      await update((state) => {
        const at = now();
        const entries = state.entries.map((entry): OutboxEntry => {
          if (entry.state === 'pending')
            return { ...entry, nextAttemptAt: Math.min(entry.nextAttemptAt, at) };
          if (entry.state === 'failed' && entry.error && SETTINGS_STATUSES.has(entry.error.status)) {
            // Same key: the API keeps no record of a refused request, so the key is still unused.
            return { ...withoutError(entry), state: 'pending', attempts: 0, nextAttemptAt: at };
          }
          return entry;
        });
        return { ...state, entries };
      });
    },

    watch(cb) {
      let active = true;
      let changed = false;
      const unwatch = outboxItem.watch((state) => {
        changed = true;
        if (active) cb(state?.entries ?? []);
      });
      void read().then((state) => {
        // A change that arrived first is newer than this read.
        if (active && !changed) cb(state.entries);
      });
      return () => {
        active = false;
        unwatch();
      };
    },

    async resolveLeadRef(ref) {
      if (!isLocalRef(ref)) return ref;
      return (await read()).refs[ref]?.id ?? null;
    },

    async dependentsOf(keyOrLocalId) {
      const state = await read();
      const create = state.entries.find((e) => e.key === keyOrLocalId);
      const localId = create?.write.kind === 'createLead' ? create.write.localId : keyOrLocalId;
      return state.entries.filter((e) => leadRefOf(e.write) === localId);
    },
  };
}
