import type { LoadedLead } from '@/hooks/use-lead-detail';
import { STAGE_LABELS } from '../stage-badge';
import { auditLabel } from './audit-label';
import { formatTime, touchpointLabel } from './format';

/** Touchpoints, stage moves and field changes (with who made them), newest first. */
export function Timeline({
  data,
}: {
  data: Pick<LoadedLead, 'touchpoints' | 'stageChanges'> & Partial<Pick<LoadedLead, 'audit' | 'users'>>;
}) {
  const users = data.users ?? new Map<string, string>();
  const changes = (data.audit ?? []).flatMap((entry) => {
    const text = auditLabel(entry, users);
    return text ? [{ key: entry.id, at: entry.at, text, note: null }] : [];
  });
  const items = [
    ...data.touchpoints.map((touch) => ({
      key: touch.id,
      at: touch.occurredAt,
      text: touchpointLabel(touch.type),
      note: touch.note,
    })),
    ...data.stageChanges.map((change) => ({
      key: change.id,
      at: change.at,
      text:
        change.from === null
          ? `Created as ${STAGE_LABELS[change.to]}`
          : `${STAGE_LABELS[change.from]} → ${STAGE_LABELS[change.to]} (${change.cause === 'rep' ? 'by hand' : change.cause})`,
      note: null,
    })),
    ...changes,
  ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));

  return (
    <>
      <h2>Timeline</h2>
      {items.length === 0 ? (
        <p className="empty">Nothing yet.</p>
      ) : (
        <ol className="timeline" data-testid="timeline">
          {items.map((item) => (
            <li key={item.key}>
              <span className="timeline-type">{item.text}</span>
              <time dateTime={item.at}>{formatTime(item.at)}</time>
              {item.note && <p>{item.note}</p>}
            </li>
          ))}
        </ol>
      )}
    </>
  );
}
