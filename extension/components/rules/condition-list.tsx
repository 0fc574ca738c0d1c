import { fieldLabel } from '@leadline/shared';
import { useId } from 'react';
import {
  blankRow,
  type ConditionRow,
  choicesFor,
  FIELDS,
  OPERATOR_LABELS,
  operatorsFor,
  withField,
} from './condition-rows';

const EXTRA_LABELS: Record<string, string> = {
  region: 'Region',
  seniority: 'Seniority',
  score: 'Score',
  fit: 'Fit',
  grade: 'Grade',
  stage: 'Stage',
};
const labelOf = (field: string) => EXTRA_LABELS[field] ?? fieldLabel(field);

/**
 * Conditions on a lead's fields, a row each ("Country is one of DE, AT, CH"): the same vocabulary
 * for cadence rules and routing rules. `errors` are the API's or the schema's messages by row.
 */
export function ConditionList({
  rows,
  onChange,
  errors = [],
  label = 'Conditions',
}: {
  rows: ConditionRow[];
  onChange(rows: ConditionRow[]): void;
  errors?: { index: number; message: string }[];
  label?: string;
}) {
  const id = useId();
  const set = (index: number, row: ConditionRow) => onChange(rows.map((r, i) => (i === index ? row : r)));
  return (
    <fieldset className="conditions" aria-label={label}>
      <legend>{label}</legend>
      {rows.length === 0 && <p className="hint">None: every lead matches.</p>}
      {rows.map((row, index) => {
        const choices = choicesFor(row.field);
        const rowErrors = errors.filter((e) => e.index === index);
        const needsValue = row.op !== 'exists' && row.op !== 'businessEmail';
        const key = `${id}-${index}`;
        return (
          <div className="condition" key={index} data-testid="condition">
            <select
              aria-label={`Field of condition ${index + 1}`}
              value={row.field}
              onChange={(e) => set(index, withField(row, e.target.value as ConditionRow['field']))}
            >
              {FIELDS.map((field) => (
                <option key={field} value={field}>
                  {labelOf(field)}
                </option>
              ))}
            </select>
            <select
              aria-label={`Operator of condition ${index + 1}`}
              value={row.op}
              onChange={(e) => set(index, { ...row, op: e.target.value as ConditionRow['op'] })}
            >
              {operatorsFor(row.field).map((op) => (
                <option key={op} value={op}>
                  {OPERATOR_LABELS[op]}
                </option>
              ))}
            </select>
            {needsValue &&
            row.op === 'equals' &&
            row.field.startsWith('bant.') &&
            !row.field.endsWith('Months') ? (
              <select
                aria-label={`Value of condition ${index + 1}`}
                value={row.value || 'true'}
                onChange={(e) => set(index, { ...row, value: e.target.value })}
              >
                <option value="true">yes</option>
                <option value="false">no</option>
              </select>
            ) : (
              needsValue && (
                <input
                  aria-label={`Value of condition ${index + 1}`}
                  list={choices ? `${key}-choices` : undefined}
                  value={row.value}
                  placeholder={
                    row.op === 'in' || row.op === 'containsAny'
                      ? 'values, separated by commas'
                      : row.op === 'between'
                        ? 'from'
                        : 'value'
                  }
                  onChange={(e) => set(index, { ...row, value: e.target.value })}
                />
              )
            )}
            {row.op === 'between' && (
              <input
                aria-label={`Upper bound of condition ${index + 1}`}
                value={row.max}
                placeholder="to"
                onChange={(e) => set(index, { ...row, max: e.target.value })}
              />
            )}
            {choices && (
              <datalist id={`${key}-choices`}>
                {choices.map((choice) => (
                  <option key={choice} value={choice} />
                ))}
              </datalist>
            )}
            <button
              type="button"
              className="link"
              aria-label={`Remove condition ${index + 1}`}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              Remove
            </button>
            {rowErrors.map((e) => (
              <p className="field-error" role="alert" key={e.message}>
                {e.message}
              </p>
            ))}
          </div>
        );
      })}
      <button type="button" className="secondary" onClick={() => onChange([...rows, blankRow()])}>
        Add condition
      </button>
    </fieldset>
  );
}
