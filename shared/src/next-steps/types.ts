import type { LeadStage } from '../schemas/lead';
import type { Grade } from '../scoring/grade';
import type { TimeInput } from '../scoring/time';
import type { TouchpointType } from '../touchpoint-types';

/** What the next-step rules read from a lead. */
export interface NextStepLead {
  stage: LeadStage;
  email?: string | null;
  phone?: string | null;
  bant?: {
    budget?: boolean | null;
    authority?: boolean | null;
    need?: boolean | null;
    timelineMonths?: number | null;
  } | null;
  createdAt: TimeInput;
}

export interface NextStepTouchpoint {
  type: TouchpointType;
  occurredAt: TimeInput;
}

/** One move through the funnel, by hand or by a threshold; `from` is `null` for the first stage. */
export interface StageChange {
  from: LeadStage | null;
  to: LeadStage;
  at: TimeInput;
}

export interface NextStepInput {
  lead: NextStepLead;
  score: number;
  grade: Grade;
  /** Engagement at `at` (from `scoreLead` or `engagementAt`). */
  engagement: number;
  /** The highest engagement up to `at` (from `peakEngagement`). */
  peakEngagement: number;
  /** The lead's touchpoints; those after `at` are ignored. */
  touchpoints: readonly NextStepTouchpoint[];
  /** The lead's stage history; changes after `at` are ignored. */
  stageChanges: readonly StageChange[];
  at: TimeInput;
  /**
   * When a cold SQL is offered back to nurture: below the model's MQL threshold and untouched this
   * many days (a workspace setting). Without it the `recycle` rule does not fire.
   */
  recycle?: { mqlThreshold: number; afterDays: number };
}

/**
 * How soon: 1 = now (within the hour), 2 = today, 3 = this week, 4 = when there is time. The list
 * is sorted by it, ties in the order of `NEXT_STEP_RULES`.
 */
export type NextStepPriority = 1 | 2 | 3 | 4;

export interface NextStep {
  /** The rule's stable id (see `NEXT_STEP_RULES`). */
  id: NextStepRuleId;
  title: string;
  /** Why now, with this lead's facts ("Replied by e-mail 3 hours ago; no answer logged since."). */
  reason: string;
  priority: NextStepPriority;
  /** The touchpoint that logs doing it, for the one-click button; `null` when it is not a touch (research). */
  suggestedTouchpoint: TouchpointType | null;
}

export const NEXT_STEP_RULE_IDS = [
  'answer-reply',
  'speed-to-lead',
  'book-meeting',
  'reopen',
  'qualify-bant',
  're-engage',
  'find-contact',
  'recycle',
] as const;
export type NextStepRuleId = (typeof NEXT_STEP_RULE_IDS)[number];
