import { z } from 'zod';
import {
  analyticsFilterFields,
  FUNNEL_STAGES,
  fromBeforeTo,
  fromBeforeToIssue,
  monthSchema,
} from './analytics';
import { leadStage } from './lead';

/**
 * The dashboard figures whose leads can be listed, each by the same definition as the figure
 * (docs/analytics.md, "The leads behind a figure").
 */
export const ANALYTICS_FIGURES = [
  'funnel',
  'velocity',
  'speed',
  'sources',
  'won',
  'lost',
  'pipeline',
  'activity',
] as const;
export type AnalyticsFigure = (typeof ANALYTICS_FIGURES)[number];

/** The columns of the sources table a lead list can stand behind. */
export const SOURCE_MEASURES = ['leads', 'mqls', 'sqls', 'won'] as const;
export type SourceMeasure = (typeof SOURCE_MEASURES)[number];

/**
 * The speed-to-lead histogram's buckets, minutes from creation to the first outbound touch (lower
 * bound inclusive); the answer adds an `untouched` bucket after them.
 */
export const SPEED_BUCKETS: readonly { label: string; min: number; max: number | null }[] = [
  { label: '< 5 min', min: 0, max: 5 },
  { label: '5–15 min', min: 5, max: 15 },
  { label: '15–60 min', min: 15, max: 60 },
  { label: '1–4 h', min: 60, max: 240 },
  { label: '4–24 h', min: 240, max: 1440 },
  { label: '1–3 days', min: 1440, max: 4320 },
  { label: '3–7 days', min: 4320, max: 10080 },
  { label: '> 7 days', min: 10080, max: null },
];

/** How many buckets the speed-to-lead answer has; the last one (index 8) is "untouched". */
export const SPEED_BUCKET_COUNT = SPEED_BUCKETS.length + 1;

const tag = z.string().trim().max(200);

export const analyticsLeadsQuerySchema = z
  .object({
    ...analyticsFilterFields,
    figure: z.enum(ANALYTICS_FIGURES),
    stage: z
      .enum(FUNNEL_STAGES)
      .optional()
      .meta({ description: 'funnel: reached this stage (default new); pipeline: now at this open stage' }),
    month: monthSchema
      .optional()
      .meta({ description: 'funnel: created in this month (a cohort); velocity: qualified in it' }),
    bucket: z.coerce
      .number()
      .int()
      .min(0)
      .max(SPEED_BUCKET_COUNT - 1)
      .optional()
      .meta({ description: 'speed: the bucket, by its index in the speed-to-lead answer (8: untouched)' }),
    measure: z.enum(SOURCE_MEASURES).optional().meta({ description: 'sources: the column (default leads)' }),
    utmSource: tag.optional().meta({ description: "sources: a campaign row's UTM source ('' for none)" }),
    utmCampaign: tag.optional().meta({ description: "sources: a campaign row's UTM campaign ('' for none)" }),
    type: z.string().trim().min(1).max(64).optional().meta({ description: 'activity: a touchpoint type' }),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().max(200).optional(),
  })
  .strict()
  .refine(fromBeforeTo, fromBeforeToIssue)
  .refine((q) => !(q.figure === 'pipeline' && q.stage === 'won'), {
    message: 'The pipeline has open stages only (new, mql, sql, opportunity)',
    path: ['stage'],
  });
export type AnalyticsLeadsQuery = z.infer<typeof analyticsLeadsQuerySchema>;

export const analyticsLeadSchema = z.object({
  id: z.string(),
  fullName: z.string().nullable(),
  title: z.string().nullable(),
  company: z.string().nullable(),
  email: z.string().nullable(),
  stage: leadStage,
  sourceChannel: z.string(),
  utmSource: z.string().nullable(),
  utmCampaign: z.string().nullable(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  dealValue: z.number().nullable(),
  createdAt: z.string(),
  /** activity: how many of the figure's touchpoints are on this lead; null for other figures. */
  touchpoints: z.number().int().nullable(),
});
export type AnalyticsLead = z.infer<typeof analyticsLeadSchema>;

export const analyticsLeadListSchema = z
  .object({
    /** How many leads stand behind the figure (every page): the figure's count. */
    total: z.number().int().min(0),
    /** activity: the figure's touchpoints summed over every page; null for other figures. */
    touchpoints: z.number().int().nullable(),
    items: z.array(analyticsLeadSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'AnalyticsLeadList' });
export type AnalyticsLeadList = z.infer<typeof analyticsLeadListSchema>;
