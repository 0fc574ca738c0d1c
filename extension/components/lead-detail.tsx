import { type LeadDetail as LeadDetailData, TASK_OUTCOMES, taskTypeOfTouchpoint } from '@leadline/shared';
import { useId, useState } from 'react';
import { type LeadEnrolments, useEnrolments } from '@/hooks/use-enrolments';
import { useLeadDetail } from '@/hooks/use-lead-detail';
import { type LeadTasks, useTasks } from '@/hooks/use-tasks';
import { downloadResponse } from '@/utils/download';
import { useApi } from './api-context';
import { ErrorNotice } from './error-notice';
import { ExportButtons } from './export-buttons';
import { Deal } from './lead/deal';
import { touchpointLabel } from './lead/format';
import { LeadFields } from './lead/lead-fields';
import { ScoreHeader } from './lead/score-header';
import { StageAndBant } from './lead/stage-and-bant';
import { Timeline } from './lead/timeline';
import { WhyOwner } from './lead/why-owner';
import { FOLLOW_UP_PRESETS, LeadFollowUps } from './tasks/lead-follow-ups';
import { TouchpointBar, type TouchpointDraft } from './touchpoint-bar';

/** One lead: live score, why, what to do next, one-click touchpoints, history, stage and BANT. */
export function LeadDetail({ id, onBack, onDeleted }: { id: string; onBack(): void; onDeleted(): void }) {
  const titleId = useId();
  const api = useApi();
  const detail = useLeadDetail(id, onDeleted);
  const tasks = useTasks({ scope: 'lead', leadId: id });
  const enrolments = useEnrolments(id);
  const { state, reload, undo, actionError } = detail;
  const data = state.data;

  if (state.status === 'error' && !data) {
    return (
      <section className="stack">
        <button type="button" className="button button-quiet back" onClick={onBack}>
          ← Back
        </button>
        <ErrorNotice error={state.error} onRetry={reload} />
      </section>
    );
  }
  if (!data) {
    return (
      <div className="skeleton skeleton-card" role="status" aria-busy="true">
        <span className="visually-hidden">Loading the lead</span>
      </div>
    );
  }
  const { lead } = data;
  const name = lead.fullName ?? lead.email ?? lead.company ?? 'Unnamed lead';

  return (
    <section className="stack" aria-labelledby={titleId}>
      <button type="button" className="button button-quiet back" onClick={onBack}>
        ← Back
      </button>
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={reload} />}
      <ScoreHeader
        lead={lead}
        titleId={titleId}
        live={detail.live}
        now={detail.now}
        pendingCount={detail.pendingCount}
        users={data.users}
        onPatch={(body) => void detail.patch(body)}
      />
      <WhyOwner
        lead={lead}
        users={data.users}
        onChanged={reload}
        onClaim={(ownerId) => void detail.patch({ ownerId })}
      />
      <NextSteps
        leadId={lead.id}
        steps={lead.scoring.nextSteps}
        onLog={(draft) => void detail.log(draft)}
        tasks={tasks}
        enrolments={enrolments}
      />
      <LeadFollowUps leadId={lead.id} tasks={tasks} enrolments={enrolments} />

      <TouchpointBar onLog={(draft) => void detail.log(draft)} />
      {undo && (
        <div className="toast" role="status">
          <span>Logged: {undo.label}.</span>
          <button type="button" className="button" onClick={() => void detail.takeBack(undo.key)}>
            Undo
          </button>
        </div>
      )}
      {actionError && (
        <div data-testid="action-error">
          <ErrorNotice error={actionError} />
        </div>
      )}

      <Deal lead={lead} onSave={detail.saveFields} />
      <LeadFields lead={lead} onSave={detail.saveFields} />
      <StageAndBant lead={lead} onPatch={(body) => void detail.patch(body)} />
      <Timeline data={data} />
      <ExportButtons
        label="This person's data"
        downloads={[
          {
            name: 'Download all data (JSON)',
            run: () => downloadResponse(api.leads[':id'].export.$get({ param: { id } }), `lead-${id}.json`),
          },
          {
            name: 'vCard',
            run: () => downloadResponse(api.leads[':id'].vcard.$get({ param: { id } }), `lead-${id}.vcf`),
          },
        ]}
      />
      <button type="button" className="button button-danger" onClick={() => void detail.remove(name)}>
        Forget this lead
      </button>
    </section>
  );
}

/**
 * What to do next, each step with "Done" (which asks what actually happened, and logs that) and
 * "Remind me" (a task of the step's kind, a preset number of working days ahead).
 */
function NextSteps({
  leadId,
  steps,
  onLog,
  tasks,
  enrolments,
}: {
  leadId: string;
  steps: LeadDetailData['scoring']['nextSteps'];
  onLog(draft: TouchpointDraft): void;
  tasks: LeadTasks;
  enrolments: LeadEnrolments;
}) {
  const [asking, setAsking] = useState<{ id: string; mode: 'done' | 'remind' } | null>(null);
  if (steps.length === 0) return null;
  return (
    <section className="stack" aria-label="Next steps">
      <h2>Next steps</h2>
      <ol className="steps">
        {steps.map((step, index) => (
          <li key={step.id} className={index === 0 ? 'step step-top' : 'step'}>
            <div>
              <strong>{step.title}</strong>
              <p className="muted">{step.reason}</p>
            </div>
            {step.id === 'recycle' && <RecycleChoice enrolments={enrolments} />}
            {step.suggestedTouchpoint && asking?.id !== step.id && (
              <div className="row step-actions">
                <button
                  type="button"
                  className={index === 0 ? 'button button-primary' : 'button'}
                  onClick={() => setAsking({ id: step.id, mode: 'done' })}
                  aria-label={`Done: ${step.title}`}
                >
                  Done
                </button>
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => setAsking({ id: step.id, mode: 'remind' })}
                  aria-label={`Remind me: ${step.title}`}
                >
                  Remind me
                </button>
              </div>
            )}
            {step.suggestedTouchpoint && asking?.id === step.id && asking.mode === 'done' && (
              <fieldset className="row plain-group">
                <legend className="visually-hidden">What happened: {step.title}</legend>
                {TASK_OUTCOMES[taskTypeOfTouchpoint(step.suggestedTouchpoint)].map((outcome) => (
                  <button
                    key={outcome.id}
                    type="button"
                    className="button"
                    onClick={() => {
                      setAsking(null);
                      onLog({ type: outcome.touchpoint, ...(outcome.note ? { note: outcome.note } : {}) });
                    }}
                    title={`Logs ${touchpointLabel(outcome.touchpoint)}`}
                  >
                    {outcome.label}
                  </button>
                ))}
                <button type="button" className="button button-quiet" onClick={() => setAsking(null)}>
                  Cancel
                </button>
              </fieldset>
            )}
            {step.suggestedTouchpoint && asking?.id === step.id && asking.mode === 'remind' && (
              <fieldset className="row plain-group">
                <legend className="visually-hidden">Remind me: {step.title}</legend>
                {FOLLOW_UP_PRESETS.map((preset) => (
                  <button
                    key={preset.days}
                    type="button"
                    className="button"
                    onClick={() => {
                      setAsking(null);
                      void tasks.create({
                        leadId,
                        type: taskTypeOfTouchpoint(step.suggestedTouchpoint!),
                        dueInDays: preset.days,
                        note: step.title,
                        source: 'next_step',
                      });
                    }}
                  >
                    {preset.label}
                  </button>
                ))}
                <button type="button" className="button button-quiet" onClick={() => setAsking(null)}>
                  Cancel
                </button>
              </fieldset>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** "Recycle" on a cold SQL: one click moves it to nurture (a stage change of its own) and enrols it. */
function RecycleChoice({ enrolments }: { enrolments: LeadEnrolments }) {
  const id = useId();
  const nurture = (enrolments.state.data?.cadences ?? []).filter(
    (cadence) => cadence.nurture && !cadence.archived,
  );
  const [cadenceId, setCadenceId] = useState('');
  const chosen = nurture.find((cadence) => cadence.id === cadenceId) ?? nurture[0];
  if (!chosen) return <p className="muted">No nurture cadence yet: a manager adds one on the dashboard.</p>;
  return (
    <div className="row">
      {nurture.length > 1 && (
        <>
          <label htmlFor={id} className="visually-hidden">
            Nurture cadence
          </label>
          <select
            id={id}
            className="select-inline"
            value={chosen.id}
            onChange={(event) => setCadenceId(event.target.value)}
          >
            {nurture.map((cadence) => (
              <option key={cadence.id} value={cadence.id}>
                {cadence.name}
              </option>
            ))}
          </select>
        </>
      )}
      <button
        type="button"
        className="button button-primary"
        onClick={() => void enrolments.recycle(chosen.id)}
      >
        Recycle into {chosen.name}
      </button>
    </div>
  );
}
