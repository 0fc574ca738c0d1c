import type { LeadStage } from '@leadline/shared';

const LABELS: Record<LeadStage, string> = {
  new: 'New',
  mql: 'MQL',
  sql: 'SQL',
  opportunity: 'Opportunity',
  won: 'Won',
  lost: 'Lost',
  nurture: 'Nurture',
  disqualified: 'Disqualified',
};

export function StageBadge({ stage }: { stage: LeadStage }) {
  return <span className={`badge badge-${stage}`}>{LABELS[stage]}</span>;
}

export { LABELS as STAGE_LABELS };

/** Every stage in funnel order (the keys of the labels, kept here so the panel needs no schema code). */
export const STAGES = Object.keys(LABELS) as LeadStage[];
