import type { LeadDetail as LeadDetailData, LeadPatch, LeadStage, TouchpointType } from '@leadline/shared';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { liveScore, optimisticHistory } from '@/utils/live-score';
import { useApi } from './api-context';
import { ErrorNotice } from './error-notice';
import { useLeadEvents, useLive } from './live-context';
import { STAGE_LABELS, STAGES, StageBadge } from './stage-badge';
import { QUICK_TOUCHPOINTS, TouchpointBar, type TouchpointDraft } from './touchpoint-bar';

const UNDO_MS = 8000;
// A double click is two clicks; the rep meant one touchpoint.
const REPEAT_MS = 600;
const TYPE_LABELS = new Map<string, string>(QUICK_TOUCHPOINTS.map((quick) => [quick.type, quick.label]));
const label = (type: string) => TYPE_LABELS.get(type) ?? type.replaceAll('_', ' ');

function formatTime(iso: string) {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function ago(ms: number) {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** Re-renders every few seconds so a decaying score ticks down on screen. */
function useNow(intervalMs = 5000) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

interface LoadedLead {
  lead: LeadDetailData;
  loadedAt: number;
  touchpoints: { id: string; type: string; occurredAt: string; note: string | null }[];
  stageChanges: { id: string; from: LeadStage | null; to: LeadStage; cause: string; at: string }[];
  users: Map<string, string>;
}

/** One lead: live score, why, what to do next, one-click touchpoints, history, stage and BANT. */
export function LeadDetail({ id, onBack, onDeleted }: { id: string; onBack(): void; onDeleted(): void }) {
  const api = useApi();
  const { outbox, entries, sentIds, model } = useLive();
  const titleId = useId();
  const now = useNow();
  const [showWhy, setShowWhy] = useState(false);
  const [undo, setUndo] = useState<{ key: string; label: string } | null>(null);
  const undoTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const lastLogged = useRef<{ type: string; at: number } | null>(null);

  const [state, reload] = useAsync(async (): Promise<LoadedLead> => {
    const [lead, touchpoints, stageChanges, users] = await Promise.all([
      unwrap(api.leads[':id'].$get({ param: { id } })),
      unwrap(api.leads[':id'].touchpoints.$get({ param: { id } })),
      unwrap(api.leads[':id']['stage-changes'].$get({ param: { id } })),
      unwrap(api.users.$get()).catch(() => ({ items: [] })),
    ]);
    return {
      lead,
      loadedAt: Date.now(),
      touchpoints: touchpoints.items,
      stageChanges: stageChanges.items,
      users: new Map(users.items.map((user) => [user.id, user.name])),
    };
  }, [api, id]);
  useLeadEvents(id, reload);

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

  async function log(draft: TouchpointDraft) {
    const at = Date.now();
    const last = lastLogged.current;
    if (last && last.type === draft.type && at - last.at < REPEAT_MS) return;
    lastLogged.current = { type: draft.type, at };
    const key = crypto.randomUUID();
    // Stamped at the click: a touchpoint that waits in the outbox still happened now, not when sent.
    const body = { ...draft, occurredAt: draft.occurredAt ?? new Date(at).toISOString() };
    await outbox.enqueue({ kind: 'logTouchpoint', leadRef: id, body }, key);
    clearTimeout(undoTimer.current);
    setUndo({ key, label: label(draft.type) });
    undoTimer.current = setTimeout(() => setUndo(null), UNDO_MS);
    await outbox.drain().catch(() => undefined);
  }

  async function takeBack(key: string) {
    setUndo(null);
    const queued = (await outbox.entries()).some((entry) => entry.key === key);
    if (queued) await outbox.discard(key);
    else {
      const touchpointId = sentIds.get(key);
      if (touchpointId) {
        await unwrap(api.leads[':id'].touchpoints[':touchpointId'].$delete({ param: { id, touchpointId } }));
      }
    }
    reload();
  }

  async function patch(body: LeadPatch) {
    await outbox.enqueue({ kind: 'updateLead', leadRef: id, body });
    await outbox.drain().catch(() => undefined);
    reload();
  }

  async function remove(name: string) {
    if (!window.confirm(`Forget ${name}, with every touchpoint and all history? This cannot be undone.`))
      return;
    await unwrap(api.leads[':id'].$delete({ param: { id } }));
    onDeleted();
  }

  const data = state.data;
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
    return {
      ...liveScore(data.lead.fit, optimisticHistory(data.touchpoints, queued), model, at, lastTouch),
      lastTouch,
      rising: lastTouch !== null && now - lastTouch < 2 * 86_400_000,
    };
  }, [data, model, pending, now]);

  if (state.status === 'error' && !data) {
    return (
      <section className="stack">
        <button type="button" className="button button-quiet back" onClick={onBack}>
          ← Back
        </button>
        <ErrorNotice error={state.error} onRetry={reload} />
      </section>
    );
  }
  if (!data) {
    return (
      <div className="skeleton skeleton-card" role="status" aria-busy="true">
        <span className="visually-hidden">Loading the lead</span>
      </div>
    );
  }
  const { lead } = data;
  const name = lead.fullName ?? lead.email ?? lead.company ?? 'Unnamed lead';
  const steps = lead.scoring.nextSteps;
  const timeline = [
    ...data.touchpoints.map((touch) => ({
      key: touch.id,
      at: touch.occurredAt,
      text: label(touch.type),
      note: touch.note,
    })),
    ...data.stageChanges.map((change) => ({
      key: change.id,
      at: change.at,
      text:
        change.from === null
          ? `Created as ${STAGE_LABELS[change.to]}`
          : `${STAGE_LABELS[change.from]} → ${STAGE_LABELS[change.to]} (${change.cause === 'rep' ? 'by hand' : change.cause})`,
      note: null,
    })),
  ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));

  return (
    <section className="stack" aria-labelledby={titleId}>
      <button type="button" className="button button-quiet back" onClick={onBack}>
        ← Back
      </button>
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={reload} />}
      <header className="card stack">
        <div className="row row-between">
          <h1 id={titleId}>{name}</h1>
          <StageBadge stage={lead.stage} />
        </div>
        {(lead.title || lead.company) && (
          <p className="muted">{[lead.title, lead.company].filter(Boolean).join(' · ')}</p>
        )}
        <div className="score-line">
          <span className="score-big" data-testid="lead-score">
            {live?.score ?? lead.score}
          </span>
          <span className="muted">
            grade {lead.grade} · fit {Math.round(lead.fit)} · engagement{' '}
            {(live?.engagement ?? lead.engagement).toFixed(1)}
          </span>
        </div>
        {live?.lastTouch && (
          <p className={live.rising ? 'trend trend-up' : 'trend trend-down'} data-testid="score-trend">
            {live.rising ? '▲ Rising' : '▼ Cooling'} · last touch {ago(now - live.lastTouch)}
            {live.decayedSinceTouch >= 0.05 && ` · −${live.decayedSinceTouch.toFixed(1)} engagement since`}
          </p>
        )}
        {pendingCount > 0 && (
          <p className="notice" role="status" data-testid="pending-count">
            {pendingCount} touchpoint{pendingCount === 1 ? '' : 's'} waiting to be sent (score shown as if
            sent)
          </p>
        )}
        <p className="muted">
          Owner: {lead.ownerId ? (data.users.get(lead.ownerId) ?? 'someone') : 'nobody'}
          {lead.lastTouchAt ? ` · last touch ${formatTime(lead.lastTouchAt)}` : ' · never touched'}
        </p>
        <button
          type="button"
          className="button button-quiet disclosure"
          aria-expanded={showWhy}
          onClick={() => setShowWhy(!showWhy)}
        >
          Why this score
        </button>
        {showWhy && (
          <div className="why" data-testid="why">
            <h3>Fit {Math.round(lead.fit)}</h3>
            {lead.scoring.breakdown.fitRules.length === 0 ? (
              <p className="muted">No fit rule matches yet.</p>
            ) : (
              <ul>
                {lead.scoring.breakdown.fitRules.map((rule) => (
                  <li key={rule.ruleId}>
                    {rule.ruleId.replaceAll('-', ' ')} ({rule.field}): +{rule.points}
                  </li>
                ))}
              </ul>
            )}
            <h3>Engagement {lead.scoring.engagement.toFixed(2)}</h3>
            {lead.scoring.breakdown.touchpoints.length === 0 ? (
              <p className="muted">No touchpoint adds anything now.</p>
            ) : (
              <ul>
                {lead.scoring.breakdown.touchpoints.map((touch) => (
                  <li key={`${touch.id ?? touch.occurredAt}-${touch.type}`}>
                    {label(touch.type)} {formatTime(touch.occurredAt)}: {touch.points} →{' '}
                    {touch.pointsNow.toFixed(2)} now
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </header>

      {steps.length > 0 && (
        <section className="stack" aria-label="Next steps">
          <h2>Next steps</h2>
          <ol className="steps">
            {steps.map((step, index) => (
              <li key={step.id} className={index === 0 ? 'step step-top' : 'step'}>
                <div>
                  <strong>{step.title}</strong>
                  <p className="muted">{step.reason}</p>
                </div>
                {step.suggestedTouchpoint && (
                  <button
                    type="button"
                    className={index === 0 ? 'button button-primary' : 'button'}
                    onClick={() => void log({ type: step.suggestedTouchpoint! })}
                    aria-label={`Done: ${step.title} (logs ${label(step.suggestedTouchpoint)})`}
                  >
                    Done
                  </button>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}

      <TouchpointBar onLog={(draft) => void log(draft)} />
      {undo && (
        <div className="toast" role="status">
          <span>{undo.label} logged.</span>
          <button type="button" className="button" onClick={() => void takeBack(undo.key)}>
            Undo
          </button>
        </div>
      )}

      <StageAndBant lead={lead} onPatch={(body) => void patch(body)} />

      <h2>Timeline</h2>
      {timeline.length === 0 ? (
        <p className="empty">Nothing yet.</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {timeline.map((item) => (
            <li key={item.key}>
              <span className="timeline-type">{item.text}</span>
              <time dateTime={item.at}>{formatTime(item.at)}</time>
              {item.note && <p>{item.note}</p>}
            </li>
          ))}
        </ol>
      )}
      <dl className="details">
        {(['email', 'phone', 'location', 'website', 'linkedinUrl'] as const)
          .filter((key) => lead[key])
          .map((key) => (
            <div key={key}>
              <dt>
                {
                  {
                    email: 'E-mail',
                    phone: 'Phone',
                    location: 'Location',
                    website: 'Website',
                    linkedinUrl: 'LinkedIn',
                  }[key]
                }
              </dt>
              <dd>
                {key === 'email' ? (
                  <a href={`mailto:${lead.email}`}>{lead.email}</a>
                ) : key === 'linkedinUrl' || key === 'website' ? (
                  <a href={lead[key]!} target="_blank" rel="noreferrer noopener">
                    {lead[key]}
                  </a>
                ) : (
                  lead[key]
                )}
              </dd>
            </div>
          ))}
      </dl>
      <button type="button" className="button button-danger" onClick={() => void remove(name)}>
        Forget this lead
      </button>
    </section>
  );
}

const BANT = [
  { key: 'budget', label: 'Budget' },
  { key: 'authority', label: 'Authority' },
  { key: 'need', label: 'Need' },
] as const;

function StageAndBant({ lead, onPatch }: { lead: LeadDetailData; onPatch(body: LeadPatch): void }) {
  const id = useId();
  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Stage and qualification</h2>
      <label htmlFor={`${id}-stage`}>Stage</label>
      <select
        id={`${id}-stage`}
        value={lead.stage}
        onChange={(event) => onPatch({ stage: event.target.value as LeadStage })}
      >
        {STAGES.map((stage) => (
          <option key={stage} value={stage}>
            {STAGE_LABELS[stage]}
          </option>
        ))}
      </select>
      <div className="bant">
        {BANT.map(({ key, label: text }) => (
          <fieldset key={key} className="bant-question">
            <legend>{text}?</legend>
            {(
              [
                ['yes', true],
                ['no', false],
                ['unknown', null],
              ] as const
            ).map(([answer, value]) => (
              <label key={answer} className="check">
                <input
                  type="radio"
                  name={`${id}-${key}`}
                  checked={(lead.bant[key] ?? null) === value}
                  onChange={() => onPatch({ bant: { ...lead.bant, [key]: value } })}
                />
                {answer}
              </label>
            ))}
          </fieldset>
        ))}
        <label htmlFor={`${id}-timeline`}>Timeline (months)</label>
        <input
          id={`${id}-timeline`}
          type="number"
          min={0}
          max={120}
          defaultValue={lead.bant.timelineMonths ?? ''}
          onBlur={(event) => {
            const value = event.target.value === '' ? null : Number(event.target.value);
            if (value !== (lead.bant.timelineMonths ?? null))
              onPatch({ bant: { ...lead.bant, timelineMonths: value } });
          }}
        />
      </div>
    </section>
  );
}
