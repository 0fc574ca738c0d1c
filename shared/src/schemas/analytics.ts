import { z } from 'zod';
import { sourceChannel } from './lead';

/** The funnel, in order. A lead that reached a stage counts as having reached every stage before it. */
export const FUNNEL_STAGES = ['new', 'mql', 'sql', 'opportunity', 'won'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** The stages a lead can still be won from; each gets a win probability for the weighted pipeline. */
export const OPEN_STAGES = ['new', 'mql', 'sql', 'opportunity'] as const;
export type OpenStage = (typeof OPEN_STAGES)[number];

export const ATTRIBUTION_MODELS = [
  'first_touch',
  'last_touch',
  'linear',
  'u_shaped',
  'w_shaped',
  'time_decay',
] as const;
export type AttributionModel = (typeof ATTRIBUTION_MODELS)[number];

const isoDate = z.iso.date().meta({ description: 'A UTC calendar day, YYYY-MM-DD (inclusive)' });
export const monthSchema = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month as YYYY-MM')
  .meta({ description: 'A calendar month, YYYY-MM' });

/** The filters every analytics read takes, as fields (for schemas that add their own). */
export const analyticsFilterFields = {
  from: isoDate.optional(),
  to: isoDate.optional(),
  owner: z.string().min(1).max(64).optional().meta({ description: "A user id: the lead's owner" }),
  channel: sourceChannel.optional(),
  campaign: z.string().trim().min(1).max(200).optional().meta({ description: 'A UTM campaign' }),
};

export const fromBeforeTo = (q: { from?: string; to?: string }) => !q.from || !q.to || q.from <= q.to;
export const fromBeforeToIssue = { message: '`from` must not be after `to`', path: ['to'] };

/** The filters every analytics read accepts. */
export const analyticsQuerySchema = z
  .object(analyticsFilterFields)
  .strict()
  .refine(fromBeforeTo, fromBeforeToIssue);
export type AnalyticsQuery = z.infer<typeof analyticsQuerySchema>;

export const attributionQuerySchema = z
  .object({ ...analyticsFilterFields, model: z.enum(ATTRIBUTION_MODELS).default('linear') })
  .strict()
  .refine(fromBeforeTo, fromBeforeToIssue);
export type AttributionQuery = z.infer<typeof attributionQuerySchema>;

const count = z.number().int().min(0);
/** A share 0..1, or null when there is nothing to divide by. */
const rate = z.number().nullable();
const stageCounts = z.object({ new: count, mql: count, sql: count, opportunity: count, won: count });

export const funnelSchema = z
  .object({
    steps: z.array(
      z.object({
        stage: z.enum(FUNNEL_STAGES),
        reached: count,
        /** reached / reached at the previous stage (null for `new`). */
        stepRate: rate,
        /** reached / reached `new`. */
        overallRate: rate,
        /** Median hours from entering the stage to the lead's next stage change (null for `won`). */
        medianHoursInStage: z.number().nullable(),
        /** How many completed stays the median is over. */
        stays: count,
      }),
    ),
    cohorts: z.array(
      z.object({
        month: monthSchema,
        /** The month is not over yet, or the range cuts it: its counts are not a whole month's. */
        partial: z.boolean(),
        reached: stageCounts,
      }),
    ),
  })
  .meta({ id: 'Funnel' });
export type Funnel = z.infer<typeof funnelSchema>;

export const velocitySchema = z
  .object({
    months: z.array(
      z.object({
        month: monthSchema,
        qualified: count,
        /** The month is not over yet, or the range cuts it: its count is not a whole month's. */
        partial: z.boolean(),
        /**
         * (qualified - previous month's) / previous month's; null when the previous month had none,
         * and when this month or the previous one is partial (a part month is no change).
         */
        lvr: rate,
      }),
    ),
  })
  .meta({ id: 'LeadVelocity' });
export type LeadVelocity = z.infer<typeof velocitySchema>;

export const speedToLeadSchema = z
  .object({
    leads: count,
    touched: count,
    untouched: count,
    medianMinutes: z.number().nullable(),
    p90Minutes: z.number().nullable(),
    /** Shares of all leads in the range (untouched leads count as not within). */
    within5m: rate,
    within1h: rate,
    within24h: rate,
    buckets: z.array(
      z.object({
        label: z.string(),
        /** Minutes, lower bound inclusive; null bounds mean open-ended. `untouched` has both null. */
        minMinutes: z.number().nullable(),
        maxMinutes: z.number().nullable(),
        leads: count,
      }),
    ),
  })
  .meta({ id: 'SpeedToLead' });
export type SpeedToLead = z.infer<typeof speedToLeadSchema>;

export const outcomesSchema = z
  .object({
    salesCycle: z.object({ won: count, medianDays: z.number().nullable(), meanDays: z.number().nullable() }),
    winRate: z.object({ won: count, lost: count, rate }),
    pipeline: z.object({
      /** Leads now at an open stage (`new`, `mql`, `sql`, `opportunity`). */
      openLeads: count,
      /** Open pipeline: sum of deal values of leads now at an open stage. */
      value: z.number(),
      /** Weighted pipeline: sum over the same leads of deal value x their stage's probability. */
      weightedValue: z.number(),
      /** Leads now at `opportunity`, and the sum of their deal values. */
      openOpportunities: count,
      opportunityValue: z.number(),
      byStage: z.array(
        z.object({
          stage: z.enum(OPEN_STAGES),
          leads: count,
          value: z.number(),
          probability: z.number(),
          weightedValue: z.number(),
        }),
      ),
    }),
  })
  .meta({ id: 'Outcomes' });
export type Outcomes = z.infer<typeof outcomesSchema>;

const sourceFigures = {
  leads: count,
  mqls: count,
  sqls: count,
  won: count,
  wonValue: z.number(),
  /** Costs entered for the months of the range; null when none was entered. */
  cost: z.number().nullable(),
  costPerLead: z.number().nullable(),
  costPerSql: z.number().nullable(),
  /** (won value - cost) / cost. */
  roi: z.number().nullable(),
};

export const sourcesSchema = z
  .object({
    channels: z.array(z.object({ channel: z.string(), ...sourceFigures })),
    campaigns: z.array(
      z.object({
        channel: z.string(),
        utmSource: z.string().nullable(),
        utmCampaign: z.string().nullable(),
        ...sourceFigures,
      }),
    ),
    total: z.object(sourceFigures),
  })
  .meta({ id: 'Sources' });
export type Sources = z.infer<typeof sourcesSchema>;

export const attributionSchema = z
  .object({
    model: z.enum(ATTRIBUTION_MODELS),
    wonDeals: count,
    /** Sum of the won deals' values, in cents rounded; every credit column sums to it exactly. */
    wonValue: z.number(),
    channels: z.array(z.object({ channel: z.string(), credit: z.number(), share: rate })),
    campaigns: z.array(z.object({ campaign: z.string().nullable(), credit: z.number(), share: rate })),
    rows: z.array(z.object({ channel: z.string(), campaign: z.string().nullable(), credit: z.number() })),
  })
  .meta({ id: 'Attribution' });
export type Attribution = z.infer<typeof attributionSchema>;

export const repActivitySchema = z
  .object({
    reps: z.array(z.object({ userId: z.string().nullable(), name: z.string(), touchpoints: count })),
    rows: z.array(
      z.object({
        /** ISO 8601 week, e.g. 2025-W07. */
        week: z.string(),
        /** The Monday the week starts on (UTC). */
        weekStart: z.string(),
        userId: z.string().nullable(),
        type: z.string(),
        touchpoints: count,
      }),
    ),
  })
  .meta({ id: 'RepActivity' });
export type RepActivity = z.infer<typeof repActivitySchema>;

const probability = z.number().min(0).max(1);
export const stageProbabilitiesSchema = z
  .object({ new: probability, mql: probability, sql: probability, opportunity: probability })
  .strict()
  .meta({ id: 'StageProbabilities' });
export type StageProbabilities = z.infer<typeof stageProbabilitiesSchema>;

export const DEFAULT_STAGE_PROBABILITIES: StageProbabilities = {
  new: 0.02,
  mql: 0.05,
  sql: 0.2,
  opportunity: 0.4,
};

export const sourceCostSchema = z
  .object({
    month: monthSchema,
    channel: sourceChannel,
    /** Omitted (or '') for a cost of the whole channel. */
    utmSource: z.string().trim().max(200).default(''),
    utmCampaign: z.string().trim().max(200).default(''),
    amount: z.number().min(0).max(1e12),
  })
  .strict();
export type SourceCost = z.infer<typeof sourceCostSchema>;

export const sourceCostsPutSchema = z
  .array(sourceCostSchema)
  .max(5000)
  .superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const key = JSON.stringify([item.month, item.channel, item.utmSource, item.utmCampaign]);
      if (seen.has(key)) {
        ctx.addIssue({ code: 'custom', path: [index], message: 'The same month and source appears twice' });
      }
      seen.add(key);
    });
  })
  .meta({ id: 'SourceCostsPut' });

export const sourceCostListSchema = z
  .object({ items: z.array(sourceCostSchema.extend({ updatedAt: z.string() })) })
  .meta({ id: 'SourceCostList' });
export type SourceCostList = z.infer<typeof sourceCostListSchema>;

export const sourceCostQuerySchema = z
  .object({ from: monthSchema.optional(), to: monthSchema.optional(), channel: sourceChannel.optional() })
  .strict();
