import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEAD_STAGES, type LeadStage } from '../schemas/lead';
import { DEFAULT_SCORING_MODEL } from './default-model';
import { GRADES } from './grade';
import { nextAutomaticStage } from './stages';

const model = DEFAULT_SCORING_MODEL; // mql 50, sql 75, sqlMinGrade B

describe('nextAutomaticStage', () => {
  it.each([
    ['new', 49, 'A', 'new'],
    ['new', 50, 'F', 'mql'],
    ['new', 74, 'A', 'mql'],
    ['new', 75, 'B', 'sql'], // straight from new to sql
    ['new', 75, 'C', 'mql'], // score enough, grade not
    ['mql', 75, 'A', 'sql'],
    ['mql', 99, 'C', 'mql'],
    ['mql', 10, 'F', 'mql'], // never back to new
    ['sql', 0, 'F', 'sql'], // never back to mql
    ['opportunity', 100, 'A', 'opportunity'],
    ['won', 0, 'F', 'won'],
    ['lost', 100, 'A', 'lost'],
    ['nurture', 100, 'A', 'nurture'],
    ['disqualified', 100, 'A', 'disqualified'],
  ] as const)('%s with score %d and grade %s -> %s', (stage, score, grade, expected) => {
    expect(nextAutomaticStage(stage, score, grade, model)).toBe(expected);
  });

  it('never moves backwards, never leaves a hand-set stage, and is idempotent (property)', () => {
    const funnel: readonly LeadStage[] = ['new', 'mql', 'sql'];
    fc.assert(
      fc.property(
        fc.constantFrom(...LEAD_STAGES),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom(...GRADES),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom(...GRADES),
        (stage, score, grade, mql, sql, sqlMinGrade) => {
          const custom = { thresholds: { mql, sql, sqlMinGrade } };
          const next = nextAutomaticStage(stage, score, grade, custom);
          if (funnel.includes(stage)) {
            expect(funnel.indexOf(next)).toBeGreaterThanOrEqual(funnel.indexOf(stage));
          } else {
            expect(next).toBe(stage);
          }
          expect(nextAutomaticStage(next, score, grade, custom)).toBe(next);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
