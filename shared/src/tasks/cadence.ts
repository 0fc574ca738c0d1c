import { z } from 'zod';
import { type ConditionLead, conditionSchema, matchesAll } from '../rules/conditions';
import { LEAD_STAGES, type LeadStage } from '../schemas/lead';
import type { TouchpointType } from '../touchpoint-types';
import { TASK_TYPES } from './kinds';

/** A cadence step: a task for the rep, or only a wait, `delayDays` working days after the previous step. */
export const cadenceStepSchema = z
  .object({
    type: z.enum([...TASK_TYPES, 'wait']),
    delayDays: z.number().int().min(0).max(90),
    note: z.string().trim().max(2000).optional(),
  })
  .strict()
  .meta({ id: 'CadenceStep' });
export type CadenceStep = z.infer<typeof cadenceStepSchema>;

export const ENROL_OWNER_CONDITIONS = ['any', 'unowned', 'owned'] as const;

/** "When a lead becomes MQL and is not owned by sales, enrol it": the stage reached, whose it is, its fields. */
export const enrolmentRuleSchema = z
  .object({
    stage: z.enum(LEAD_STAGES),
    owner: z.enum(ENROL_OWNER_CONDITIONS).default('any'),
    conditions: z.array(conditionSchema).max(20).default([]),
  })
  .strict()
  .meta({ id: 'EnrolmentRule' });
export type EnrolmentRule = z.infer<typeof enrolmentRuleSchema>;

/** What an enrolment rule reads: the conditions' lead (fields, live figures), whose it is. */
export interface RuleLead extends ConditionLead {
  ownerId: string | null;
}

/**
 * Whether a lead that just reached `reached` meets a cadence's enrolment rule: the stage, whose it
 * is, and the conditions in routing's vocabulary (`matchesAll`: fit fields, region, seniority, score,
 * fit, grade).
 *
 * @example
 * matchesEnrolmentRule({ stage: 'mql', owner: 'unowned', conditions: [] },
 *   { stage: 'mql', ownerId: null }, 'mql'); // true
 */
export function matchesEnrolmentRule(rule: EnrolmentRule, lead: RuleLead, reached: LeadStage): boolean {
  if (rule.stage !== reached) return false;
  if (rule.owner === 'unowned' && lead.ownerId !== null) return false;
  if (rule.owner === 'owned' && lead.ownerId === null) return false;
  return matchesAll(lead, rule.conditions);
}

/** What stops an enrolment by itself, from a touchpoint logged on the lead (or its company). */
export type StopCause = 'reply' | 'meeting' | 'linkedin_reply' | 'unsubscribe' | 'bounce';

export const STOP_CAUSE_LABELS: Readonly<Record<StopCause, string>> = {
  reply: 'Replied by e-mail',
  meeting: 'Meeting booked',
  linkedin_reply: 'Replied on LinkedIn',
  unsubscribe: 'Unsubscribed',
  bounce: 'E-mail bounced',
};

/**
 * The stop a touchpoint means, if any: replies and meetings pause or end (the cadence says which),
 * an unsubscribe or a bounce always ends.
 *
 * @example
 * stopCauseOf('email_replied'); // 'reply'
 * stopCauseOf('email_sent');    // null
 */
export function stopCauseOf(type: TouchpointType): StopCause | null {
  switch (type) {
    case 'email_replied':
      return 'reply';
    case 'meeting_booked':
    case 'meeting_held':
      return 'meeting';
    case 'linkedin_message_replied':
      return 'linkedin_reply';
    case 'unsubscribed':
      return 'unsubscribe';
    case 'bounced':
      return 'bounce';
    default:
      return null;
  }
}

/** Stops that end an enrolment whatever the cadence says. */
export const ENDING_STOPS: ReadonlySet<StopCause> = new Set<StopCause>(['unsubscribe', 'bounce']);

/** Stages a nurture cadence ends at: the lead is sales-ready (or past it). */
export const NURTURE_ENDS_AT: ReadonlySet<LeadStage> = new Set<LeadStage>([
  'sql',
  'opportunity',
  'won',
  'lost',
  'disqualified',
]);
