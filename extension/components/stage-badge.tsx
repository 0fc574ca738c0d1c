import { STAGE_LABELS as LABELS, type LeadStage } from '@leadline/shared';

export function StageBadge({ stage }: { stage: LeadStage }) {
  return <span className={`badge badge-${stage}`}>{LABELS[stage]}</span>;
}

export { LABELS as STAGE_LABELS };

/** Every stage in funnel order (the keys of the labels). */
export const STAGES = Object.keys(LABELS) as LeadStage[];
