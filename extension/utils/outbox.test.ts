import type { TouchpointCreate } from '@leadline/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import { browser } from 'wxt/browser';
import { fakeBrowser } from 'wxt/testing';
import { createOutbox, scheduleNextDrain } from './outbox';
import { BACKOFF_BASE_MS, BACKOFF_CAP_MS, backoffDelay, OUTBOX_ALARM } from './outbox-state';
import { settingsItem } from './settings';
import { API, createFakeApi, notes, setup, TOKEN, touch } from './testing/outbox-fake-api';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('offline and restarts', () => {
  it('keeps clicks made offline in order and sends each exactly once after a restart', async () => {
    const { api, clock, deps, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    api.offline = true;
    for (const note of ['first', 'second', 'third']) await outbox.enqueue(touch(leadId, note));

    const offline = await outbox.drain();
    expect(offline).toMatchObject({ sent: 0, failed: 0, waiting: 3 });
    const queued = await outbox.entries();
    expect(queued.map((e) => (e.write.body as TouchpointCreate).note)).toEqual(['first', 'second', 'third']);
    expect(queued.map((e) => e.state)).toEqual(['pending', 'pending', 'pending']);
    // Only the head was tried: the others must not overtake it.
    expect(api.requests).toHaveLength(1);
    expect(queued[0]).toMatchObject({ attempts: 1, error: { status: 0, title: 'API unreachable' } });

    // The service worker (or the browser) restarts: a new outbox over the same storage.
    const restarted = createOutbox(deps);
    api.offline = false;
    clock.t = offline.nextAttemptAt ?? clock.t;
    const back = await restarted.drain();

    expect(back).toEqual({ sent: 3, failed: 0, waiting: 0, nextAttemptAt: null });
    expect(notes(api)).toEqual(['first', 'second', 'third']);
    expect(api.stored).toHaveLength(3);
    expect(await restarted.entries()).toEqual([]);
  });

  it('reads the settings the rep saved and waits without them', async () => {
    const api = createFakeApi();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    const outbox = createOutbox({ fetch: api.fetch });
    await outbox.enqueue(touch(leadId, 'before settings'));

    expect(await outbox.drain()).toMatchObject({ sent: 0, waiting: 1, nextAttemptAt: null });
    expect(api.requests).toHaveLength(0);

    await settingsItem.setValue({ apiUrl: API, token: TOKEN });
    expect(await outbox.drain()).toMatchObject({ sent: 1, waiting: 0 });
  });
});

describe('idempotency', () => {
  it('sends a double click once', async () => {
    const { api, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    const write = touch(leadId, 'call');
    const [a, b] = await Promise.all([outbox.enqueue(write, 'click-1'), outbox.enqueue(write, 'click-1')]);
    expect(a).toEqual(b);
    expect(await outbox.entries()).toHaveLength(1);

    await outbox.drain();
    // A second click that arrives after the first was already sent is still the same click.
    const late = await outbox.enqueue(write, 'click-1');
    expect(late.key).toBe('click-1');
    expect(await outbox.entries()).toEqual([]);
    await outbox.drain();

    expect(api.stored).toHaveLength(1);
    expect(api.requests).toHaveLength(1);
  });

  it('retries a write whose answer was lost with the same key, and the API stores it once', async () => {
    const { api, clock, outbox, sent } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    api.faults.push('lost');
    await outbox.enqueue(touch(leadId, 'meeting'));

    const first = await outbox.drain();
    expect(first).toMatchObject({ sent: 0, waiting: 1 });
    expect(api.stored).toHaveLength(1);

    clock.t = first.nextAttemptAt ?? clock.t;
    expect(await outbox.drain()).toMatchObject({ sent: 1, waiting: 0 });
    expect(api.stored).toHaveLength(1);
    expect(api.requests.map((r) => r.key)).toEqual([api.requests[0]?.key, api.requests[0]?.key]);
    expect(api.requests[1]?.replayed).toBe(true);
    expect(sent[0]?.info).toMatchObject({ status: 201, replayed: true, leadId });
  });

  it('lets concurrent drains send each entry once', async () => {
    const { api, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    for (const note of ['a', 'b', 'c', 'd']) await outbox.enqueue(touch(leadId, note));

    const second = createOutbox({
      fetch: api.fetch,
      getSettings: async () => ({ apiUrl: API, token: TOKEN }),
    });
    const results = await Promise.all([outbox.drain(), outbox.drain(), second.drain(), outbox.drain()]);

    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(4);
    expect(api.requests).toHaveLength(4);
    expect(notes(api)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses a malformed idempotency key up front', async () => {
    const { outbox } = setup();
    await expect(outbox.enqueue(touch('lead_1', 'x'), 'has spaces')).rejects.toThrow(/visible ASCII/);
  });
});

describe('refusals', () => {
  it('keeps a refused write with the reason, lets later ones go, sends the fix under a new key', async () => {
    const { api, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    const bad = await outbox.enqueue(touch(leadId, 'typo', 'cal' as TouchpointCreate['type']));
    await outbox.enqueue(touch(leadId, 'after'));

    expect(await outbox.drain()).toMatchObject({ sent: 1, failed: 1, waiting: 0, nextAttemptAt: null });
    expect(notes(api)).toEqual(['after']);
    const [failed] = await outbox.entries();
    expect(failed).toMatchObject({
      key: bad.key,
      state: 'failed',
      attempts: 1,
      error: {
        status: 422,
        title: 'Validation failed',
        issues: [expect.objectContaining({ path: ['type'] })],
      },
    });

    await outbox.fix(bad.key, { type: 'call_connected', note: 'typo' });
    const [fixed] = await outbox.entries();
    expect(fixed).toMatchObject({ state: 'pending', attempts: 0 });
    expect(fixed?.key).not.toBe(bad.key);
    expect(fixed?.error).toBeUndefined();

    expect(await outbox.drain()).toMatchObject({ sent: 1, waiting: 0 });
    expect(notes(api)).toEqual(['after', 'typo']);
    expect(api.requests.at(-1)?.key).toBe(fixed?.key);
  });

  it('discards a refused write', async () => {
    const { api, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    const bad = await outbox.enqueue(touch(leadId, 'typo', 'cal' as TouchpointCreate['type']));
    await outbox.drain();
    await outbox.discard(bad.key);
    expect(await outbox.entries()).toEqual([]);
    expect(api.stored).toEqual([]);
  });

  it('only fixes refused writes, since a pending one may be in flight', async () => {
    const { outbox } = setup();
    const entry = await outbox.enqueue(touch('lead_9', 'x'));
    await expect(outbox.fix(entry.key, { type: 'call_connected' })).rejects.toThrow(/refused/);
  });

  it('keeps a write the token was refused for and sends it after retryAll', async () => {
    const { api, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    api.token = 'rotated';
    const entry = await outbox.enqueue(touch(leadId, 'call'));

    expect(await outbox.drain()).toMatchObject({ sent: 0, failed: 1 });
    expect((await outbox.entries())[0]).toMatchObject({
      state: 'failed',
      error: { status: 401, title: 'Token rejected' },
    });

    api.token = TOKEN;
    await outbox.retryAll();
    expect((await outbox.entries())[0]).toMatchObject({ key: entry.key, state: 'pending', attempts: 0 });
    expect(await outbox.drain()).toMatchObject({ sent: 1 });
    expect(api.stored).toHaveLength(1);
  });
});

describe('backoff', () => {
  it('grows with every failure, is jittered within half of it, and is capped', () => {
    const delays = Array.from({ length: 20 }, (_, i) => backoffDelay(i + 1, 1));
    expect(delays.slice(0, 4)).toEqual([2_000, 4_000, 8_000, 16_000]);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
    expect(Math.max(...delays)).toBe(BACKOFF_CAP_MS);
    expect(backoffDelay(1, 0)).toBe(BACKOFF_BASE_MS / 2);
    expect(backoffDelay(1000, 0)).toBe(BACKOFF_CAP_MS / 2);
    expect(backoffDelay(1000, 0.999_999)).toBeLessThanOrEqual(BACKOFF_CAP_MS);
  });

  it('does not send before nextAttemptAt and retries the same entry when it is due', async () => {
    const { api, clock, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    await outbox.enqueue(touch(leadId, 'x'));
    api.offline = true;

    const waits: number[] = [];
    for (let i = 0; i < 10; i++) {
      const result = await outbox.drain();
      const next = result.nextAttemptAt ?? 0;
      waits.push(next - clock.t);
      // Not due yet: nothing is sent.
      const before = api.requests.length;
      clock.t = next - 1;
      expect(await outbox.drain()).toMatchObject({ sent: 0, nextAttemptAt: next });
      expect(api.requests).toHaveLength(before);
      clock.t = next;
    }
    expect(waits).toEqual([2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000]);
    expect((await outbox.entries())[0]?.attempts).toBe(10);
    expect(new Set(api.requests.map((r) => r.key)).size).toBe(1);

    api.offline = false;
    expect(await outbox.drain()).toMatchObject({ sent: 1 });
    expect(api.stored).toHaveLength(1);
  });

  it('does not take an HTML 200 (captive portal) for a stored write', async () => {
    const { api, clock, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    const portal = (async () =>
      new Response('<html>Sign in to the hotel Wi-Fi</html>', {
        status: 200,
        headers: { 'content-type': 'text/html' },
      })) as typeof fetch;
    const hotel = createOutbox({
      fetch: portal,
      getSettings: async () => ({ apiUrl: API, token: TOKEN }),
      now: () => clock.t,
    });
    await hotel.enqueue(touch(leadId, 'from the lobby'));

    const result = await hotel.drain();
    expect(result).toMatchObject({ sent: 0, waiting: 1 });
    expect((await hotel.entries())[0]).toMatchObject({
      state: 'pending',
      error: { title: 'Unexpected response' },
    });
    clock.t = result.nextAttemptAt ?? clock.t;
    expect(await outbox.drain()).toMatchObject({ sent: 1 });
    expect(api.stored).toHaveLength(1);
  });

  it('honours Retry-After and treats 5xx as transient', async () => {
    const { api, clock, outbox } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    api.faults.push('429', '503');
    await outbox.enqueue(touch(leadId, 'x'));

    const throttled = await outbox.drain();
    expect(throttled.nextAttemptAt).toBe(clock.t + 120_000);
    clock.t += 120_000;
    const unavailable = await outbox.drain();
    expect(unavailable).toMatchObject({ sent: 0, waiting: 1, nextAttemptAt: clock.t + 4_000 });
    expect((await outbox.entries())[0]).toMatchObject({ state: 'pending', error: { status: 503 } });
    clock.t += 4_000;
    expect(await outbox.drain()).toMatchObject({ sent: 1 });
  });

  it('retries now after retryAll (the rep fixed the API URL) and survives a throwing listener', async () => {
    const { api, clock } = setup();
    const leadId = api.seed({ fullName: 'Ada Lovelace' });
    const outbox = createOutbox({
      fetch: api.fetch,
      getSettings: async () => ({ apiUrl: API, token: TOKEN }),
      now: () => clock.t,
      onSent: () => {
        throw new Error('a bug in the panel');
      },
    });
    api.offline = true;
    await outbox.enqueue(touch(leadId, 'a'));
    await outbox.enqueue(touch(leadId, 'b'));
    const waiting = await outbox.drain();
    expect(waiting.nextAttemptAt).toBeGreaterThan(clock.t);

    api.offline = false;
    await outbox.retryAll();
    expect(await outbox.drain()).toMatchObject({ sent: 2, waiting: 0 });
    expect(notes(api)).toEqual(['a', 'b']);
  });

  it('wakes the background with an alarm, and cancels it when nothing waits', async () => {
    await scheduleNextDrain(1_800_000_000_000);
    expect(await browser.alarms.get(OUTBOX_ALARM)).toMatchObject({ scheduledTime: 1_800_000_000_000 });
    await scheduleNextDrain(null);
    expect(await browser.alarms.get(OUTBOX_ALARM)).toBeUndefined();
  });
});
