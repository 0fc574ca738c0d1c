import type { LeadStage } from '../schemas/lead';
import { type Grade, gradeAtLeast } from './grade';
import type { ScoringModel } from './model';

/** Stages the score moves a lead out of. Everything else (opportunity, won, lost, nurture, disqualified) is set by hand. */
export const AUTOMATIC_STAGES: readonly LeadStage[] = ['new', 'mql', 'sql'];

/**
 * The stage a write moves a lead to: `new -> mql` when `score >= thresholds.mql`; `new`/`mql -> sql`
 * when `score >= thresholds.sql` and the grade is at least `thresholds.sqlMinGrade` (a lead at `new`
 * can jump straight to `sql`). Never backwards: a decayed score leaves the stage where it is (the
 * decay becomes a next-step prompt instead), and stages set by hand are never left automatically.
 *
 * @example
 * nextAutomaticStage('new', 80, 'A', DEFAULT_SCORING_MODEL); // 'sql'
 * nextAutomaticStage('new', 60, 'C', DEFAULT_SCORING_MODEL); // 'mql'
 * nextAutomaticStage('sql', 10, 'F', DEFAULT_SCORING_MODEL); // 'sql' (never backwards)
 * nextAutomaticStage('lost', 99, 'A', DEFAULT_SCORING_MODEL); // 'lost' (set by hand)
 */
export function nextAutomaticStage(
  currentStage: LeadStage,
  score: number,
  grade: Grade,
  model: Pick<ScoringModel, 'thresholds'>,
): LeadStage {
  const { mql, sql, sqlMinGrade } = model.thresholds;
  if (currentStage !== 'new' && currentStage !== 'mql') return currentStage;
  if (score >= sql && gradeAtLeast(grade, sqlMinGrade)) return 'sql';
  if (currentStage === 'new' && score >= mql) return 'mql';
  return currentStage;
}
