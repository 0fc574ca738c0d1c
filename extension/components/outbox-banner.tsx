import { touchpointLabel } from '@leadline/shared';
import type { OutboxEntry } from '@/utils/outbox-state';
import { useLive } from './live-context';

function describe(entry: OutboxEntry) {
  switch (entry.write.kind) {
    case 'createLead':
      return `New lead ${entry.write.body.fullName ?? entry.write.body.email ?? ''}`.trim();
    case 'updateLead':
      return 'Lead change';
    case 'logTouchpoint':
      return `Touchpoint: ${touchpointLabel(entry.write.body.type)}`;
  }
}

/** What waits to be sent, and what the API refused with its reason, to fix or discard. */
export function OutboxBanner() {
  const { entries, outbox, stream } = useLive();
  const waiting = entries.filter((entry) => entry.state !== 'failed');
  const failed = entries.filter((entry) => entry.state === 'failed');
  if (!entries.length && stream !== 'closed') return null;
  return (
    <div className="stack outbox" aria-live="polite">
      {stream === 'closed' && (
        <p className="notice" role="status">
          The Leadline API is unreachable. Your clicks are kept and sent when it is back.
        </p>
      )}
      {waiting.length > 0 && (
        <p className="notice" role="status" data-testid="outbox-waiting">
          {waiting.length} change{waiting.length === 1 ? '' : 's'} waiting to be sent
          {waiting[0]?.error ? ` (${waiting[0].error.title})` : ''}
        </p>
      )}
      {failed.map((entry) => (
        <div key={entry.key} className="notice notice-error" role="alert">
          <strong>
            {describe(entry)} was refused: {entry.error?.title}
          </strong>
          {entry.error?.detail && <p>{entry.error.detail}</p>}
          <div className="row">
            <button
              type="button"
              className="button"
              onClick={() => void outbox.fix(entry.key, entry.write.body)}
            >
              Send again
            </button>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => void outbox.discard(entry.key)}
            >
              Discard
            </button>
          </div>
        </div>
      ))}
    </div>
  );
}
