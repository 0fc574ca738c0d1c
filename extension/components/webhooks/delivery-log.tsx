import type { WebhookDelivery } from '@leadline/shared';
import { useEffect, useState } from 'react';
import { useApi } from '@/components/api-context';
import { ErrorNotice } from '@/components/error-notice';
import { useAsync } from '@/hooks/use-async';
import { unwrap } from '@/utils/api';

const STATUS_LABELS: Record<WebhookDelivery['status'], string> = {
  pending: 'Retrying',
  succeeded: 'Delivered',
  failed: 'Failed',
};

/** How often an open log reads the deliveries again, to show retries as they happen. */
const REFRESH_MS = 3000;

/** One endpoint's latest deliveries, each try's response code, and "Send again". */
export function DeliveryLog({ endpointId }: { endpointId: string }) {
  const api = useApi();
  const [state, reload] = useAsync(
    () => unwrap(api.webhooks[':id'].deliveries.$get({ param: { id: endpointId }, query: { limit: '25' } })),
    [api, endpointId],
  );
  const [resendError, setResendError] = useState<Error | null>(null);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  if (!state.data) {
    return state.status === 'error' ? (
      <ErrorNotice error={state.error} onRetry={reload} />
    ) : (
      <p className="skeleton">Loading deliveries…</p>
    );
  }
  const { items } = state.data;
  if (!items.length) return <p className="muted">No delivery yet: events are sent as they happen.</p>;

  async function resend(deliveryId: string) {
    setResendError(null);
    try {
      await unwrap(
        api.webhooks[':id'].deliveries[':deliveryId'].resend.$post({ param: { id: endpointId, deliveryId } }),
      );
      reload();
    } catch (error) {
      setResendError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return (
    <div className="table-scroll">
      {resendError && <ErrorNotice error={resendError} />}
      <table data-testid="delivery-log">
        <caption>Latest deliveries</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">Status</th>
            <th scope="col">Responses (latest first)</th>
            <th scope="col">Created</th>
            <th scope="col">Next try</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((delivery) => (
            <tr key={delivery.id} data-testid="delivery-row">
              <th scope="row">
                {delivery.eventType}
                <br />
                <small className="muted">{delivery.id}</small>
              </th>
              <td>{STATUS_LABELS[delivery.status]}</td>
              <td>
                {delivery.attemptLog
                  .map((attempt) => attempt.responseStatus ?? attempt.error ?? 'no answer')
                  .join(', ') || '–'}
              </td>
              <td>{new Date(delivery.createdAt).toLocaleString()}</td>
              <td>{delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt).toLocaleString() : '–'}</td>
              <td>
                <button
                  type="button"
                  className="button button-quiet"
                  onClick={() => void resend(delivery.id)}
                >
                  Send again
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
