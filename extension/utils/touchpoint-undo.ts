import type { Outbox } from './outbox';

/** What Undo did: took the write out of the outbox, deleted the stored touchpoint, or found neither. */
export type UndoOutcome = 'discarded' | 'deleted' | 'unknown';

/**
 * Takes back a touchpoint the rep logged, by the key it was queued under: still waiting, it leaves
 * the outbox; already sent (by the panel or by the background's outbox), the stored touchpoint is
 * deleted through `remove`, whose refusal rejects for the caller to show.
 */
export async function undoTouchpoint(
  outbox: Pick<Outbox, 'entries' | 'discard' | 'drain' | 'sentRecord'>,
  key: string,
  remove: (touchpointId: string) => Promise<unknown>,
): Promise<UndoOutcome> {
  if ((await outbox.entries()).some((entry) => entry.key === key)) {
    await outbox.discard(key);
    // It may have been in flight: drains are serialised, so once this one is through, a send that
    // was under way has landed in the sent records.
    await outbox.drain().catch(() => undefined);
    if (!(await outbox.sentRecord(key))) return 'discarded';
  }
  const sent = await outbox.sentRecord(key);
  if (sent?.entry.write.kind !== 'logTouchpoint' || !sent.id) return 'unknown';
  await remove(sent.id);
  return 'deleted';
}
