import type { Form } from '@leadline/shared';
import { useState } from 'react';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { draftOf, emptyDraft, FormEditor } from './form-editor';

/**
 * The Forms page of the dashboard (managers and admins): website forms whose submissions become
 * leads. Each shows its snippet to paste into the site, with copy buttons, and how many
 * submissions it had.
 */
export function FormsPage() {
  const api = useApi();
  const [state, reload] = useAsync(() => unwrap(api.forms.$get()), [api]);
  const [editing, setEditing] = useState<string | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);

  async function act(run: () => Promise<unknown>) {
    setActionError(null);
    try {
      await run();
      reload();
    } catch (error) {
      setActionError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  const items = state.data?.items ?? [];
  return (
    <div className="grid" data-testid="forms-page" aria-busy={state.status === 'loading'}>
      {state.status === 'error' && <ErrorNotice error={state.error} onRetry={reload} />}
      {actionError && <ErrorNotice error={actionError} />}
      <section className="card card-wide" aria-labelledby="forms-heading">
        <h2 id="forms-heading">Website forms</h2>
        <p className="muted">
          Paste a form’s snippet into your site: each submission creates the lead (or adds to the one with the
          same e-mail), logs “Form submitted” with the message, the page and its UTM tags, and routes it. No
          token is in the snippet; it is accepted only from the origins you allow.
        </p>
        {state.data && items.length === 0 && <p className="muted">No form yet: add one below.</p>}
        <ul className="form-list">
          {items.map((form) => (
            <li key={form.id} className="form-item" data-testid="form-item">
              {editing === form.id ? (
                <FormEditor
                  initial={draftOf(form)}
                  submitLabel="Save form"
                  onCancel={() => setEditing(null)}
                  onSave={async (body) => {
                    await unwrap(
                      api.forms[':id'].$patch({
                        param: { id: form.id },
                        json: {
                          ...body,
                          thankYouUrl: body.thankYouUrl ?? null,
                          campaign: body.campaign ?? null,
                        },
                      }),
                    );
                    setEditing(null);
                    reload();
                  }}
                />
              ) : (
                <FormSummary form={form} />
              )}
              <div className="row">
                {editing !== form.id && (
                  <button type="button" className="button button-quiet" onClick={() => setEditing(form.id)}>
                    Edit
                  </button>
                )}
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() =>
                    act(() =>
                      unwrap(
                        api.forms[':id'].$patch({ param: { id: form.id }, json: { enabled: !form.enabled } }),
                      ),
                    )
                  }
                >
                  {form.enabled ? 'Turn off' : 'Turn on'}
                </button>
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => {
                    if (
                      !window.confirm(
                        `Remove the form “${form.name}”? Its snippet stops working; its leads stay.`,
                      )
                    )
                      return;
                    void act(() => unwrap(api.forms[':id'].$delete({ param: { id: form.id } })));
                  }}
                >
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ul>
      </section>
      <section className="card card-wide" aria-labelledby="add-form-heading">
        <h2 id="add-form-heading">Add a form</h2>
        <FormEditor
          key={items.length}
          initial={emptyDraft}
          submitLabel="Add form"
          onSave={async (body) => {
            await unwrap(api.forms.$post({ json: body }));
            reload();
          }}
        />
      </section>
    </div>
  );
}

function FormSummary({ form }: { form: Form }) {
  const last = form.lastSubmissionAt ? new Date(form.lastSubmissionAt).toLocaleString() : 'none yet';
  return (
    <div className="form-summary">
      <strong>{form.name}</strong>
      <span className="muted" data-testid="form-stats">
        {form.enabled ? 'On' : 'Off'} · {form.submissionCount}{' '}
        {form.submissionCount === 1 ? 'submission' : 'submissions'} · last: {last}
      </span>
      <span className="muted">
        From {form.allowedOrigins.join(', ')}
        {form.thankYouUrl && ` · then on to ${form.thankYouUrl}`}
        {form.campaign && ` · campaign ${form.campaign}`}
      </span>
      <Snippet label="HTML form" code={form.snippet.html} testId="snippet-html" />
      <Snippet
        label="Script (for sites that submit with fetch; paste it after the form)"
        code={form.snippet.script}
        testId="snippet-script"
      />
    </div>
  );
}

function Snippet({ label, code, testId }: { label: string; code: string; testId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="snippet">
      <div className="row">
        <span className="snippet-label">{label}</span>
        <button
          type="button"
          className="button button-small"
          aria-label={`Copy ${label.split(' (')[0]}`}
          onClick={() =>
            void navigator.clipboard.writeText(code).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <pre data-testid={testId}>
        <code>{code}</code>
      </pre>
    </div>
  );
}
