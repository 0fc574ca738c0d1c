import type { Lead } from '@leadline/shared';
import { agoShort } from './lead/format';
import { StageBadge } from './stage-badge';

export type HotLead = Lead & {
  topNextStep?: { id: string; title: string; reason: string; suggestedTouchpoint: string | null } | null;
};

/**
 * One row of "Hot leads": the score in a column of its own (aligned whatever the stage's width),
 * who and where, owner and last touch, the most urgent next step, and the row's own actions inside it.
 */
export function HotLeadRow({
  lead,
  ownerName,
  now,
  onOpen,
}: {
  lead: HotLead;
  ownerName: string | null;
  now: number;
  onOpen(): void;
}) {
  const name = lead.fullName ?? lead.email ?? lead.linkedinUrl ?? 'Unnamed lead';
  const facts = [
    ownerName ? `Owner ${ownerName}` : 'No owner',
    lead.lastTouchAt ? `last touch ${agoShort(now - Date.parse(lead.lastTouchAt))}` : 'never touched',
  ];
  return (
    <li className="hot-row">
      <button type="button" className="hot-open" onClick={onOpen} aria-label={name}>
        <span className="hot-score" title="Score">
          {lead.score}
        </span>
        <span className="hot-main">
          <span className="hot-title">
            <span className="list-item-title">{name}</span>
            <StageBadge stage={lead.stage} />
          </span>
          {(lead.title || lead.company) && (
            <span className="muted hot-line">{[lead.title, lead.company].filter(Boolean).join(' · ')}</span>
          )}
          <span className="muted hot-line" data-testid="hot-facts">
            {facts.join(' · ')}
          </span>
          {lead.topNextStep && (
            <span className="hot-next" data-testid="hot-next-step">
              Next: {lead.topNextStep.title}
            </span>
          )}
        </span>
      </button>
      {(lead.linkedinUrl || lead.email) && (
        <span className="hot-actions">
          {lead.linkedinUrl && (
            <a
              className="button button-quiet"
              href={lead.linkedinUrl}
              target="_blank"
              rel="noreferrer noopener"
              aria-label={`LinkedIn profile of ${lead.fullName ?? 'this lead'}`}
            >
              in
            </a>
          )}
          {lead.email && (
            <a
              className="button button-quiet"
              href={`mailto:${lead.email}`}
              aria-label={`E-mail ${lead.fullName ?? lead.email}`}
            >
              ✉
            </a>
          )}
        </span>
      )}
    </li>
  );
}
