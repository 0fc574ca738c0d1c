import {
  type Cadence,
  type CadenceInput,
  type CadenceStep,
  cadenceInputSchema,
  ENROL_OWNER_CONDITIONS,
  LEAD_STAGES,
  STAGE_LABELS,
  TASK_TYPE_LABELS,
  TASK_TYPES,
} from '@leadline/shared';
import { useId, useState } from 'react';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { ConditionList } from '@/components/rules/condition-list';
import { type ConditionRow, conditionErrors, toCondition, toRow } from '@/components/rules/condition-rows';
import { ApiError, unwrap } from '@/utils/api';

export type Draft = {
  id: string | null;
  name: string;
  nurture: boolean;
  onReply: 'pause' | 'end';
  companyWide: boolean;
  steps: CadenceStep[];
  ruleOn: boolean;
  ruleStage: (typeof LEAD_STAGES)[number];
  ruleOwner: (typeof ENROL_OWNER_CONDITIONS)[number];
  /** The rule's conditions on the lead's fields, routing's vocabulary, a row each. */
  ruleConditions: ConditionRow[];
};

const STEP_TYPES = [...TASK_TYPES, 'wait'] as const;
export const stepLabel = (type: CadenceStep['type']) => (type === 'wait' ? 'Wait' : TASK_TYPE_LABELS[type]);
export const OWNER_LABELS = {
  any: 'anyone’s or nobody’s',
  unowned: 'not owned by anyone',
  owned: 'owned by a rep',
};

export const blank = (): Draft => ({
  id: null,
  name: '',
  nurture: false,
  onReply: 'pause',
  companyWide: false,
  steps: [{ type: 'call', delayDays: 0 }],
  ruleOn: false,
  ruleStage: 'mql',
  ruleOwner: 'unowned',
  ruleConditions: [],
});

export function toDraft(cadence: Cadence): Draft {
  return {
    id: cadence.id,
    name: cadence.name,
    nurture: cadence.nurture,
    onReply: cadence.onReply,
    companyWide: cadence.companyWide,
    steps: cadence.steps,
    ruleOn: cadence.rule !== null,
    ruleStage: cadence.rule?.stage ?? 'mql',
    ruleOwner: cadence.rule?.owner ?? 'unowned',
    ruleConditions: (cadence.rule?.conditions ?? []).map(toRow),
  };
}

/** The steps in words: "Call, wait 2 days, E-mail after 3 days". */

export function CadenceEditor({
  draft,
  setDraft,
  onSaved,
}: {
  draft: Draft;
  setDraft(draft: Draft | null): void;
  onSaved(): void;
}) {
  const api = useApi();
  const id = useId();
  const [errors, setErrors] = useState<{ path: string; message: string }[]>([]);
  const [failure, setFailure] = useState<Error | null>(null);
  const setStep = (index: number, step: Partial<CadenceStep>) =>
    setDraft({ ...draft, steps: draft.steps.map((s, i) => (i === index ? { ...s, ...step } : s)) });
  const errorAt = (prefix: string) =>
    errors
      .filter((issue) => issue.path === prefix || issue.path.startsWith(`${prefix}.`))
      .map((i) => i.message);

  async function save() {
    setFailure(null);
    const conditions = draft.ruleConditions.map(toCondition);
    const body = {
      name: draft.name,
      nurture: draft.nurture,
      onReply: draft.onReply,
      companyWide: draft.companyWide,
      steps: draft.steps.map((step) => ({ ...step, note: step.note?.trim() || undefined })),
      rule: draft.ruleOn ? { stage: draft.ruleStage, owner: draft.ruleOwner, conditions } : null,
    } as CadenceInput;
    const checked = cadenceInputSchema.safeParse(body);
    if (!checked.success) {
      setErrors(
        checked.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      );
      return;
    }
    try {
      if (draft.id) await unwrap(api.cadences[':id'].$put({ param: { id: draft.id }, json: body }));
      else await unwrap(api.cadences.$post({ json: body }));
      setErrors([]);
      onSaved();
    } catch (error) {
      if (error instanceof ApiError && error.problem.issues) {
        setErrors(
          error.problem.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
        );
      } else setFailure(error instanceof Error ? error : new Error(String(error)));
    }
  }

  const fieldError = (prefix: string) =>
    errorAt(prefix).map((message) => (
      <p key={message} className="field-error" role="alert">
        {message}
      </p>
    ));

  return (
    <form
      className="settings-form cadence-editor"
      noValidate
      aria-label={draft.id ? `Edit ${draft.name}` : 'New cadence'}
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label>
        Name
        <input
          value={draft.name}
          maxLength={120}
          onChange={(event) => setDraft({ ...draft, name: event.target.value })}
        />
      </label>
      {fieldError('name')}
      <fieldset className="cadence-steps">
        <legend>Steps (delays in working days of the lead’s owner)</legend>
        <ol>
          {draft.steps.map((step, index) => (
            // Steps have no identity but their place in the list.
            <li key={index} className="cadence-step">
              <label>
                Step {index + 1}
                <select
                  value={step.type}
                  onChange={(event) => setStep(index, { type: event.target.value as CadenceStep['type'] })}
                >
                  {STEP_TYPES.map((type) => (
                    <option key={type} value={type}>
                      {stepLabel(type)}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                {index === 0 ? 'Days after enrolling' : 'Days after the previous step'}
                <input
                  type="number"
                  min={0}
                  max={90}
                  value={step.delayDays}
                  onChange={(event) => setStep(index, { delayDays: Number(event.target.value) })}
                />
              </label>
              {step.type !== 'wait' && (
                <label>
                  Note or template for the rep
                  <textarea
                    rows={2}
                    maxLength={2000}
                    value={step.note ?? ''}
                    onChange={(event) => setStep(index, { note: event.target.value })}
                  />
                </label>
              )}
              <button
                type="button"
                className="button button-quiet"
                disabled={draft.steps.length === 1}
                onClick={() => setDraft({ ...draft, steps: draft.steps.filter((_, i) => i !== index) })}
              >
                Remove step {index + 1}
              </button>
              {fieldError(`steps.${index}`)}
            </li>
          ))}
        </ol>
        <button
          type="button"
          className="button"
          disabled={draft.steps.length >= 30}
          onClick={() => setDraft({ ...draft, steps: [...draft.steps, { type: 'email', delayDays: 2 }] })}
        >
          Add step
        </button>
        {errors
          .filter((issue) => issue.path === 'steps')
          .map((issue) => (
            <p key={issue.message} className="field-error" role="alert">
              {issue.message}
            </p>
          ))}
      </fieldset>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.nurture}
          onChange={(event) => setDraft({ ...draft, nurture: event.target.checked })}
        />
        Nurture: ends when the lead reaches SQL
      </label>
      <label>
        A reply, a meeting or a LinkedIn reply
        <select
          value={draft.onReply}
          onChange={(event) => setDraft({ ...draft, onReply: event.target.value as Draft['onReply'] })}
        >
          <option value="pause">pauses the enrolment</option>
          <option value="end">ends the enrolment</option>
        </select>
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={draft.companyWide}
          onChange={(event) => setDraft({ ...draft, companyWide: event.target.checked })}
        />
        Also from any lead of the same company
      </label>
      <fieldset>
        <legend>Enrol by rule</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.ruleOn}
            onChange={(event) => setDraft({ ...draft, ruleOn: event.target.checked })}
          />
          Enrol leads by themselves
        </label>
        {draft.ruleOn && (
          <>
            <label htmlFor={`${id}-stage`}>When a lead becomes</label>
            <select
              id={`${id}-stage`}
              value={draft.ruleStage}
              onChange={(event) =>
                setDraft({ ...draft, ruleStage: event.target.value as Draft['ruleStage'] })
              }
            >
              {LEAD_STAGES.map((stage) => (
                <option key={stage} value={stage}>
                  {STAGE_LABELS[stage]}
                </option>
              ))}
            </select>
            <label htmlFor={`${id}-owner`}>and is</label>
            <select
              id={`${id}-owner`}
              value={draft.ruleOwner}
              onChange={(event) =>
                setDraft({ ...draft, ruleOwner: event.target.value as Draft['ruleOwner'] })
              }
            >
              {ENROL_OWNER_CONDITIONS.map((owner) => (
                <option key={owner} value={owner}>
                  {OWNER_LABELS[owner]}
                </option>
              ))}
            </select>
            <ConditionList
              label="and matches"
              rows={draft.ruleConditions}
              onChange={(ruleConditions) => setDraft({ ...draft, ruleConditions })}
              errors={conditionErrors(errors, 'rule.conditions')}
            />
            {fieldError('rule.stage')}
            {fieldError('rule.owner')}
          </>
        )}
      </fieldset>
      {failure && <ErrorNotice error={failure} />}
      <div className="row-actions">
        <button type="submit" className="button">
          Save cadence
        </button>
        <button type="button" className="button button-quiet" onClick={() => setDraft(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
