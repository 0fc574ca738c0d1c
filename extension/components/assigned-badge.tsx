import { useEffect, useState } from 'react';
import { useLive } from './live-context';
import { useMe } from './me-context';

/**
 * "2 new for you": leads routed or handed to the signed-in rep since the panel opened (each a
 * `lead.assigned` event on the stream); a click shows them ("Assigned to me, not yet touched").
 */
export function AssignedBadge({ onOpen }: { onOpen(): void }) {
  const { onServerEvent } = useLive();
  const me = useMe();
  const [leadIds, setLeadIds] = useState<string[]>([]);
  const myId = me?.user.id;
  useEffect(() => {
    if (!myId) return;
    return onServerEvent((event) => {
      if (event.type !== 'lead.assigned' || !event.leadId) return;
      const data = event.data as { from?: string | null; to?: string | null };
      if (data.to !== myId || data.from === myId) return;
      const id = event.leadId;
      setLeadIds((ids) => (ids.includes(id) ? ids : [...ids, id]));
    });
  }, [onServerEvent, myId]);
  if (!leadIds.length) return null;
  return (
    <button
      type="button"
      className="badge-button"
      data-testid="assigned-badge"
      onClick={() => {
        setLeadIds([]);
        onOpen();
      }}
    >
      {leadIds.length} new for you
    </button>
  );
}
