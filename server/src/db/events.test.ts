import { asc } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { emitEvent, emitEvents, onEvent } from './events';
import { events, leads } from './schema';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('writes announce themselves', () => {
  it('wakes listeners once after a new write path that emits commits, without a call by hand', async () => {
    let woken = 0;
    const stop = onEvent(() => woken++);
    try {
      // A write this codebase does not have yet: it only emits, and never notifies anybody.
      await t.db.transaction(async (tx) => {
        await emitEvent(tx, t.workspaceId, 'lead.updated', null, { by: 'a future write' });
        await emitEvent(tx, t.workspaceId, 'lead.updated', null, { by: 'the same write again' });
        await Promise.resolve();
        expect(woken).toBe(0);
      });
      expect(woken).toBe(1);
    } finally {
      stop();
    }
  });

  it('wakes nobody when the write rolls back, or emitted nothing', async () => {
    let woken = 0;
    const stop = onEvent(() => woken++);
    try {
      await expect(
        t.db.transaction(async (tx) => {
          await emitEvent(tx, t.workspaceId, 'lead.updated', null, {});
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      await t.db.transaction((tx) => tx.select().from(leads));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(woken).toBe(0);
    } finally {
      stop();
    }
  });
});

describe('emitEvents', () => {
  it('stores each event as emitEvent does, in order, past one statement’s share of rows', async () => {
    const at = new Date('2026-11-30T12:34:56.789Z');
    const many = Array.from({ length: 5001 }, (_, i) => ({
      workspaceId: t.workspaceId,
      type: 'lead.created' as const,
      leadId: `lead-${i}`,
      data: { importId: 'imp', row: i, nested: { quote: 'it\'s "quoted"' } },
      at,
    }));
    await t.db.transaction(async (tx) => {
      await emitEvent(tx, t.workspaceId, 'lead.updated', 'lead-single', { row: -1 }, at);
      await emitEvents(tx, many);
    });
    const rows = await t.db.select().from(events).orderBy(asc(events.id));
    expect(rows).toHaveLength(5002);
    expect(rows[0]).toMatchObject({ type: 'lead.updated', leadId: 'lead-single', data: { row: -1 }, at });
    expect(
      rows
        .slice(1)
        .map(({ workspaceId, type, leadId, data, at }) => ({ workspaceId, type, leadId, data, at })),
    ).toEqual(many);
  });
});
