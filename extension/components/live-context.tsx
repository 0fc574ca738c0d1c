import { DEFAULT_WORKSPACE_SETTINGS, type ScoringModel, type WorkspaceSettings } from '@leadline/shared';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { unwrap } from '@/utils/api';
import { followEvents, type ServerEvent, type StreamStatus } from '@/utils/event-stream';
import { sendMessage } from '@/utils/messaging';
import { createOutbox, type Outbox } from '@/utils/outbox';
import type { OutboxEntry } from '@/utils/outbox-state';
import type { Settings } from '@/utils/settings';
import { useApi } from './api-context';

interface Live {
  outbox: Outbox;
  entries: OutboxEntry[];
  model: ScoringModel | null;
  /** The workspace's currency and close reasons (the defaults until read). */
  workspace: WorkspaceSettings;
  /** Reads the workspace settings again (after a manager changed them). */
  reloadWorkspace(): void;
  stream: StreamStatus;
  /** Subscribes to the workspace's events; returns the unsubscribe. */
  onServerEvent(listener: (event: ServerEvent) => void): () => void;
}

const PROBE_MS = 1000;

const LiveContext = createContext<Live | null>(null);

/** A drain nobody waits for (timer, reconnect): a failure is logged, and the next one tries again. */
function drainQuietly(outbox: Outbox) {
  return outbox
    .drain()
    .catch((error: unknown) => console.error('Leadline: the outbox could not be drained', error));
}

/**
 * What keeps the panel live: the durable outbox (sent from here at once, and from the background
 * after restarts), the scoring model for ticking scores, and the event stream that brings the
 * team's touchpoints and stage moves within a second.
 */
export function LiveProvider({ settings, children }: { settings: Settings; children: ReactNode }) {
  const api = useApi();
  const listeners = useRef(new Set<(event: ServerEvent) => void>()).current;
  const outbox = useMemo(() => createOutbox(), []);
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  const [model, setModel] = useState<ScoringModel | null>(null);
  const [stream, setStream] = useState<StreamStatus>('connecting');
  const [workspace, setWorkspace] = useState<WorkspaceSettings>(DEFAULT_WORKSPACE_SETTINGS);
  const [workspaceVersion, setWorkspaceVersion] = useState(0);

  useEffect(() => {
    let cancelled = false;
    void workspaceVersion;
    unwrap(api.settings.workspace.$get()).then(
      (body) => !cancelled && setWorkspace(body),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [api, workspaceVersion]);

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
        if (status === 'open') void drainQuietly(outbox);
      },
    );
    return () => {
      cancelled = true;
      stop();
    };
  }, [api, settings, outbox, listeners]);

  useEffect(() => {
    const drain = () => {
      void drainQuietly(outbox);
      void sendMessage('drainOutbox').catch(() => undefined);
    };
    window.addEventListener('online', drain);
    const timer = setInterval(() => void drainQuietly(outbox), 5000);
    return () => {
      window.removeEventListener('online', drain);
      clearInterval(timer);
    };
  }, [outbox]);

  // While writes wait and the panel is open, ask the API every second whether it is back: the
  // backoff (seconds to minutes) would otherwise keep them waiting long after it answers again.
  const waiting = entries.some((entry) => entry.state === 'pending');
  useEffect(() => {
    if (!waiting) return;
    let busy = false;
    const timer = setInterval(async () => {
      if (busy) return;
      busy = true;
      try {
        const health = await fetch(`${settings.apiUrl}/health`, { signal: AbortSignal.timeout(900) });
        if (health.ok) {
          await outbox.wake();
          await drainQuietly(outbox);
        }
      } catch {
        // Still down: the next probe asks again.
      } finally {
        busy = false;
      }
    }, PROBE_MS);
    return () => clearInterval(timer);
  }, [waiting, outbox, settings.apiUrl]);

  const value = useMemo<Live>(
    () => ({
      outbox,
      entries,
      model,
      workspace,
      reloadWorkspace: () => setWorkspaceVersion((version) => version + 1),
      stream,
      onServerEvent(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    }),
    [outbox, entries, model, workspace, stream, listeners],
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
