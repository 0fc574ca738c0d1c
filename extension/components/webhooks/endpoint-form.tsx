import { WEBHOOK_EVENT_TYPES, type WebhookEventType, webhookEndpointCreateSchema } from '@leadline/shared';
import { useState } from 'react';
import { useApi } from '@/components/api-context';
import { ApiError, unwrap } from '@/utils/api';

/** What each event means, in the words of the person choosing. */
const EVENT_LABELS: Record<WebhookEventType, string> = {
  'lead.created': 'A lead is created',
  'lead.updated': 'A lead is changed',
  'lead.stage_changed': 'A lead moves stage',
  'lead.assigned': 'A lead is assigned',
  'lead.deleted': 'A lead is deleted',
  'touchpoint.logged': 'A touchpoint is logged',
  'task.completed': 'A task is completed',
  'import.finished': 'An import finishes',
};

/** Adds an endpoint; the API's 422 (a private address, a bad URL) shows next to its field. */
export function EndpointForm({
  canAllowPrivate,
  onCreated,
}: {
  canAllowPrivate: boolean;
  onCreated(created: { id: string; secret: string }): void;
}) {
  const api = useApi();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<WebhookEventType[]>(['lead.created']);
  const [allowPrivate, setAllowPrivate] = useState(false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);

  async function submit() {
    setFailure(null);
    const body = {
      url,
      eventTypes: types,
      allowPrivateNetwork: allowPrivate,
      ...(description.trim() ? { description } : {}),
    };
    const checked = webhookEndpointCreateSchema.safeParse(body);
    if (!checked.success) {
      setErrors(
        byField(
          checked.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
        ),
      );
      return;
    }
    try {
      const created = await unwrap(api.webhooks.$post({ json: body }));
      setErrors({});
      setUrl('');
      setDescription('');
      setAllowPrivate(false);
      onCreated(created);
    } catch (error) {
      if (error instanceof ApiError && error.problem.issues) {
        setErrors(
          byField(
            error.problem.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
          ),
        );
      } else setFailure(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <section className="card card-wide" aria-labelledby="add-endpoint-heading">
      <h2 id="add-endpoint-heading">Add an endpoint</h2>
      <form
        className="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <label>
          Endpoint URL
          <input
            type="url"
            value={url}
            placeholder="https://hooks.example.com/leadline"
            aria-invalid={errors.url ? true : undefined}
            onChange={(event) => setUrl(event.target.value)}
          />
        </label>
        {errors.url && (
          <p className="field-error" role="alert">
            {errors.url}
          </p>
        )}
        <label>
          Description (optional)
          <input value={description} onChange={(event) => setDescription(event.target.value)} />
        </label>
        <fieldset className="event-choices">
          <legend>Events to send</legend>
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={types.includes(type)}
                onChange={(event) =>
                  setTypes(event.target.checked ? [...types, type] : types.filter((t) => t !== type))
                }
              />
              {EVENT_LABELS[type]} <code>{type}</code>
            </label>
          ))}
        </fieldset>
        {errors.eventTypes && (
          <p className="field-error" role="alert">
            {errors.eventTypes}
          </p>
        )}
        {canAllowPrivate && (
          <label className="check">
            <input
              type="checkbox"
              checked={allowPrivate}
              onChange={(event) => setAllowPrivate(event.target.checked)}
            />
            Allow a loopback or private address (an endpoint inside your network; admins only)
          </label>
        )}
        <button type="submit" className="button">
          Add endpoint
        </button>
        {failure && <p role="alert">{failure}</p>}
      </form>
    </section>
  );
}

function byField(issues: { path: string[]; message: string }[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) fields[issue.path[0] ?? 'url'] ??= issue.message;
  return fields;
}
