import type { TouchpointType } from '../touchpoint-types';
import { engagementCurveValue } from './curve';
import { decayedPoints, engagementAt } from './engagement';
import { evaluateFit, type FitMatch, type ScorableLead } from './fit';
import { type Grade, gradeFromFit } from './grade';
import type { ScoringModel } from './model';
import { roundTo } from './round';
import { halfLifeMs, type TimeInput, toEpochMs } from './time';

/** What the score formula reads from a model. */
export type ScoreFormula = Pick<ScoringModel, 'weights' | 'engagementCurve'>;

/**
 * The unrounded score of SCORING.md, `weights.fit * fit + weights.engagement * curve(engagement)`:
 * what ranking orders by, so two leads that both show 83 still come in their true order.
 *
 * @example
 * rawScore({ fit: 60, engagement: 50 }, DEFAULT_SCORING_MODEL); // 55 (curve(50) = 50)
 */
export function rawScore(parts: { fit: number; engagement: number }, model: ScoreFormula): number {
  return (
    model.weights.fit * parts.fit +
    model.weights.engagement * engagementCurveValue(parts.engagement, model.engagementCurve)
  );
}

/**
 * The score of SCORING.md: {@link rawScore} rounded. The weighted sum is first cut to 9 decimals, so
 * float noise (`0.7 * 45` is 31.499999999999996) never decides which way a .5 rounds; Math.round
 * then takes .5 up.
 *
 * @example
 * computeScore({ fit: 60, engagement: 100 }, DEFAULT_SCORING_MODEL); // 68 (30 + 0.5 * 75 = 67.5)
 * computeScore({ fit: 59, engagement: 250 }, { ...DEFAULT_SCORING_MODEL, engagementCurve: { kind: 'cap' } }); // 80
 */
export function computeScore(parts: { fit: number; engagement: number }, model: ScoreFormula): number {
  return Math.round(roundTo(rawScore(parts, model), 9));
}

/** A touchpoint to score: its type (points come from the model) and when it happened. */
export interface ScorableTouchpoint {
  id?: string;
  type: TouchpointType;
  occurredAt: TimeInput;
}

/** One touchpoint of the breakdown: what it was worth and what it still adds at `at`. */
export interface TouchpointContribution {
  id?: string;
  type: TouchpointType;
  /** ISO 8601 UTC. */
  occurredAt: string;
  points: number;
  /** What it adds at `at`, two decimals (negative for an unsubscribe or a bounce). */
  pointsNow: number;
}

export interface LeadScore {
  score: number;
  fit: number;
  /** Engagement at `at`, two decimals. `score` is computed from the unrounded value. */
  engagement: number;
  grade: Grade;
  breakdown: {
    fitRules: FitMatch[];
    /** Touchpoints still contributing at `at`, most recent first. */
    touchpoints: TouchpointContribution[];
  };
}

/**
 * Below this a touchpoint no longer shows in the breakdown: it would display as 0.00, like the
 * two-decimal engagement it no longer moves.
 */
export const CONTRIBUTION_CUTOFF = 0.005;

/**
 * Points of a touchpoint type in a model. Throws on a type outside the table: the API refuses those
 * with a 422 before scoring, so reaching here is a bug, not bad input.
 *
 * @example
 * touchpointPointsOf(DEFAULT_SCORING_MODEL, 'meeting_held'); // 30
 */
export function touchpointPointsOf(
  model: Pick<ScoringModel, 'touchpointPoints'>,
  type: TouchpointType,
): number {
  const points = model.touchpointPoints[type];
  if (typeof points !== 'number')
    throw new TypeError(`No points for touchpoint type ${JSON.stringify(type)}`);
  return points;
}

/**
 * Score, fit, engagement, grade and the "why" of one lead at `at`, straight from its fields and
 * touchpoints (the brute-force reference; the server's ranking keys must agree with it). The
 * breakdown lists every matched fit rule, and every touchpoint with `occurredAt <= at` whose decayed
 * points are still at least {@link CONTRIBUTION_CUTOFF} in size (zero-point types such as `note`
 * never show).
 *
 * @example
 * scoreLead({ title: 'VP Sales', email: 'ana@acme.io' },
 *   [{ type: 'demo_requested', occurredAt: '2026-01-01T00:00:00Z' }],
 *   DEFAULT_SCORING_MODEL, '2026-01-31T00:00:00Z');
 * // { score: 33, fit: 45, engagement: 20, grade: 'C', breakdown: { fitRules: [...],
 * //   touchpoints: [{ type: 'demo_requested', occurredAt: '2026-01-01T00:00:00.000Z', points: 40, pointsNow: 20 }] } }
 */
export function scoreLead(
  lead: ScorableLead,
  touchpoints: readonly ScorableTouchpoint[],
  model: ScoringModel,
  at: TimeInput,
): LeadScore {
  const atMs = toEpochMs(at);
  const halfLife = halfLifeMs(model.halfLifeDays);
  const { fit, matched } = evaluateFit(lead, model);

  const weighted = touchpoints.map((touchpoint) => ({
    touchpoint,
    occurredAtMs: toEpochMs(touchpoint.occurredAt),
    points: touchpointPointsOf(model, touchpoint.type),
  }));
  const engagement = engagementAt(
    weighted.map(({ points, occurredAtMs }) => ({ points, occurredAt: occurredAtMs })),
    atMs,
    model.halfLifeDays,
  );

  const contributions = weighted
    .map(({ touchpoint, occurredAtMs, points }) => ({
      occurredAtMs,
      contribution: contributionOf(
        touchpoint,
        occurredAtMs,
        points,
        decayedPoints(points, occurredAtMs, atMs, halfLife),
      ),
    }))
    .filter(
      ({ occurredAtMs, contribution }) =>
        occurredAtMs <= atMs && Math.abs(contribution.pointsNow) >= CONTRIBUTION_CUTOFF,
    )
    .sort((a, b) => b.occurredAtMs - a.occurredAtMs)
    .map(({ contribution }) => contribution);

  return {
    score: computeScore({ fit, engagement }, model),
    fit,
    engagement: roundTo(engagement, 2),
    grade: gradeFromFit(fit),
    breakdown: { fitRules: matched, touchpoints: contributions },
  };
}

function contributionOf(
  touchpoint: ScorableTouchpoint,
  occurredAtMs: number,
  points: number,
  pointsNow: number,
): TouchpointContribution {
  return {
    ...(touchpoint.id === undefined ? {} : { id: touchpoint.id }),
    type: touchpoint.type,
    occurredAt: new Date(occurredAtMs).toISOString(),
    points,
    pointsNow: roundTo(pointsNow, 2),
  };
}

/**
 * Score and unrounded engagement at `at` of a lead whose fit is known, from its whole touchpoint
 * history: what the side panel shows while touchpoints wait in the outbox (the stored history plus
 * the queued ones), and what the API answers once they arrive.
 *
 * @example
 * scoreFromHistory(65, [{ type: 'demo_requested', occurredAt: '2026-01-01T00:00:00Z' }],
 *   DEFAULT_SCORING_MODEL, '2026-01-01T00:00:00Z'); // { score: 53, engagement: 40 }
 */
export function scoreFromHistory(
  fit: number,
  touchpoints: readonly ScorableTouchpoint[],
  model: ScoringModel,
  at: TimeInput,
): { score: number; engagement: number } {
  const engagement = engagementAt(
    touchpoints.map((touchpoint) => ({
      points: touchpointPointsOf(model, touchpoint.type),
      occurredAt: touchpoint.occurredAt,
    })),
    at,
    model.halfLifeDays,
  );
  return { score: computeScore({ fit, engagement }, model), engagement };
}
