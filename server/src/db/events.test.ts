import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { emitEvent, onEvent } from './events';
import { leads } from './schema';

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
