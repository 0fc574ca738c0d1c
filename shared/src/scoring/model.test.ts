import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TOUCHPOINT_TYPES } from '../touchpoint-types';
import { DEFAULT_SCORING_MODEL } from './default-model';
import { FIT_FIELDS, type ScoringModel, scoringModelSchema } from './model';

// The model's formulas are part of the product: the default model must be the one its doc shows.
const SCORING_MD = fileURLToPath(new URL('../../../docs/scoring.md', import.meta.url));

/** A mutable deep copy of the default model to break in one place. */
function model(): ScoringModel {
  return structuredClone(DEFAULT_SCORING_MODEL);
}

function issues(input: unknown) {
  const result = scoringModelSchema.safeParse(input);
  expect(result.success).toBe(false);
  return (result.error?.issues ?? []).map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
  }));
}

describe('DEFAULT_SCORING_MODEL', () => {
  it('is valid', () => {
    expect(scoringModelSchema.parse(DEFAULT_SCORING_MODEL)).toEqual(DEFAULT_SCORING_MODEL);
  });

  it('is exactly the document in docs/scoring.md', () => {
    const markdown = readFileSync(SCORING_MD, 'utf8');
    const json = /```json\n([\s\S]*?)\n```/.exec(markdown)?.[1];
    expect(json).toBeDefined();
    expect(DEFAULT_SCORING_MODEL).toEqual(JSON.parse(json ?? 'null'));
  });

  it('is frozen so no caller can change everyone else scores', () => {
    expect(Object.isFrozen(DEFAULT_SCORING_MODEL.fitRules[0])).toBe(true);
    expect(Object.isFrozen(DEFAULT_SCORING_MODEL.touchpointPoints)).toBe(true);
  });
});

describe('scoringModelSchema', () => {
  it('reads a stored model without engagementCurve as `cap`, so it keeps its meaning', () => {
    const { engagementCurve: _, ...stored } = model();
    expect(scoringModelSchema.parse(stored).engagementCurve).toEqual({ kind: 'cap' });
  });

  it.each([
    [{ kind: 'saturating' }, 'engagementCurve.halfAt'],
    [{ kind: 'saturating', halfAt: 0 }, 'engagementCurve.halfAt'],
    [{ kind: 'saturating', halfAt: 50, cap: 100 }, 'engagementCurve'],
    [{ kind: 'log' }, 'engagementCurve.kind'],
  ])('refuses the engagement curve %j, naming %s', (engagementCurve, path) => {
    expect(issues({ ...model(), engagementCurve })[0]?.path).toBe(path);
  });

  it('accepts halfLifeDays null (no decay) and weights off by float noise', () => {
    const doc = { ...model(), halfLifeDays: null, weights: { fit: 0.1 + 0.2, engagement: 0.7 } };
    expect(scoringModelSchema.safeParse(doc).success).toBe(true);
  });

  it.each([0, -1, 'thirty', 0.01])('refuses halfLifeDays %j, naming it', (halfLifeDays) => {
    expect(issues({ ...model(), halfLifeDays })[0]?.path).toBe('halfLifeDays');
  });

  it('refuses weights that do not sum to 1, naming weights', () => {
    const found = issues({ ...model(), weights: { fit: 0.5, engagement: 0.6 } });
    expect(found).toEqual([{ path: 'weights', message: 'weights.fit + weights.engagement must sum to 1' }]);
  });

  it('refuses thresholds out of range and an unknown grade', () => {
    const found = issues({ ...model(), thresholds: { mql: -1, sql: 101, sqlMinGrade: 'E' } });
    expect(found.map((issue) => issue.path)).toEqual([
      'thresholds.mql',
      'thresholds.sql',
      'thresholds.sqlMinGrade',
    ]);
    expect(found[2]?.message).toContain('A, B, C, D, F');
  });

  it('refuses a missing touchpoint type, naming it', () => {
    const doc = model();
    const { page_visit: _dropped, ...rest } = doc.touchpointPoints;
    const found = issues({ ...doc, touchpointPoints: rest });
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe('touchpointPoints.page_visit');
    expect(found[0]?.message).toContain('touchpointPoints.page_visit is missing');
  });

  it('refuses an unknown touchpoint type, naming it and the known ones', () => {
    const doc = model();
    const found = issues({ ...doc, touchpointPoints: { ...doc.touchpointPoints, webinar_attended: 5 } });
    expect(found).toHaveLength(1);
    expect(found[0]?.path).toBe('touchpointPoints');
    expect(found[0]?.message).toContain('webinar_attended');
    expect(found[0]?.message).toContain(TOUCHPOINT_TYPES.join(', '));
  });

  it('refuses unknown top-level keys (a misspelt key is not silently ignored)', () => {
    const found = issues({ ...model(), halfLifeDay: 7 });
    expect(found[0]?.message).toContain('halfLifeDay');
  });

  it('refuses a rule on a field outside the whitelist, naming the field', () => {
    const doc = model();
    doc.fitRules.push({ id: 'x', field: 'salary' as never, op: 'exists', points: 1 });
    const found = issues(doc);
    expect(found[0]?.path).toBe('fitRules.9.field');
    expect(found[0]?.message).toContain('"salary"');
    expect(found[0]?.message).toContain(FIT_FIELDS.join(', '));
  });

  it('refuses an unknown operator, naming it', () => {
    const doc = model();
    (doc.fitRules as unknown[]).push({ id: 'x', field: 'title', op: 'regex', value: '.*', points: 1 });
    const found = issues(doc);
    expect(found[0]?.path).toBe('fitRules.9.op');
    expect(found[0]?.message).toContain('"regex"');
  });

  it('refuses duplicate rule ids, naming the id and both places', () => {
    const doc = model();
    doc.fitRules.push({ id: 'has-phone', field: 'email', op: 'exists', points: 1 });
    const found = issues(doc);
    expect(found).toEqual([
      {
        path: 'fitRules.9.id',
        message: 'fitRules[9] (has-phone): duplicate rule id "has-phone", already used by fitRules[3]',
      },
    ]);
  });

  it('refuses operators on fields they cannot read', () => {
    const doc = model();
    doc.fitRules = [
      { id: 'a', field: 'title', op: 'between', min: 1, max: 2, points: 1 },
      { id: 'b', field: 'companySize', op: 'containsAny', values: ['big'], points: 1 },
      { id: 'c', field: 'companyDomain', op: 'businessEmail', points: 1 },
      { id: 'd', field: 'bant.budget', op: 'equals', value: 'yes', points: 1 },
      { id: 'e', field: 'country', op: 'in', values: ['DE', 49], points: 1 },
      { id: 'f', field: 'bant.need', op: 'in', values: ['true'], points: 1 },
    ];
    expect(issues(doc).map((issue) => issue.path)).toEqual([
      'fitRules.0.field',
      'fitRules.1.field',
      'fitRules.2.field',
      'fitRules.3.value',
      'fitRules.4.values.1',
      'fitRules.5.field',
    ]);
  });

  it('refuses between with min above max, empty value lists and word lists with no words', () => {
    const doc = model();
    doc.fitRules = [
      { id: 'a', field: 'companySize', op: 'between', min: 10, max: 1, points: 1 },
      { id: 'b', field: 'country', op: 'in', values: [], points: 1 },
      { id: 'c', field: 'title', op: 'containsAny', values: ['--'], points: 1 },
    ];
    expect(issues(doc).map((issue) => issue.path)).toEqual([
      'fitRules.0.max',
      'fitRules.1.values',
      'fitRules.2.values.0',
    ]);
  });

  it('accepts every operator on a field it can read', () => {
    const doc = model();
    doc.fitRules = [
      { id: 'eq', field: 'country', op: 'equals', value: 'DE', points: 1 },
      { id: 'in', field: 'source.channel', op: 'in', values: ['linkedin', 'referral'], points: 1 },
      { id: 'ca', field: 'industry', op: 'containsAny', values: ['software', 'saas'], points: 1 },
      { id: 'ex', field: 'bant.need', op: 'exists', points: 1 },
      { id: 'ge', field: 'dealValue', op: 'gte', value: 10_000, points: 1 },
      { id: 'le', field: 'bant.timelineMonths', op: 'lte', value: 3, points: 1 },
      { id: 'bw', field: 'companySize', op: 'between', min: 1, max: 1, points: -5 },
      { id: 'be', field: 'email', op: 'businessEmail', points: 1 },
    ];
    expect(scoringModelSchema.safeParse(doc).success).toBe(true);
  });
});
