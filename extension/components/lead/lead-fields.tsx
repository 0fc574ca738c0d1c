import { fieldLabel, type LeadDetail, type LeadPatch } from '@leadline/shared';
import { type FormEvent, useId, useState } from 'react';
import type { SaveOutcome } from '@/hooks/use-lead-detail';

const FIELDS = [
  { name: 'fullName', type: 'text' },
  { name: 'title', type: 'text' },
  { name: 'company', type: 'text' },
  { name: 'email', type: 'email' },
  { name: 'phone', type: 'tel' },
  { name: 'linkedinUrl', type: 'url' },
  { name: 'website', type: 'url' },
  { name: 'location', type: 'text' },
  { name: 'country', type: 'text' },
  { name: 'industry', type: 'text' },
  { name: 'companySize', type: 'number' },
] as const;
type FieldName = (typeof FIELDS)[number]['name'];

const shown = (lead: LeadDetail, name: FieldName) => {
  const value = lead[name];
  return value === null || value === undefined ? '' : String(value);
};

/** The lead's details, read as links, edited in place; the API's 422 shows next to the field it names. */
export function LeadFields({
  lead,
  onSave,
}: {
  lead: LeadDetail;
  onSave(body: LeadPatch): Promise<SaveOutcome>;
}) {
  const [editing, setEditing] = useState(false);
  return editing ? (
    <DetailsForm lead={lead} onSave={onSave} onDone={() => setEditing(false)} />
  ) : (
    <section className="stack" aria-label="Details">
      <div className="row row-between">
        <h2>Details</h2>
        <button type="button" className="button button-quiet" onClick={() => setEditing(true)}>
          Edit details
        </button>
      </div>
      <dl className="details">
        {FIELDS.filter((field) => shown(lead, field.name)).map(({ name }) => (
          <div key={name}>
            <dt>{fieldLabel(name)}</dt>
            <dd>
              {name === 'email' ? (
                <a href={`mailto:${lead.email}`}>{lead.email}</a>
              ) : name === 'linkedinUrl' || name === 'website' ? (
                <a href={lead[name]!} target="_blank" rel="noreferrer noopener">
                  {lead[name]}
                </a>
              ) : (
                shown(lead, name)
              )}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function DetailsForm({
  lead,
  onSave,
  onDone,
}: {
  lead: LeadDetail;
  onSave(body: LeadPatch): Promise<SaveOutcome>;
  onDone(): void;
}) {
  const formId = useId();
  const [values, setValues] = useState(
    () =>
      Object.fromEntries(FIELDS.map(({ name }) => [name, shown(lead, name)])) as Record<FieldName, string>,
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const body: Record<string, string | number | null> = {};
    for (const { name } of FIELDS) {
      const value = values[name].trim();
      if (value === shown(lead, name)) continue;
      body[name] = value === '' ? null : name === 'companySize' ? Number(value) : value;
    }
    if (Object.keys(body).length === 0) return onDone();
    setSaving(true);
    const outcome = await onSave(body as LeadPatch);
    setSaving(false);
    if (outcome.ok) return onDone();
    setErrors(outcome.fields);
    setProblem(outcome.title);
  }

  return (
    <form className="stack card" onSubmit={submit} aria-labelledby={`${formId}-heading`} noValidate>
      <h2 id={`${formId}-heading`}>Edit details</h2>
      {FIELDS.map(({ name, type }) => (
        <div key={name} className="field">
          <label htmlFor={`${formId}-${name}`}>{fieldLabel(name)}</label>
          <input
            id={`${formId}-${name}`}
            type={type}
            value={values[name]}
            aria-invalid={Boolean(errors[name])}
            aria-describedby={errors[name] ? `${formId}-${name}-error` : undefined}
            onChange={(event) => setValues((previous) => ({ ...previous, [name]: event.target.value }))}
          />
          {errors[name] && (
            <span id={`${formId}-${name}-error`} className="field-error" data-testid={`error-${name}`}>
              {errors[name]}
            </span>
          )}
        </div>
      ))}
      {problem && Object.keys(errors).length === 0 && (
        <p className="notice notice-error" role="alert">
          {problem}
        </p>
      )}
      <div className="row">
        <button type="submit" className="button button-primary" disabled={saving}>
          {saving ? 'Saving…' : 'Save details'}
        </button>
        <button type="button" className="button button-quiet" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
