import type { LeadAuditEntry, LeadDetail, LeadPatch, LeadStage, TouchpointType } from '@leadline/shared';
import { touchpointLabel } from '@leadline/shared';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '@/components/api-context';
import { useLeadEvents, useLive } from '@/components/live-context';
import type { TouchpointDraft } from '@/components/touchpoint-bar';
import { unwrap } from '@/utils/api';
import { liveScore, optimisticHistory } from '@/utils/live-score';
import {
  rememberEngagement,
  roseSince,
  type SeenEngagement,
  seenEngagementItem,
} from '@/utils/seen-engagement';
import { undoTouchpoint } from '@/utils/touchpoint-undo';
import { useAsync } from './use-async';
import { useNow } from './use-now';

const UNDO_MS = 8000;
// A double click is two clicks; the rep meant one touchpoint.
const REPEAT_MS = 600;

export interface LoadedLead {
  lead: LeadDetail;
  loadedAt: number;
  touchpoints: { id: string; type: string; occurredAt: string; note: string | null }[];
  stageChanges: { id: string; from: LeadStage | null; to: LeadStage; cause: string; at: string }[];
  /** Field changes with who made them (GET /leads/{id}/audit). */
  audit: LeadAuditEntry[];
  users: Map<string, string>;
}

const asError = (caught: unknown) => (caught instanceof Error ? caught : new Error(String(caught)));

/**
 * Everything the lead view shows and does: the lead with its history (read again when the team's
 * events or the outbox say it changed), the live score counting queued touchpoints, and the rep's
 * actions. An action the API refuses ends in `actionError`, for the view to show.
 */
export function useLeadDetail(id: string, onDeleted: () => void) {
  const api = useApi();
  const { outbox, entries, model } = useLive();
  const now = useNow();
  const [undo, setUndo] = useState<{ key: string; label: string } | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);
  const undoTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const lastLogged = useRef<{ type: string; at: number } | null>(null);

  const [state, reload] = useAsync(async (): Promise<LoadedLead> => {
    const [lead, touchpoints, stageChanges, audit, users] = await Promise.all([
      unwrap(api.leads[':id'].$get({ param: { id } })),
      unwrap(api.leads[':id'].touchpoints.$get({ param: { id } })),
      unwrap(api.leads[':id']['stage-changes'].$get({ param: { id } })),
      unwrap(api.leads[':id'].audit.$get({ param: { id } })),
      unwrap(api.users.$get()).catch(() => ({ items: [] })),
    ]);
    return {
      lead,
      loadedAt: Date.now(),
      touchpoints: touchpoints.items,
      stageChanges: stageChanges.items,
      audit: audit.items,
      users: new Map(users.items.map((user) => [user.id, user.name])),
    };
  }, [api, id]);
  useLeadEvents(id, reload);
  useEffect(() => () => clearTimeout(undoTimer.current), []);

  // Touchpoints of this lead still in the outbox: counted optimistically, shown as "waiting".
  const pending = useMemo(
    () =>
      entries.filter(
        (entry) =>
          entry.write.kind === 'logTouchpoint' && entry.write.leadRef === id && entry.state === 'pending',
      ),
    [entries, id],
  );
  const pendingCount = pending.length;
  const previousPending = useRef(pendingCount);
  useEffect(() => {
    // Something left the outbox for the API: read the lead again.
    if (pendingCount < previousPending.current) reload();
    previousPending.current = pendingCount;
  }, [pendingCount, reload]);

  /** Runs one of the rep's actions; a refusal or failure is shown instead of lost. */
  const act = useCallback(async (action: () => Promise<void>) => {
    setActionError(null);
    try {
      await action();
    } catch (caught) {
      setActionError(asError(caught));
    }
  }, []);

  const log = (draft: TouchpointDraft) =>
    act(async () => {
      const at = Date.now();
      const last = lastLogged.current;
      if (last && last.type === draft.type && at - last.at < REPEAT_MS) return;
      lastLogged.current = { type: draft.type, at };
      const key = crypto.randomUUID();
      // Stamped at the click: a touchpoint that waits in the outbox still happened now, not when sent.
      const body = { ...draft, occurredAt: draft.occurredAt ?? new Date(at).toISOString() };
      const write = { kind: 'logTouchpoint', leadRef: id, body } as const;
      // Queued first so Undo can be offered at once, then sent; a refusal stays in the outbox banner.
      await outbox.enqueue(write, key);
      clearTimeout(undoTimer.current);
      setUndo({ key, label: touchpointLabel(draft.type) });
      undoTimer.current = setTimeout(() => setUndo(null), UNDO_MS);
      await outbox.submit(write, key);
    });

  const takeBack = (key: string) =>
    act(async () => {
      setUndo(null);
      try {
        const outcome = await undoTouchpoint(outbox, key, (touchpointId) =>
          unwrap(api.leads[':id'].touchpoints[':touchpointId'].$delete({ param: { id, touchpointId } })),
        );
        if (outcome === 'unknown')
          throw new Error('Leadline no longer knows this touchpoint; delete it from the timeline instead.');
      } finally {
        reload();
      }
    });

  /**
   * Saves edited fields: the API's 422 comes back per field (its `issues[].path`), for the form to
   * show next to each; offline the change waits in the outbox like any other.
   */
  const saveFields = async (body: LeadPatch): Promise<SaveOutcome> => {
    setActionError(null);
    const key = crypto.randomUUID();
    try {
      const outcome = await outbox.submit({ kind: 'updateLead', leadRef: id, body }, key);
      if (outcome.status === 'refused') {
        // The form still holds what the rep typed: the refused change need not wait in the banner.
        await outbox.discard(key);
        const fields: Record<string, string> = {};
        for (const issue of (outcome.error.issues ?? []) as { path?: unknown[]; message?: string }[]) {
          const name = issue.path?.[0];
          if (typeof name === 'string') fields[name] ??= issue.message ?? 'Invalid';
        }
        return { ok: false, title: outcome.error.detail ?? outcome.error.title, fields };
      }
      reload();
      return { ok: true, queued: outcome.status === 'queued' };
    } catch (caught) {
      return { ok: false, title: asError(caught).message, fields: {} };
    }
  };

  const patch = (body: LeadPatch) =>
    act(async () => {
      // A refused change waits in the outbox banner, where the rep can fix or discard it.
      await outbox.submit({ kind: 'updateLead', leadRef: id, body });
      reload();
    });

  const remove = (name: string) =>
    act(async () => {
      if (!window.confirm(`Forget ${name}, with every touchpoint and all history? This cannot be undone.`))
        return;
      await unwrap(api.leads[':id'].$delete({ param: { id } }));
      onDeleted();
    });

  const data = state.data;
  // What the rep saw on the last visit: "Rising" means engagement went up since then.
  const [seen, setSeen] = useState<SeenEngagement | null | undefined>(undefined);
  useEffect(() => {
    let cancelled = false;
    setSeen(undefined);
    void seenEngagementItem.getValue().then((all) => !cancelled && setSeen(all[id] ?? null));
    return () => {
      cancelled = true;
    };
  }, [id]);
  const latestEngagement = useRef<number | null>(null);
  useEffect(
    () => () => {
      if (latestEngagement.current !== null) void rememberEngagement(id, latestEngagement.current);
      latestEngagement.current = null;
    },
    [id],
  );
  const live = useMemo(() => {
    if (!data || !model) return null;
    const queued = pending.map((entry) => ({
      type: (entry.write.body as TouchpointDraft).type as TouchpointType,
      occurredAt: (entry.write.body as TouchpointDraft).occurredAt,
      queuedAt: entry.createdAt,
    }));
    // `now` ticks every few seconds: a click or a read since the last tick counts from now, not later.
    const at = Math.max(now, data.loadedAt, ...queued.map((touch) => touch.queuedAt));
    const lastTouch = data.lead.lastTouchAt ? Date.parse(data.lead.lastTouchAt) : null;
    const scored = liveScore(
      data.lead.fit,
      optimisticHistory(data.touchpoints, queued),
      model,
      at,
      lastTouch,
    );
    return { ...scored, lastTouch, rising: roseSince(seen, scored.engagement) };
  }, [data, model, pending, now, seen]);
  useEffect(() => {
    if (!live || seen === undefined) return;
    // The first figure of a visit is remembered at once (a closed panel never unmounts cleanly).
    if (latestEngagement.current === null) void rememberEngagement(id, live.engagement);
    latestEngagement.current = live.engagement;
  }, [live, seen, id]);

  return {
    state,
    reload,
    now,
    live,
    pendingCount,
    undo,
    actionError,
    dismissError: () => setActionError(null),
    log,
    takeBack,
    patch,
    saveFields,
    remove,
  };
}

export type SaveOutcome =
  | { ok: true; queued: boolean }
  | { ok: false; title: string; fields: Record<string, string> };

export type LiveLeadScore = NonNullable<ReturnType<typeof useLeadDetail>['live']>;
