import type { ScoringModel } from '@leadline/shared';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { unwrap } from '@/utils/api';
import { followEvents, type ServerEvent, type StreamStatus } from '@/utils/event-stream';
import { sendMessage } from '@/utils/messaging';
import { createOutbox, type Outbox, type OutboxEntry } from '@/utils/outbox';
import type { Settings } from '@/utils/settings';
import { useApi } from './api-context';

interface Live {
  outbox: Outbox;
  entries: OutboxEntry[];
  /** Touchpoint ids the API gave the panel's sends, by idempotency key (for Undo). */
  sentIds: Map<string, string>;
  model: ScoringModel | null;
  stream: StreamStatus;
  /** Subscribes to the workspace's events; returns the unsubscribe. */
  onServerEvent(listener: (event: ServerEvent) => void): () => void;
}

const LiveContext = createContext<Live | null>(null);

/**
 * What keeps the panel live: the durable outbox (sent from here at once, and from the background
 * after restarts), the scoring model for ticking scores, and the event stream that brings the
 * team's touchpoints and stage moves within a second.
 */
export function LiveProvider({ settings, children }: { settings: Settings; children: ReactNode }) {
  const api = useApi();
  const sentIds = useRef(new Map<string, string>()).current;
  const listeners = useRef(new Set<(event: ServerEvent) => void>()).current;
  const outbox = useMemo(
    () =>
      createOutbox({
        onSent(entry, body) {
          if (entry.write.kind === 'logTouchpoint' && body && typeof body === 'object' && 'id' in body) {
            sentIds.set(entry.key, String((body as { id: unknown }).id));
          }
        },
      }),
    [sentIds],
  );
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  const [model, setModel] = useState<ScoringModel | null>(null);
  const [stream, setStream] = useState<StreamStatus>('connecting');

  useEffect(() => outbox.watch(setEntries), [outbox]);

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      unwrap(api['scoring-model'].$get()).then(
        (body) => !cancelled && setModel(body.model),
        () => undefined,
      );
    void load();
    const stop = followEvents(
      settings,
      (event) => {
        if (event.type === 'scoring.model_changed') void load();
        for (const listener of listeners) listener(event);
      },
      (status) => {
        setStream(status);
        // Back online: whatever waited goes now.
        if (status === 'open') void outbox.drain().catch(() => undefined);
      },
    );
    return () => {
      cancelled = true;
      stop();
    };
  }, [api, settings, outbox, listeners]);

  useEffect(() => {
    const drain = () => {
      void outbox.drain().catch(() => undefined);
      void sendMessage('drainOutbox').catch(() => undefined);
    };
    window.addEventListener('online', drain);
    const timer = setInterval(() => void outbox.drain().catch(() => undefined), 5000);
    return () => {
      window.removeEventListener('online', drain);
      clearInterval(timer);
    };
  }, [outbox]);

  const value = useMemo<Live>(
    () => ({
      outbox,
      entries,
      sentIds,
      model,
      stream,
      onServerEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    }),
    [outbox, entries, sentIds, model, stream, listeners],
  );
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): Live {
  const live = useContext(LiveContext);
  if (!live) throw new Error('useLive needs a <LiveProvider>');
  return live;
}

/** Calls `onChange` when the server says something about this lead (or about every lead). */
export function useLeadEvents(leadId: string, onChange: () => void) {
  const { onServerEvent } = useLive();
  const callback = useRef(onChange);
  callback.current = onChange;
  useEffect(
    () =>
      onServerEvent((event) => {
        if (event.leadId === leadId || event.type === 'scoring.model_changed') callback.current();
      }),
    [onServerEvent, leadId],
  );
}
