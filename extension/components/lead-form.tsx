import type { Lead, LeadCreate } from '@leadline/shared';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { unwrap } from '@/utils/api';
import { newLocalLeadId } from '@/utils/outbox-state';
import { useApi } from './api-context';
import { describeError } from './error-notice';
import { useLive } from './live-context';
import { ScorePreview } from './score-preview';

const FIELDS = [
  { name: 'fullName', label: 'Full name', type: 'text', autoComplete: 'name' },
  { name: 'email', label: 'E-mail', type: 'email', autoComplete: 'email' },
  { name: 'title', label: 'Title', type: 'text', autoComplete: 'organization-title' },
  { name: 'company', label: 'Company', type: 'text', autoComplete: 'organization' },
  { name: 'phone', label: 'Phone', type: 'tel', autoComplete: 'tel' },
  { name: 'linkedinUrl', label: 'LinkedIn URL', type: 'url', autoComplete: 'url' },
  { name: 'website', label: 'Website', type: 'url', autoComplete: 'url' },
  { name: 'location', label: 'Location', type: 'text', autoComplete: 'address-level2' },
] as const;
export type LeadFormField = (typeof FIELDS)[number]['name'];
type FieldName = LeadFormField;

interface Props {
  onSaved(lead: Lead): void;
  onOpenExisting(id: string): void;
  onCancel?: () => void;
  /** Values to start from (a captured page's person), and where they came from. */
  initial?: Partial<Record<FieldName, string>>;
  hints?: Partial<Record<FieldName, string>>;
  source?: LeadCreate['source'];
  /** Fields the page had that the form has no input for (company domain, country...). */
  extra?: Partial<LeadCreate>;
  heading?: string;
}

/** Adds a lead by hand. One click saves; a double click still saves once (idempotency key per form). */
export function LeadForm({
  onSaved,
  onOpenExisting,
  onCancel,
  initial,
  hints,
  source,
  extra,
  heading = 'New lead',
}: Props) {
  const api = useApi();
  const formId = useId();
  const [values, setValues] = useState<Record<FieldName, string>>(
    () =>
      Object.fromEntries(FIELDS.map((field) => [field.name, initial?.[field.name] ?? ''])) as Record<
        FieldName,
        string
      >,
  );
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [error, setError] = useState<{ title: string; detail: string; existingLeadId?: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const idempotencyKey = useRef(crypto.randomUUID());
  const { outbox, entries } = useLive();
  const [queued, setQueued] = useState<{ key: string; localId: string } | null>(null);

  // Saved on this device while the API was away: once the outbox has sent it, show the saved lead.
  useEffect(() => {
    if (!queued || entries.some((entry) => entry.key === queued.key)) return;
    let cancelled = false;
    void (async () => {
      const leadId = await outbox.resolveLeadRef(queued.localId);
      if (!leadId || cancelled) return;
      const lead = await unwrap(api.leads[':id'].$get({ param: { id: leadId } })).catch(() => null);
      if (lead && !cancelled) onSaved(lead);
    })();
    return () => {
      cancelled = true;
    };
  }, [queued, entries, outbox, api, onSaved]);

  const body = useMemo(() => {
    const draft = { ...extra, source: source ?? { channel: 'manual' } } as LeadCreate;
    for (const field of FIELDS) {
      const value = values[field.name].trim();
      if (value) (draft as Record<string, unknown>)[field.name] = value;
    }
    return draft;
  }, [extra, source, values]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (saving) return;
    setSaving(true);
    setError(null);
    setFieldErrors({});
    try {
      // Through the outbox like every write: sent now when the API answers, kept when it does not.
      const key = idempotencyKey.current;
      const localId = newLocalLeadId();
      const outcome = await outbox.submit({ kind: 'createLead', localId, body }, key);
      if (outcome.status === 'sent') {
        const leadId = outcome.leadId ?? (await outbox.resolveLeadRef(localId));
        if (leadId) onSaved(await unwrap(api.leads[':id'].$get({ param: { id: leadId } })));
        return;
      }
      if (outcome.status === 'refused') {
        // The form still holds what the rep typed: the refused entry need not wait in the outbox.
        await outbox.discard(key);
        idempotencyKey.current = crypto.randomUUID();
        const perField: Partial<Record<FieldName, string>> = {};
        for (const issue of (outcome.error.issues ?? []) as { path?: unknown[]; message?: string }[]) {
          const name = issue.path?.[0];
          if (typeof name === 'string' && FIELDS.some((field) => field.name === name)) {
            perField[name as FieldName] = issue.message ?? 'Invalid';
          }
        }
        setFieldErrors(perField);
        setError({ title: outcome.error.title, detail: outcome.error.detail ?? '' });
        return;
      }
      setQueued({ key, localId });
    } catch (caught) {
      setError(describeError(caught instanceof Error ? caught : new Error(String(caught))));
    } finally {
      setSaving(false);
    }
  }

  return (
    <form className="stack" onSubmit={submit} aria-labelledby={`${formId}-heading`} noValidate>
      <h2 id={`${formId}-heading`}>{heading}</h2>
      <p className="hint">Give at least a name, an e-mail or a LinkedIn URL.</p>
      {FIELDS.map((field) => (
        <div key={field.name} className="field">
          <label htmlFor={`${formId}-${field.name}`}>{field.label}</label>
          <input
            id={`${formId}-${field.name}`}
            name={field.name}
            type={field.type}
            autoComplete={field.autoComplete}
            value={values[field.name]}
            aria-invalid={Boolean(fieldErrors[field.name])}
            aria-describedby={fieldErrors[field.name] ? `${formId}-${field.name}-error` : undefined}
            onChange={(event) => setValues((previous) => ({ ...previous, [field.name]: event.target.value }))}
          />
          {hints?.[field.name] && !fieldErrors[field.name] && (
            <span className="hint">{hints[field.name]}</span>
          )}
          {fieldErrors[field.name] && (
            <span id={`${formId}-${field.name}-error`} className="field-error">
              {fieldErrors[field.name]}
            </span>
          )}
        </div>
      ))}
      <ScorePreview body={body} />
      {queued && (
        <p className="notice" role="status">
          Saved on this device. It will be sent as soon as the Leadline API answers.
        </p>
      )}
      {error && (
        <div className="notice notice-error" role="alert">
          <strong>{error.title}</strong>
          {error.detail && <p>{error.detail}</p>}
          {error.existingLeadId && (
            <button type="button" className="button" onClick={() => onOpenExisting(error.existingLeadId!)}>
              Open the existing lead
            </button>
          )}
        </div>
      )}
      <div className="row">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save lead'}
        </button>
        {onCancel && (
          <button type="button" className="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
