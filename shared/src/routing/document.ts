import { z } from 'zod';
import { conditionSchema } from '../rules/conditions';
import { id, isoDateTime } from '../schemas/common';
import { LEAD_STAGES } from '../schemas/lead';

/** Where a rule (or the fallback) sends a lead. */
export const routingActionSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('person'), userId: id }),
    z.strictObject({
      type: z.literal('team'),
      teamId: id,
      /** `round_robin`: the member furthest below their weighted share of the last 30 days; `least_open`: fewest open leads. */
      strategy: z.enum(['round_robin', 'least_open']).default('round_robin'),
    }),
    z.strictObject({ type: z.literal('queue') }),
  ])
  .meta({ id: 'RoutingAction' });
export type RoutingAction = z.infer<typeof routingActionSchema>;

/** The breach actions an SLA may take. */
export const SLA_BREACH_ACTIONS = ['reassign', 'escalate'] as const;
export type SlaBreachAction = (typeof SLA_BREACH_ACTIONS)[number];

/**
 * A rule's service level: the owner it gives a lead to must touch it (an outbound touchpoint) within
 * `minutes` working minutes of their calendar, or the lead is routed again by the same rules without
 * them (`reassign`) or goes to the rule's team's manager (`escalate`).
 */
export const routingSlaSchema = z
  .strictObject({
    minutes: z.number().int().min(1).max(10_080),
    onBreach: z.enum(SLA_BREACH_ACTIONS),
  })
  .meta({ id: 'RoutingSla' });
export type RoutingSla = z.infer<typeof routingSlaSchema>;

export const routingRuleSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'a rule id of letters, digits, "-", "_", "." or ":"'),
    /** What the "why" line calls it: "DACH territory". */
    name: z.string().trim().min(1).max(100),
    /** Every condition must hold; none: every lead. */
    when: z.array(conditionSchema).max(50).default([]),
    action: routingActionSchema,
    /** Skip reps outside their working hours at the moment of routing. */
    respectWorkingHours: z.boolean().default(false),
    /** Route the lead again by the rules when it enters one of these stages (the hand-off at MQL or SQL). */
    onStages: z.array(z.enum(LEAD_STAGES)).max(8).default([]),
    /** The time the owner has for a first outbound touch, and what a breach does. */
    sla: routingSlaSchema.optional(),
  })
  .meta({ id: 'RoutingRule' });
export type RoutingRule = z.infer<typeof routingRuleSchema>;

/** The workspace's routing: ordered rules (first match wins), then the fallback. */
export const routingDocumentSchema = z
  .strictObject({
    /** A lead of a company that already has an active owner goes to that owner first. */
    accountOwnershipFirst: z.boolean().default(true),
    /** A lead a rep captures in the side panel stays theirs (never API, form or import leads). */
    capturerKeeps: z.boolean().default(true),
    rules: z.array(routingRuleSchema).max(200).default([]),
    fallback: routingActionSchema.default({ type: 'queue' }),
  })
  .superRefine((doc, ctx) => {
    const seen = new Map<string, number>();
    doc.rules.forEach((rule, i) => {
      const earlier = seen.get(rule.id);
      if (earlier !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'id'],
          message: `duplicate rule id, as rules.${earlier}`,
        });
      } else seen.set(rule.id, i);
    });
  })
  .meta({ id: 'RoutingDocument' });
export type RoutingDocument = z.infer<typeof routingDocumentSchema>;
export type RoutingDocumentInput = z.input<typeof routingDocumentSchema>;

/** The routing in force: version 0 is "no routing yet" (a lead stays with whoever created it). */
export const routingSchema = z
  .object({
    version: z.number().int(),
    document: routingDocumentSchema,
    createdAt: isoDateTime.nullable(),
    createdBy: id.nullable(),
  })
  .meta({ id: 'Routing' });
export type Routing = z.infer<typeof routingSchema>;

/** Where a lead came from, for "the capturer keeps it": only panel captures qualify. */
export const LEAD_ORIGINS = ['panel', 'api', 'form', 'import'] as const;
export type LeadOrigin = (typeof LEAD_ORIGINS)[number];

export const SKIP_REASONS = [
  'away',
  'outside_hours',
  'cap_per_day',
  'cap_open',
  'deactivated',
  'excluded',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** One candidate of a decision: who, why they were skipped (if they were), and the counters seen. */
export const candidateSchema = z.object({
  userId: id,
  skipped: z.enum(SKIP_REASONS).nullable(),
  weight: z.number().optional(),
  /** Leads this team gave them over the last 30 days, and their weighted share of the team's total. */
  assigned30d: z.number().int().optional(),
  share: z.number().optional(),
  openLeads: z.number().int().optional(),
  assignedToday: z.number().int().optional(),
});
export type Candidate = z.infer<typeof candidateSchema>;

/** An SLA breach, as the assignment it caused records it. */
export const slaBreachSchema = z
  .object({
    /** The assignment whose SLA was missed. */
    assignmentId: id,
    ruleId: z.string(),
    ruleName: z.string(),
    minutes: z.number().int(),
    /** What the rule asked for; `reassign` too when an escalation fell back (see `fellBack`). */
    onBreach: z.enum(SLA_BREACH_ACTIONS),
    /** When the touch was due: `minutes` working minutes of the owner's calendar after the assignment. */
    deadline: isoDateTime,
    previousOwnerId: id,
    previousOwnerName: z.string(),
    /** Why an escalation was routed again instead: the rule does not name a team, or the team has no manager. */
    fellBack: z.string().nullable(),
  })
  .meta({ id: 'SlaBreach' });
export type SlaBreach = z.infer<typeof slaBreachSchema>;

/** Why a lead went where it went: the decision, as recorded with each assignment. */
export const routingTraceSchema = z
  .object({
    version: z.number().int(),
    /** `account`: its company's owner; `capturer`: the rep who captured it; `rule`, `fallback`; `manual`; `creator` (no routing); `escalation`: an SLA breach sent it to the team's manager. */
    via: z.enum(['account', 'capturer', 'rule', 'fallback', 'manual', 'creator', 'escalation']),
    ruleId: z.string().nullable(),
    ruleName: z.string().nullable(),
    strategy: z.enum(['round_robin', 'least_open', 'person', 'queue']).nullable(),
    teamId: z.string().nullable(),
    /** The rules tried before the one that placed it, and why each did not. */
    passed: z.array(
      z.object({
        ruleId: z.string(),
        reason: z.enum(['no_match', 'nobody_left']),
        /** For `nobody_left`: each candidate and why they were skipped. */
        candidates: z.array(candidateSchema).optional(),
      }),
    ),
    candidates: z.array(candidateSchema),
    ownerId: id.nullable(),
    /** The "why" line: "DACH territory, round robin (furthest below their share)". */
    summary: z.string(),
    /** The SLA the placing rule set on this assignment (its deadline counts from the assignment). */
    sla: routingSlaSchema.optional(),
    /** On an `sla_breach` or `sla_escalation` assignment: the breach that caused it. */
    breach: slaBreachSchema.optional(),
  })
  .meta({ id: 'RoutingTrace' });
export type RoutingTrace = z.infer<typeof routingTraceSchema>;

export const ASSIGNMENT_CAUSES = [
  'created',
  'stage',
  'route_again',
  'manual',
  'deactivated',
  'claim',
  'sla_breach',
  'sla_escalation',
] as const;
export type AssignmentCause = (typeof ASSIGNMENT_CAUSES)[number];

export const assignmentSchema = z
  .object({
    id,
    leadId: id,
    fromOwnerId: id.nullable(),
    ownerId: id.nullable(),
    cause: z.enum(ASSIGNMENT_CAUSES),
    byUserId: id.nullable(),
    trace: routingTraceSchema,
    at: isoDateTime,
  })
  .meta({ id: 'Assignment' });
export type Assignment = z.infer<typeof assignmentSchema>;
