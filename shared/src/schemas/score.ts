import { z } from 'zod';
import { TOUCHPOINT_TYPES } from '../touchpoint-types';
import { isoDateTime } from './common';
import { leadSchema, leadStage } from './lead';

export const nextStepSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    reason: z.string(),
    /** 1 = now, 2 = today, 3 = this week, 4 = when there is time. */
    priority: z.number().int().min(1).max(4),
    suggestedTouchpoint: z.enum(TOUCHPOINT_TYPES).nullable(),
  })
  .meta({ id: 'NextStep' });

/** SCORING.md's score response: the score at `at`, why, and what to do next. */
export const scoreResponseSchema = z
  .object({
    score: z.number().int(),
    fit: z.number(),
    engagement: z.number(),
    grade: z.enum(['A', 'B', 'C', 'D', 'F']),
    stage: leadStage,
    modelVersion: z.number().int(),
    at: isoDateTime,
    breakdown: z.object({
      fitRules: z.array(z.object({ ruleId: z.string(), field: z.string(), points: z.number() })),
      touchpoints: z.array(
        z.object({
          id: z.string().optional(),
          type: z.enum(TOUCHPOINT_TYPES),
          occurredAt: isoDateTime,
          points: z.number(),
          pointsNow: z.number(),
        }),
      ),
    }),
    nextSteps: z.array(nextStepSchema),
  })
  .meta({ id: 'Score' });
export type ScoreResponse = z.infer<typeof scoreResponseSchema>;

export const leadDetailSchema = leadSchema
  .extend({ scoring: scoreResponseSchema })
  .meta({ id: 'LeadDetail' });
export type LeadDetail = z.infer<typeof leadDetailSchema>;

export const scoreQuerySchema = z.object({
  at: isoDateTime.optional().meta({ description: 'The moment to score at (ISO 8601); default now' }),
});
