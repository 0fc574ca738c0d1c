import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createOutbox } from './outbox';
import { setup, touch } from './testing/outbox-fake-api';
import { undoTouchpoint } from './touchpoint-undo';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('submit', () => {
  it('says a write was sent, with the API answer and the id of what it stored', async () => {
    const { api, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    const outcome = await outbox.submit(touch(leadId, 'hello'), 'key-1');
    expect(outcome).toMatchObject({
      status: 'sent',
      leadId,
      id: expect.stringMatching(/^tp_/),
      answer: { leadId, note: 'hello' },
    });
    expect(await outbox.entries()).toEqual([]);
  });

  it('says a write waits in the outbox while the API is unreachable', async () => {
    const { api, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    api.offline = true;
    const outcome = await outbox.submit(touch(leadId, 'offline'));
    expect(outcome).toMatchObject({ status: 'queued', entry: { state: 'pending', attempts: 1 } });
  });

  it('says a write was refused, with the problem, and keeps it for the rep', async () => {
    const { api, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    const outcome = await outbox.submit(touch(leadId, 'bad', 'smoke_signal' as 'call_connected'));
    expect(outcome).toMatchObject({
      status: 'refused',
      error: { status: 422, title: 'Validation failed' },
    });
    expect((await outbox.entries()).map((entry) => entry.state)).toEqual(['failed']);
  });

  it('still reports a write as queued when the drain itself fails', async () => {
    const { api, outbox } = setup({
      getSettings: () => Promise.reject(new Error('storage is gone')),
    });
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      expect(await outbox.submit(touch(leadId, 'kept'))).toMatchObject({ status: 'queued' });
    } finally {
      console.error = original;
    }
    expect(errors).toHaveLength(1);
  });
});

describe('Undo of a touchpoint', () => {
  it('deletes the touchpoint the background sent, from the panel', async () => {
    const { api, deps } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    const panel = createOutbox(deps);
    const background = createOutbox(deps);
    // The panel queues the click; the background's drain (alarm, restart) is the one that sends it.
    await panel.enqueue(touch(leadId, 'call'), 'click-1');
    expect(await background.drain()).toMatchObject({ sent: 1 });

    const removed: string[] = [];
    const outcome = await undoTouchpoint(panel, 'click-1', async (id) => {
      removed.push(id);
    });
    expect(outcome).toBe('deleted');
    expect(removed).toEqual([expect.stringMatching(/^tp_/)]);
  });

  it('deletes a touchpoint that was in flight when the rep clicked Undo', async () => {
    const { api, deps } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    // The API stores the touchpoint, but its answer is held back until the rep has clicked Undo.
    const outbox = createOutbox({
      ...deps,
      fetch: async (input, init) => {
        const res = await api.fetch(input, init);
        await answered;
        return res;
      },
    });
    await outbox.enqueue(touch(leadId, 'call'), 'click-3');
    const sending = outbox.drain();
    await expect.poll(() => api.stored.length).toBe(1);
    const removed: string[] = [];
    const undoing = undoTouchpoint(outbox, 'click-3', async (id) => {
      removed.push(id);
    });
    answer();
    expect(await undoing).toBe('deleted');
    await sending;
    expect(removed).toEqual([expect.stringMatching(/^tp_/)]);
  });

  it('takes a touchpoint still waiting out of the outbox, and says when it knows nothing of it', async () => {
    const { api, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    api.offline = true;
    await outbox.enqueue(touch(leadId, 'call'), 'click-2');
    const remove = async () => {
      throw new Error('must not be called');
    };
    expect(await undoTouchpoint(outbox, 'click-2', remove)).toBe('discarded');
    expect(await outbox.entries()).toEqual([]);
    expect(await undoTouchpoint(outbox, 'never-sent', remove)).toBe('unknown');
  });
});
