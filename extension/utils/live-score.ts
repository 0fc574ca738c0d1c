import {
  engagementAt,
  type ScorableTouchpoint,
  type ScoringModel,
  scoreFromHistory,
  type TouchpointType,
  touchpointPointsOf,
} from '@leadline/shared';

/** A touchpoint waiting in the outbox: stamped at the click unless the rep gave its time. */
export interface QueuedTouch {
  type: TouchpointType;
  occurredAt?: string;
  queuedAt: number;
}

/** The lead's history as the API will hold it once the outbox has sent what waits in it. */
export function optimisticHistory(
  stored: readonly { type: string; occurredAt: string }[],
  queued: readonly QueuedTouch[],
): ScorableTouchpoint[] {
  return [
    ...stored.map((touch) => ({ type: touch.type as TouchpointType, occurredAt: touch.occurredAt })),
    ...queued.map((touch) => ({ type: touch.type, occurredAt: touch.occurredAt ?? touch.queuedAt })),
  ];
}

/**
 * What the panel shows at `atMs`: the score the API will answer once queued touchpoints arrive
 * (SCORING.md's formulas from `@leadline/shared`, over the whole history), the engagement behind
 * it, and how much engagement has decayed since the last touch.
 */
export function liveScore(
  fit: number,
  history: readonly ScorableTouchpoint[],
  model: ScoringModel,
  atMs: number,
  lastTouchMs: number | null,
) {
  const { score, engagement } = scoreFromHistory(fit, history, model, atMs);
  const atLastTouch =
    lastTouchMs === null
      ? 0
      : engagementAt(
          history.map((touch) => ({
            points: touchpointPointsOf(model, touch.type),
            occurredAt: touch.occurredAt,
          })),
          lastTouchMs,
          model.halfLifeDays,
        );
  return { score, engagement, decayedSinceTouch: Math.max(0, atLastTouch - engagement) };
}
