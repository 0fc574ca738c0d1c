import {
  CONDITION_FIELD_KINDS,
  CONDITION_FIELDS,
  type Condition,
  type ConditionField,
  GRADES,
  LEAD_STAGES,
  REGION_NAMES,
  SENIORITIES,
} from '@leadline/shared';

/**
 * A condition as the editor holds it: the field, the operator and what the manager typed, so a half
 * typed value survives until it is saved. `toCondition` turns a row into the wire form the API
 * checks; `toRow` reads a stored condition back.
 */
export interface ConditionRow {
  field: ConditionField;
  op: Condition['op'];
  /** The value, or the values separated by commas (`in`, `containsAny`), or the lower bound (`between`). */
  value: string;
  /** The upper bound of `between`. */
  max: string;
}

type Kind = 'string' | 'number' | 'boolean';

/** The operators that fit a field's kind, as the API's `conditionSchema` allows them. */
export function operatorsFor(field: ConditionField): Condition['op'][] {
  const kind: Kind = CONDITION_FIELD_KINDS[field];
  if (kind === 'number') return ['gte', 'lte', 'between', 'equals', 'in', 'exists'];
  if (kind === 'boolean') return ['equals', 'exists'];
  return field === 'email'
    ? ['equals', 'in', 'containsAny', 'exists', 'businessEmail']
    : ['equals', 'in', 'containsAny', 'exists'];
}

export const OPERATOR_LABELS: Readonly<Record<Condition['op'], string>> = {
  equals: 'is',
  in: 'is one of',
  containsAny: 'contains any of',
  exists: 'is filled in',
  gte: 'is at least',
  lte: 'is at most',
  between: 'is between',
  businessEmail: 'is a business address',
};

/** The values a field can hold, where there is a fixed list (the API refuses others). */
export function choicesFor(field: ConditionField): readonly string[] | null {
  const known: Partial<Record<ConditionField, readonly string[]>> = {
    stage: LEAD_STAGES,
    grade: GRADES,
    region: REGION_NAMES,
    seniority: SENIORITIES,
  };
  return known[field] ?? null;
}

export const FIELDS: readonly ConditionField[] = CONDITION_FIELDS;

export function blankRow(field: ConditionField = 'country'): ConditionRow {
  return { field, op: operatorsFor(field)[0]!, value: '', max: '' };
}

/** A row with another field: the operator kept when it still fits, the value kept too. */
export function withField(row: ConditionRow, field: ConditionField): ConditionRow {
  const ops = operatorsFor(field);
  return { ...row, field, op: ops.includes(row.op) ? row.op : ops[0]! };
}

const list = (text: string) =>
  text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);

function scalar(kind: Kind, text: string): string | number | boolean {
  const trimmed = text.trim();
  if (kind === 'boolean') return trimmed === 'true';
  if (kind === 'number' && trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return trimmed;
}

/**
 * The wire form of a row. Values are converted by the field's kind (a number field's "50" is 50);
 * what does not convert is passed on as typed, so the API's 422 names it at its path.
 */
export function toCondition(row: ConditionRow): Condition {
  const kind: Kind = CONDITION_FIELD_KINDS[row.field];
  const { field, op } = row;
  switch (op) {
    case 'exists':
    case 'businessEmail':
      return { field, op } as Condition;
    case 'in':
      return { field, op, values: list(row.value).map((v) => scalar(kind, v)) } as Condition;
    case 'containsAny':
      return { field, op, values: list(row.value) } as Condition;
    case 'between':
      return { field, op, min: scalar('number', row.value), max: scalar('number', row.max) } as Condition;
    case 'gte':
    case 'lte':
      return { field, op, value: scalar('number', row.value) } as Condition;
    default:
      return { field, op, value: scalar(kind, row.value) } as Condition;
  }
}

/** A stored condition as an editor row. */
export function toRow(condition: Condition): ConditionRow {
  const base = { field: condition.field, op: condition.op, value: '', max: '' };
  switch (condition.op) {
    case 'in':
    case 'containsAny':
      return { ...base, value: condition.values.join(', ') };
    case 'between':
      return { ...base, value: String(condition.min), max: String(condition.max) };
    case 'equals':
    case 'gte':
    case 'lte':
      return { ...base, value: String(condition.value) };
    default:
      return base;
  }
}

/**
 * The messages about conditions among a form's issues (paths like `rule.conditions.2.values.0`),
 * by the row they are about; one about the list itself goes to its first row.
 */
export function conditionErrors(
  issues: readonly { path: string; message: string }[],
  prefix: string,
): { index: number; message: string }[] {
  return issues
    .filter((issue) => issue.path === prefix || issue.path.startsWith(`${prefix}.`))
    .map((issue) => ({
      index: Number(issue.path.slice(prefix.length + 1).split('.')[0] || 0),
      message: issue.message,
    }));
}
