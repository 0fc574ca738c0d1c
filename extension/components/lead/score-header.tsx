import type { LeadDetail, LeadPatch } from '@leadline/shared';
import { useId, useState } from 'react';
import type { LiveLeadScore } from '@/hooks/use-lead-detail';
import { useLive } from '../live-context';
import { useMe } from '../me-context';
import { StageBadge } from '../stage-badge';
import { ago, formatTime } from './format';
import { WhyScore } from './why-score';

/** The lead's card: who, the live score and its trend, what waits to be sent, owner, and why this score. */
export function ScoreHeader({
  lead,
  titleId,
  live,
  now,
  pendingCount,
  users,
  onPatch,
}: {
  lead: LeadDetail;
  titleId: string;
  live: LiveLeadScore | null;
  now: number;
  pendingCount: number;
  users: Map<string, string>;
  onPatch(body: LeadPatch): void;
}) {
  const [showWhy, setShowWhy] = useState(false);
  const { model } = useLive();
  const name = lead.fullName ?? lead.email ?? lead.company ?? 'Unnamed lead';
  const score = live?.score ?? lead.score;
  const engagement = live?.engagement ?? lead.engagement;
  return (
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
          {score}
        </span>
        <span className="muted">
          grade {lead.grade} · fit {Math.round(lead.fit)} · engagement {engagement.toFixed(1)} points
        </span>
      </div>
      {live?.lastTouch && (
        <p className={live.rising ? 'trend trend-up' : 'trend trend-down'} data-testid="score-trend">
          {live.rising ? '▲ Rising since your last visit' : '▼ Cooling'} · last touch{' '}
          {ago(now - live.lastTouch)}
          {live.decayedSinceTouch >= 0.05 && ` · −${live.decayedSinceTouch.toFixed(1)} engagement since`}
        </p>
      )}
      {pendingCount > 0 && (
        <p className="notice" role="status" data-testid="pending-count">
          {pendingCount} touchpoint{pendingCount === 1 ? '' : 's'} waiting to be sent (score shown as if sent)
        </p>
      )}
      <Owner lead={lead} users={users} onPatch={onPatch} />
      <p className="muted">
        {lead.lastTouchAt ? `Last touch ${formatTime(lead.lastTouchAt)}` : 'Never touched'}
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
        <WhyScore
          model={model}
          fit={lead.fit}
          engagement={engagement}
          score={score}
          fitRules={lead.scoring.breakdown.fitRules}
          touchpoints={lead.scoring.breakdown.touchpoints}
        />
      )}
    </header>
  );
}

/** Whose lead this is; a manager or an admin changes it here. */
function Owner({
  lead,
  users,
  onPatch,
}: {
  lead: LeadDetail;
  users: Map<string, string>;
  onPatch(body: LeadPatch): void;
}) {
  const id = useId();
  const me = useMe();
  const ownerName = lead.ownerId ? (users.get(lead.ownerId) ?? 'someone') : 'nobody';
  const canAssign = me?.user.role === 'manager' || me?.user.role === 'admin';
  if (!canAssign || users.size === 0) {
    return (
      <p className="muted" data-testid="owner">
        Owner: {ownerName}
      </p>
    );
  }
  return (
    <div className="row owner-row">
      <label htmlFor={id}>Owner</label>
      <select
        id={id}
        className="select-inline"
        value={lead.ownerId ?? ''}
        onChange={(event) => onPatch({ ownerId: event.target.value || null })}
      >
        <option value="">Nobody</option>
        {[...users].map(([userId, userName]) => (
          <option key={userId} value={userId}>
            {userName}
          </option>
        ))}
      </select>
    </div>
  );
}
