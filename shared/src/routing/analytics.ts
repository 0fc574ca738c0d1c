import { z } from 'zod';
import { id } from '../schemas/common';

/** The range of `GET /api/analytics/routing`: assignments made from `from` to `to` (UTC days, inclusive). */
export const routingAnalyticsQuerySchema = z
  .object({
    from: z.iso.date().optional().meta({ description: 'Assignments made from this UTC day on' }),
    to: z.iso.date().optional().meta({ description: 'to this UTC day (inclusive)' }),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, {
    message: '`from` must not be after `to`',
    path: ['to'],
  });
export type RoutingAnalyticsQuery = z.infer<typeof routingAnalyticsQuerySchema>;

/** One rep's routing figures over the range (docs/analytics.md, "Routing"). */
export const routingRepSchema = z.object({
  userId: id,
  name: z.string(),
  /** Leads a team's rules gave them in the range (assignments with a team). */
  assigned: z.number().int(),
  /** Their weighted share of those teams' assignments in the range, by the teams' current weights. */
  share: z.number(),
  /** `assigned - share`: above zero, more than their share. */
  overShare: z.number(),
  /** Every assignment to them in the range, whatever placed it (rules, account, capture, by hand). */
  assignedAny: z.number().int(),
  /** Their assignments whose SLA they missed, breached in the range. */
  slaBreaches: z.number().int(),
  /** Of `assignedAny`: how many got an outbound touch while theirs. */
  touched: z.number().int(),
  /** Median wall-clock minutes from an assignment to the lead's first outbound touch while theirs. */
  medianMinutesToFirstTouch: z.number().nullable(),
});
export type RoutingRep = z.infer<typeof routingRepSchema>;

export const routingAnalyticsSchema = z
  .object({ reps: z.array(routingRepSchema) })
  .meta({ id: 'RoutingAnalytics' });
export type RoutingAnalytics = z.infer<typeof routingAnalyticsSchema>;
