import type { WebhookEndpoint } from '@leadline/shared';
import { useState } from 'react';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';
import { DeliveryLog } from './delivery-log';
import { EndpointForm } from './endpoint-form';

/** A secret the API answers once (a new endpoint, a rotation): shown until dismissed. */
interface ShownSecret {
  endpointId: string;
  secret: string;
  rotated: boolean;
}

/**
 * The workspace's webhook endpoints for managers and admins: add one (its secret shown once), see
 * each one's deliveries with their response codes, send one again, rotate a secret, turn it off.
 */
export function WebhooksPage() {
  const api = useApi();
  const [state, reload] = useAsync(
    () => Promise.all([unwrap(api.me.$get()), unwrap(api.webhooks.$get())]),
    [api],
  );
  const [shown, setShown] = useState<ShownSecret | null>(null);
  const [openLog, setOpenLog] = useState<string | null>(null);
  const [actionError, setActionError] = useState<Error | null>(null);

  const header = (
    <header className="page-header">
      <h1>Webhooks</h1>
      <p className="muted">
        Leadline sends the events you choose to your endpoints, signed by the Standard Webhooks specification,
        and retries a failed delivery for up to three days.
      </p>
    </header>
  );
  if (!state.data) {
    return (
      <main className="dashboard" aria-busy={state.status === 'loading'}>
        {header}
        {state.status === 'error' && <ErrorNotice error={state.error} onRetry={reload} />}
      </main>
    );
  }
  const [me, { items }] = state.data;

  async function act(run: () => Promise<unknown>) {
    setActionError(null);
    try {
      await run();
      reload();
    } catch (error) {
      setActionError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return (
    <main className="dashboard">
      {header}
      {shown && <SecretNotice shown={shown} onDismiss={() => setShown(null)} />}
      {actionError && <ErrorNotice error={actionError} />}
      <section className="card card-wide" aria-labelledby="endpoints-heading" data-testid="webhook-endpoints">
        <h2 id="endpoints-heading">Endpoints</h2>
        {items.length === 0 ? (
          <p className="muted">No endpoint yet: add one below.</p>
        ) : (
          <ul className="endpoint-list">
            {items.map((endpoint) => (
              <li key={endpoint.id} className="endpoint" data-testid="webhook-endpoint">
                <EndpointSummary endpoint={endpoint} />
                <div className="row">
                  <button
                    type="button"
                    className="button button-quiet"
                    aria-expanded={openLog === endpoint.id}
                    onClick={() => setOpenLog(openLog === endpoint.id ? null : endpoint.id)}
                  >
                    {openLog === endpoint.id ? 'Hide deliveries' : 'Deliveries'}
                  </button>
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() =>
                      act(async () => {
                        const rotated = await unwrap(
                          api.webhooks[':id']['rotate-secret'].$post({ param: { id: endpoint.id } }),
                        );
                        setShown({ endpointId: endpoint.id, secret: rotated.secret, rotated: true });
                      })
                    }
                  >
                    Rotate secret
                  </button>
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() =>
                      act(() =>
                        unwrap(
                          api.webhooks[':id'].$patch({
                            param: { id: endpoint.id },
                            json: { enabled: !endpoint.enabled },
                          }),
                        ),
                      )
                    }
                  >
                    {endpoint.enabled ? 'Turn off' : 'Turn on'}
                  </button>
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() => {
                      if (!window.confirm(`Remove ${endpoint.url} and its delivery log?`)) return;
                      void act(() => unwrap(api.webhooks[':id'].$delete({ param: { id: endpoint.id } })));
                    }}
                  >
                    Remove
                  </button>
                </div>
                {openLog === endpoint.id && <DeliveryLog endpointId={endpoint.id} />}
              </li>
            ))}
          </ul>
        )}
      </section>
      <EndpointForm
        canAllowPrivate={me.user.role === 'admin'}
        onCreated={(created) => {
          setShown({ endpointId: created.id, secret: created.secret, rotated: false });
          reload();
        }}
      />
    </main>
  );
}

function EndpointSummary({ endpoint }: { endpoint: WebhookEndpoint }) {
  const state = endpoint.enabled
    ? 'On'
    : endpoint.disabledReason === 'gone'
      ? 'Off: it answered 410 Gone'
      : 'Off';
  return (
    <div className="endpoint-summary">
      <strong className="endpoint-url">{endpoint.url}</strong>
      {endpoint.description && <span>{endpoint.description}</span>}
      <span className="muted">
        {state} · {endpoint.eventTypes.join(', ')}
        {endpoint.allowPrivateNetwork && ' · private addresses allowed'}
        {endpoint.previousSecretValidUntil &&
          ` · the previous secret also signs until ${new Date(endpoint.previousSecretValidUntil).toLocaleString()}`}
      </span>
    </div>
  );
}

function SecretNotice({ shown, onDismiss }: { shown: ShownSecret; onDismiss(): void }) {
  return (
    <div className="notice" role="status" data-testid="webhook-secret">
      <strong>{shown.rotated ? 'The new signing secret' : 'The endpoint’s signing secret'}</strong>
      <p>
        Copy it now: it is shown only once. Your receiver verifies each delivery’s webhook-signature with it
        {shown.rotated ? '; for 24 hours deliveries are signed with the previous secret as well.' : '.'}
      </p>
      <code className="secret">{shown.secret}</code>
      <button type="button" className="button button-quiet" onClick={onDismiss}>
        I have copied it
      </button>
    </div>
  );
}
