import { computeScore, engagementFromKey, gradeFromFit, rawScore } from '@leadline/shared';
import type { LeadRow, LeadScore } from '../db/lead-row';
import type { ActiveModel } from './model.service';

/** Raw (unrounded) score: what ranking compares, so ties in the rounded score order consistently. */
export function rawScoreAt(fit: number, key: number | null, model: ActiveModel, atMs: number): number {
  const engagement = engagementFromKey(key, atMs, model.landmarkMs, model.halfLifeMs);
  return rawScore({ fit, engagement }, model.document);
}

/**
 * The live score of a stored lead at `atMs` from its fit and forward-decay key: exact for any
 * moment at or after its last folded touchpoint and before its pending one (`liveScores` in
 * `live-scores.ts` covers leads whose pending touchpoint has come due).
 */
export function liveScore(
  row: Pick<LeadRow, 'fit' | 'engagementKey'>,
  model: ActiveModel,
  atMs: number,
): LeadScore {
  const engagement = engagementFromKey(row.engagementKey, atMs, model.landmarkMs, model.halfLifeMs);
  return {
    score: computeScore({ fit: row.fit, engagement }, model.document),
    fit: row.fit,
    engagement: Math.round(engagement * 100) / 100,
    grade: gradeFromFit(row.fit),
  };
}
