import { type Form, type FormCreate, formCreateSchema } from '@leadline/shared';
import { useState } from 'react';
import { fieldError, problemFields } from '@/components/team/problem-fields';

export interface FormDraft {
  name: string;
  /** One origin a line, as the manager types them. */
  origins: string;
  thankYouUrl: string;
  campaign: string;
  enabled: boolean;
}

export const emptyDraft: FormDraft = { name: '', origins: '', thankYouUrl: '', campaign: '', enabled: true };

export function draftOf(form: Form): FormDraft {
  return {
    name: form.name,
    origins: form.allowedOrigins.join('\n'),
    thankYouUrl: form.thankYouUrl ?? '',
    campaign: form.campaign ?? '',
    enabled: form.enabled,
  };
}

/** The draft as the API takes it; empty optional fields are left out (or, on a change, cleared). */
export function bodyOf(draft: FormDraft): FormCreate {
  return {
    name: draft.name,
    allowedOrigins: draft.origins
      .split(/[\s,]+/)
      .map((origin) => origin.trim())
      .filter(Boolean),
    ...(draft.thankYouUrl.trim() ? { thankYouUrl: draft.thankYouUrl.trim() } : {}),
    ...(draft.campaign.trim() ? { campaign: draft.campaign.trim() } : {}),
    enabled: draft.enabled,
  };
}

/**
 * The form's settings: its name, the site origins allowed to submit (checked here as the API does,
 * and the API's 422 shown by its field), the thank-you page, a campaign, on or off.
 */
export function FormEditor({
  initial,
  submitLabel,
  onSave,
  onCancel,
}: {
  initial: FormDraft;
  submitLabel: string;
  onSave(body: FormCreate): Promise<void>;
  onCancel?(): void;
}) {
  const [draft, setDraft] = useState(initial);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const set = <K extends keyof FormDraft>(key: K, value: FormDraft[K]) =>
    setDraft({ ...draft, [key]: value });

  async function save() {
    setMessage(null);
    const body = bodyOf(draft);
    const checked = formCreateSchema.safeParse(body);
    if (!checked.success) {
      const found: Record<string, string> = {};
      for (const issue of checked.error.issues) found[issue.path.map(String).join('.')] ??= issue.message;
      setFields(found);
      return;
    }
    setSaving(true);
    try {
      await onSave(body);
      setFields({});
    } catch (error) {
      const refused = problemFields(error);
      setFields(refused.fields);
      setMessage(Object.keys(refused.fields).length ? null : refused.message);
    } finally {
      setSaving(false);
    }
  }

  const error = (path: string) => {
    const text = fieldError(fields, path);
    return text ? (
      <p className="field-error" role="alert">
        {text}
      </p>
    ) : null;
  };

  return (
    <form
      className="settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <label>
        Form name
        <input
          value={draft.name}
          placeholder="Contact us"
          aria-invalid={fieldError(fields, 'name') ? true : undefined}
          onChange={(event) => set('name', event.target.value)}
        />
      </label>
      {error('name')}
      <label>
        Allowed site origins (one a line)
        <textarea
          rows={2}
          value={draft.origins}
          placeholder="https://www.example.com"
          aria-invalid={fieldError(fields, 'allowedOrigins') ? true : undefined}
          onChange={(event) => set('origins', event.target.value)}
        />
      </label>
      {error('allowedOrigins')}
      <label>
        Thank-you page (optional)
        <input
          type="url"
          value={draft.thankYouUrl}
          placeholder="https://www.example.com/thanks"
          aria-invalid={fieldError(fields, 'thankYouUrl') ? true : undefined}
          onChange={(event) => set('thankYouUrl', event.target.value)}
        />
      </label>
      {error('thankYouUrl')}
      <label>
        Campaign (optional: used when the page’s URL names none)
        <input value={draft.campaign} onChange={(event) => set('campaign', event.target.value)} />
      </label>
      {error('campaign')}
      <label className="choice">
        <input
          type="checkbox"
          checked={draft.enabled}
          onChange={(event) => set('enabled', event.target.checked)}
        />
        Takes submissions
      </label>
      <div className="row">
        <button type="submit" className="button" disabled={saving}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button button-quiet" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {message && <p role="alert">{message}</p>}
    </form>
  );
}
