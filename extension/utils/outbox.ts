import { browser } from 'wxt/browser';
import { createSender, isRecord, type SendOutcome } from './outbox-send';
import {
  backoffDelay,
  createOf,
  type DrainResult,
  isLocalRef,
  KEY_PATTERN,
  LOCAL_PREFIX,
  leadRefOf,
  normalise,
  OUTBOX_ALARM,
  type OutboxBody,
  type OutboxDeps,
  type OutboxEntry,
  type OutboxError,
  type OutboxState,
  type OutboxWrite,
  outboxItem,
  SETTINGS_STATUSES,
  type SentRecord,
  withBody,
  withoutError,
} from './outbox-state';
import { settingsItem } from './settings';
import { withLock } from './with-lock';

// Nothing of outbox-state.ts is re-exported: WXT auto-imports every export of utils/, so a name
// exported by two modules is a build warning ("Duplicated imports"). Import those from outbox-state.

/**
 * What became of one write the rep made (`submit`): the API stored it (`answer` is its body when
 * this context sent it; another context's send leaves only the ids), it waits in the outbox (the
 * API is unreachable, or it waits for its lead), or the API refused it with the problem.
 */
export type SubmitOutcome =
  | { status: 'sent'; entry: OutboxEntry; leadId: string | null; id: string | null; answer?: unknown }
  | { status: 'queued'; entry: OutboxEntry }
  | { status: 'refused'; entry: OutboxEntry; error: OutboxError };

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
  /**
   * What a click does: queues the write (as `enqueue`), sends what is due, and says what became of
   * this write. A failed drain (storage, lock) is logged and the write reported as queued.
   */
  submit(write: OutboxWrite, key?: string): Promise<SubmitOutcome>;
  /** The stored record of a write sent in the last ten minutes, by its key, whichever context sent it. */
  sentRecord(key: string): Promise<SentRecord | null>;
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
  /** The API answers again: waiting entries become due now (refused ones stay refused). */
  wake(): Promise<void>;
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

  const send = createSender(fetchImpl, now);
  const read = () => outboxItem.getValue();
  // The answers to writes this context is submitting, for `submit`; storage keeps only their ids.
  const submitting = new Set<string>();
  const answers = new Map<string, unknown>();

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
        sent: { ...state.sent, [key]: { at, entry: head, leadId: outcome.leadId, ...idOf(outcome) } },
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
      if (submitting.has(head.key)) answers.set(head.key, outcome.body);
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

  async function enqueue(write: OutboxWrite, key: string = crypto.randomUUID()): Promise<OutboxEntry> {
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
  }

  async function submit(write: OutboxWrite, key: string = crypto.randomUUID()): Promise<SubmitOutcome> {
    const entry = await enqueue(write, key);
    submitting.add(key);
    try {
      await drain();
    } catch (error) {
      // The write is stored; the next drain (timer, alarm, reconnect) sends it.
      console.error('Leadline: the outbox could not be drained', error);
    } finally {
      submitting.delete(key);
    }
    const state = await read();
    const waiting = state.entries.find((e) => e.key === key);
    if (waiting?.state === 'failed' && waiting.error)
      return { status: 'refused', entry: waiting, error: waiting.error };
    if (waiting) return { status: 'queued', entry: waiting };
    const record = state.sent[key];
    const answer = answers.get(key);
    answers.delete(key);
    return {
      status: 'sent',
      entry: record?.entry ?? entry,
      leadId: record?.leadId ?? null,
      id: record?.id ?? null,
      ...(answer === undefined ? {} : { answer }),
    };
  }

  /** Waiting entries due now; with `refusedToo`, also those refused for what settings can cure. */
  async function makeDue(refusedToo: boolean) {
    await update((state) => {
      const at = now();
      const entries = state.entries.map((entry): OutboxEntry => {
        if (entry.state === 'pending') return { ...entry, nextAttemptAt: Math.min(entry.nextAttemptAt, at) };
        if (
          refusedToo &&
          entry.state === 'failed' &&
          entry.error &&
          SETTINGS_STATUSES.has(entry.error.status)
        ) {
          // Same key: the API keeps no record of a refused request, so the key is still unused.
          return { ...withoutError(entry), state: 'pending', attempts: 0, nextAttemptAt: at };
        }
        return entry;
      });
      return { ...state, entries };
    });
  }

  return {
    enqueue,
    submit,

    async sentRecord(key) {
      return (await read()).sent[key] ?? null;
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

    retryAll: () => makeDue(true),
    wake: () => makeDue(false),

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

/** The id of what the API stored, from its answer: the lead or touchpoint it returns. */
function idOf(outcome: Extract<SendOutcome, { type: 'sent' }>): { id?: string } {
  if (outcome.status === 409) return {};
  const id = isRecord(outcome.body) ? outcome.body.id : undefined;
  return typeof id === 'string' ? { id } : {};
}
