import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emitEvent } from '../db/events';
import { createTestApp, type TestApp } from '../test-utils';
import { EVENT_RETENTION_MS, eventsAfter, pruneEvents } from './events.service';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('the event log', () => {
  it('keeps a day of events for reconnecting clients and prunes the rest', async () => {
    const now = new Date();
    await t.db.transaction(async (tx) => {
      await emitEvent(
        tx,
        t.workspaceId,
        'lead.created',
        'old',
        {},
        new Date(now.getTime() - EVENT_RETENTION_MS - 1),
      );
      await emitEvent(tx, t.workspaceId, 'lead.created', 'recent', {}, new Date(now.getTime() - 60_000));
    });
    await t.db.transaction((tx) => pruneEvents(tx, now));
    const left = await eventsAfter(t.db, t.workspaceId, 0);
    expect(left.map((event) => event.leadId)).toEqual(['recent']);
  });

  it('replays what a client missed after its Last-Event-ID', async () => {
    await t.db.transaction(async (tx) => {
      for (const id of ['a', 'b', 'c']) await emitEvent(tx, t.workspaceId, 'lead.updated', id, {});
    });
    const all = await eventsAfter(t.db, t.workspaceId, 0);
    const missed = await eventsAfter(t.db, t.workspaceId, all[0]!.id);
    expect(missed.map((event) => event.leadId)).toEqual(['b', 'c']);
  });
});
