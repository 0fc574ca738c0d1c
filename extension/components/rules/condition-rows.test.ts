import { CONDITION_FIELD_KINDS, CONDITION_FIELDS, type Condition, conditionSchema } from '@leadline/shared';
import { describe, expect, it } from 'vitest';
import { choicesFor, conditionErrors, operatorsFor, toCondition, toRow, withField } from './condition-rows';

/** A value the field accepts, as typed in the editor. */
function sample(field: (typeof CONDITION_FIELDS)[number]): string {
  const choices = choicesFor(field);
  if (choices) return choices[0]!;
  const kind = CONDITION_FIELD_KINDS[field];
  return kind === 'number' ? '50' : kind === 'boolean' ? 'true' : 'acme';
}

describe('condition rows', () => {
  it('offer for every field only operators the API accepts, and each converts to a valid condition', () => {
    for (const field of CONDITION_FIELDS) {
      for (const op of operatorsFor(field)) {
        const condition = toCondition({ field, op, value: sample(field), max: '80' });
        const parsed = conditionSchema.safeParse(condition);
        expect(parsed.success, `${field} ${op}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    }
  });

  it('convert typed text by the field’s kind, and read stored conditions back unchanged', () => {
    expect(toCondition({ field: 'companySize', op: 'between', value: ' 50 ', max: '200' })).toEqual({
      field: 'companySize',
      op: 'between',
      min: 50,
      max: 200,
    });
    expect(toCondition({ field: 'country', op: 'in', value: 'DE, AT,, CH ', max: '' })).toEqual({
      field: 'country',
      op: 'in',
      values: ['DE', 'AT', 'CH'],
    });
    expect(toCondition({ field: 'bant.budget', op: 'equals', value: 'false', max: '' })).toEqual({
      field: 'bant.budget',
      op: 'equals',
      value: false,
    });
    // What does not convert goes on as typed, for the API to name.
    expect(toCondition({ field: 'score', op: 'gte', value: 'lots', max: '' })).toEqual({
      field: 'score',
      op: 'gte',
      value: 'lots',
    });
    const stored: Condition[] = [
      { field: 'region', op: 'equals', value: 'DACH' },
      { field: 'title', op: 'containsAny', values: ['vp', 'head of'] },
      { field: 'score', op: 'between', min: 40, max: 90 },
      { field: 'email', op: 'businessEmail' },
    ];
    for (const condition of stored) expect(toCondition(toRow(condition))).toEqual(condition);
  });

  it('keep an operator that still fits when the field changes, and pick one that fits when not', () => {
    const row = { field: 'country' as const, op: 'in' as const, value: 'DE', max: '' };
    expect(withField(row, 'industry').op).toBe('in');
    expect(withField({ ...row, op: 'containsAny' }, 'score').op).toBe('gte');
    expect(withField({ ...row, op: 'gte' }, 'bant.need').op).toBe('equals');
  });

  it('put each of the API’s messages on the row it is about', () => {
    const issues = [
      { path: 'rule.conditions.1.values.0', message: 'region is one of DACH, …' },
      { path: 'rule.conditions', message: 'at most 20' },
      { path: 'rule.stage', message: 'not this one' },
    ];
    expect(conditionErrors(issues, 'rule.conditions')).toEqual([
      { index: 1, message: 'region is one of DACH, …' },
      { index: 0, message: 'at most 20' },
    ]);
  });
});
