import { type Cadence, type CadenceStep, type Me, STAGE_LABELS } from '@leadline/shared';
import { useState } from 'react';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';

import { blank, CadenceEditor, type Draft, OWNER_LABELS, stepLabel, toDraft } from './cadence-editor';

export function describeSteps(steps: readonly CadenceStep[]) {
  return steps
    .map((step, index) =>
      step.type === 'wait'
        ? `wait ${step.delayDays} d`
        : `${stepLabel(step.type)}${index === 0 && step.delayDays === 0 ? '' : ` after ${step.delayDays} d`}`,
    )
    .join(' → ');
}

/**
 * Cadences for managers and admins: the list (with how many leads run in each) and the editor of
 * steps (a task or a wait, a delay in working days, a note), stops and the enrolment rule. Reps see
 * the list only. The API's 422 shows next to the part it names.
 */
export function CadencesSection({ me }: { me: Me }) {
  const api = useApi();
  const canEdit = me.user.role === 'manager' || me.user.role === 'admin';
  const [state, reload] = useAsync(async () => (await unwrap(api.cadences.$get())).items as Cadence[], [api]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const list = (state.data ?? []).filter((cadence) => !cadence.archived);

  return (
    <section className="card card-wide" aria-labelledby="cadences-heading" data-testid="cadences">
      <header className="card-header">
        <h2 id="cadences-heading">Cadences</h2>
        {canEdit && !draft && (
          <button type="button" className="button" onClick={() => setDraft(blank())}>
            New cadence
          </button>
        )}
      </header>
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={reload} />}
      {state.data && list.length === 0 && !draft && (
        <p className="empty">
          No cadences yet. A cadence plans a lead’s follow-ups and stops itself on a reply.
        </p>
      )}
      {list.length > 0 && (
        <ul className="cadence-list">
          {list.map((cadence) => (
            <li key={cadence.id} data-testid="cadence-row">
              <div>
                <strong>{cadence.name}</strong>
                {cadence.nurture && <span className="muted"> · nurture</span>}
                <span className="muted"> · {cadence.active} enrolled now</span>
              </div>
              <div className="muted">{describeSteps(cadence.steps)}</div>
              {cadence.rule && (
                <div className="muted">
                  Enrols a lead that reaches {STAGE_LABELS[cadence.rule.stage]},{' '}
                  {OWNER_LABELS[cadence.rule.owner]}
                  {cadence.rule.conditions.length
                    ? `, with ${cadence.rule.conditions.length} condition(s)`
                    : ''}
                </div>
              )}
              {canEdit && (
                <div className="row-actions">
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() => setDraft(toDraft(cadence))}
                  >
                    Edit {cadence.name}
                  </button>
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() =>
                      void unwrap(api.cadences[':id'].$delete({ param: { id: cadence.id } })).then(
                        reload,
                        reload,
                      )
                    }
                  >
                    Archive {cadence.name}
                  </button>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {draft && (
        <CadenceEditor
          draft={draft}
          setDraft={setDraft}
          onSaved={() => {
            setDraft(null);
            reload();
          }}
        />
      )}
    </section>
  );
}
