import type { LeadDetail } from '@leadline/shared';
import { useState } from 'react';
import type { LiveLeadScore } from '@/hooks/use-lead-detail';
import { StageBadge } from '../stage-badge';
import { ago, formatTime, touchpointLabel } from './format';

/** The lead's card: who, the live score and its trend, what waits to be sent, owner, and why this score. */
export function ScoreHeader({
  lead,
  titleId,
  live,
  now,
  pendingCount,
  users,
}: {
  lead: LeadDetail;
  titleId: string;
  live: LiveLeadScore | null;
  now: number;
  pendingCount: number;
  users: Map<string, string>;
}) {
  const [showWhy, setShowWhy] = useState(false);
  const name = lead.fullName ?? lead.email ?? lead.company ?? 'Unnamed lead';
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
          {pendingCount} touchpoint{pendingCount === 1 ? '' : 's'} waiting to be sent (score shown as if sent)
        </p>
      )}
      <p className="muted">
        Owner: {lead.ownerId ? (users.get(lead.ownerId) ?? 'someone') : 'nobody'}
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
      {showWhy && <WhyThisScore lead={lead} />}
    </header>
  );
}

function WhyThisScore({ lead }: { lead: LeadDetail }) {
  return (
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
              {touchpointLabel(touch.type)} {formatTime(touch.occurredAt)}: {touch.points} →{' '}
              {touch.pointsNow.toFixed(2)} now
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
