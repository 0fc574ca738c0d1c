import { formatMoney, type LeadDetail, type LeadPatch, OTHER_CLOSE_REASON } from '@leadline/shared';
import { type FormEvent, useId, useState } from 'react';
import type { SaveOutcome } from '@/hooks/use-lead-detail';
import { useLive } from '../live-context';
import { formatDate } from './format';

type Outcome = 'won' | 'lost';

/** The deal: its value in the workspace's currency, when it should close, and closing it as Won or Lost. */
export function Deal({ lead, onSave }: { lead: LeadDetail; onSave(body: LeadPatch): Promise<SaveOutcome> }) {
  const id = useId();
  const { workspace } = useLive();
  const [value, setValue] = useState(lead.dealValue === null ? '' : String(lead.dealValue));
  const [closeDate, setCloseDate] = useState(lead.expectedCloseDate ?? '');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [closing, setClosing] = useState<Outcome | null>(null);
  const closed = lead.stage === 'won' || lead.stage === 'lost';

  async function saveDeal(event: FormEvent) {
    event.preventDefault();
    const body: LeadPatch = {};
    const amount = value.trim() === '' ? null : Number(value);
    if (amount !== lead.dealValue) body.dealValue = amount;
    if ((closeDate || null) !== lead.expectedCloseDate) body.expectedCloseDate = closeDate || null;
    if (Object.keys(body).length === 0) return;
    const outcome = await onSave(body);
    setErrors(outcome.ok ? {} : outcome.fields);
  }

  return (
    <section className="stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Deal</h2>
      <p className="deal-summary" data-testid="deal-summary">
        <strong>
          {lead.dealValue === null ? 'No value yet' : formatMoney(lead.dealValue, workspace.currency)}
        </strong>
        {lead.expectedCloseDate && (
          <span className="muted"> · expected to close {formatDate(lead.expectedCloseDate)}</span>
        )}
      </p>
      {closed && (
        <p className={`closed-flag closed-${lead.stage}`} data-testid="close-outcome">
          {lead.stage === 'won' ? 'Won' : 'Lost'}
          {lead.closeReason ? `: ${lead.closeReason}` : ''}
        </p>
      )}
      <form className="deal-form" onSubmit={saveDeal} noValidate>
        <div className="field">
          <label htmlFor={`${id}-value`}>Deal value ({workspace.currency})</label>
          <input
            id={`${id}-value`}
            type="number"
            min={0}
            step="any"
            value={value}
            aria-invalid={Boolean(errors.dealValue)}
            onChange={(event) => setValue(event.target.value)}
          />
          {errors.dealValue && <span className="field-error">{errors.dealValue}</span>}
        </div>
        <div className="field">
          <label htmlFor={`${id}-close`}>Expected close</label>
          <input
            id={`${id}-close`}
            type="date"
            value={closeDate}
            aria-invalid={Boolean(errors.expectedCloseDate)}
            onChange={(event) => setCloseDate(event.target.value)}
          />
          {errors.expectedCloseDate && <span className="field-error">{errors.expectedCloseDate}</span>}
        </div>
        <button type="submit" className="button">
          Save deal
        </button>
      </form>
      {!closed && !closing && (
        <div className="row">
          <button type="button" className="button" onClick={() => setClosing('won')}>
            Close as Won
          </button>
          <button type="button" className="button" onClick={() => setClosing('lost')}>
            Close as Lost
          </button>
        </div>
      )}
      {closing && (
        <CloseForm
          outcome={closing}
          reasons={workspace.closeReasons[closing]}
          onCancel={() => setClosing(null)}
          onClose={async (closeReason) => {
            const outcome = await onSave({ stage: closing, closeReason });
            if (outcome.ok) setClosing(null);
            return outcome;
          }}
        />
      )}
    </section>
  );
}

function CloseForm({
  outcome,
  reasons,
  onCancel,
  onClose,
}: {
  outcome: Outcome;
  reasons: readonly string[];
  onCancel(): void;
  onClose(reason: string): Promise<SaveOutcome>;
}) {
  const id = useId();
  const [reason, setReason] = useState('');
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  const label = outcome === 'won' ? 'Won' : 'Lost';
  const isOther = reason === OTHER_CLOSE_REASON;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!reason || (isOther && !other.trim())) {
      setError(isOther ? 'Say why in a few words.' : 'Pick a reason.');
      return;
    }
    const result = await onClose(isOther ? `${OTHER_CLOSE_REASON}: ${other.trim()}` : reason);
    if (!result.ok) setError(result.fields.closeReason ?? result.fields.stage ?? result.title);
  }

  return (
    <form className="card stack" onSubmit={submit} aria-label={`Close as ${label}`} noValidate>
      <label htmlFor={`${id}-reason`}>Why was it {label.toLowerCase()}?</label>
      <select id={`${id}-reason`} value={reason} onChange={(event) => setReason(event.target.value)}>
        <option value="">Pick a reason</option>
        {reasons.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
        <option value={OTHER_CLOSE_REASON}>Other…</option>
      </select>
      {isOther && (
        <>
          <label htmlFor={`${id}-other`}>In your words</label>
          <input
            id={`${id}-other`}
            type="text"
            value={other}
            maxLength={280}
            onChange={(e) => setOther(e.target.value)}
          />
        </>
      )}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
      <div className="row">
        <button type="submit" className="button button-primary">
          Close as {label}
        </button>
        <button type="button" className="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
