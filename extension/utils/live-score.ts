import type { ScoringModel, TouchpointType } from '@leadline/shared';

const DAY_MS = 86_400_000;

export interface ScoreSnapshot {
  fit: number;
  engagement: number;
  /** When `engagement` was true (epoch ms). */
  at: number;
}

type ModelParts = Pick<ScoringModel, 'halfLifeDays' | 'weights' | 'touchpointPoints'>;

/** SCORING.md's decay applied to a known engagement: the panel ticks it down between server reads. */
export function engagementAt(snapshot: ScoreSnapshot, model: ModelParts, atMs: number): number {
  if (model.halfLifeDays === null) return snapshot.engagement;
  return snapshot.engagement * 2 ** (-(atMs - snapshot.at) / (model.halfLifeDays * DAY_MS));
}

/** SCORING.md's score from fit and engagement. */
export function scoreOf(fit: number, engagement: number, model: ModelParts): number {
  return Math.round(
    model.weights.fit * fit + model.weights.engagement * Math.min(Math.max(engagement, 0), 100),
  );
}

/**
 * The score the rep will see once queued touchpoints reach the API: each adds its points, decayed
 * from when it happened (the optimistic result shown while offline).
 */
export function optimisticEngagement(
  snapshot: ScoreSnapshot,
  pending: readonly { type: TouchpointType; occurredAt?: string; queuedAt: number }[],
  model: ModelParts,
  atMs: number,
): number {
  let engagement = engagementAt(snapshot, model, atMs);
  for (const touch of pending) {
    const when = touch.occurredAt ? Date.parse(touch.occurredAt) : touch.queuedAt;
    if (when > atMs) continue;
    const points = model.touchpointPoints[touch.type] ?? 0;
    engagement +=
      model.halfLifeDays === null ? points : points * 2 ** (-(atMs - when) / (model.halfLifeDays * DAY_MS));
  }
  return Math.max(0, engagement);
}
