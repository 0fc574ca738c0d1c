import type { LeadDetail as LeadDetailData } from '@leadline/shared';
import { useId } from 'react';
import { useLeadDetail } from '@/hooks/use-lead-detail';
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
import { TouchpointBar, type TouchpointDraft } from './touchpoint-bar';

/** One lead: live score, why, what to do next, one-click touchpoints, history, stage and BANT. */
export function LeadDetail({ id, onBack, onDeleted }: { id: string; onBack(): void; onDeleted(): void }) {
  const titleId = useId();
  const api = useApi();
  const detail = useLeadDetail(id, onDeleted);
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
      <NextSteps steps={lead.scoring.nextSteps} onLog={(draft) => void detail.log(draft)} />

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

function NextSteps({
  steps,
  onLog,
}: {
  steps: LeadDetailData['scoring']['nextSteps'];
  onLog(draft: TouchpointDraft): void;
}) {
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
            {step.suggestedTouchpoint && (
              <button
                type="button"
                className={index === 0 ? 'button button-primary' : 'button'}
                onClick={() => onLog({ type: step.suggestedTouchpoint! })}
                aria-label={`Done: ${step.title} (logs ${touchpointLabel(step.suggestedTouchpoint)})`}
              >
                Done
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
