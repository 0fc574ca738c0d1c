import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';
import { pollEvents } from './hub';

let t: TestApp;
let polls: number[];
beforeEach(async () => {
  polls = [];
  t = await createTestApp({
    events: {
      poll: (db, cursors, limit) => {
        polls.push(Date.now());
        return pollEvents(db, cursors, limit);
      },
    },
  });
});
afterEach(async () => {
  for (const stream of open) await stream.cancel();
  open.length = 0;
  t.close();
});

interface Followed {
  text: () => string;
  done: () => boolean;
  waitFor: (needle: string, ms?: number) => Promise<boolean>;
  cancel: () => Promise<void>;
}
const open: Followed[] = [];

/** Opens `GET /api/events` and reads it in the background (a stream nobody reads would stall its writer). */
async function follow(token?: string, headers?: Record<string, string>): Promise<Followed> {
  const res = await t.request('GET', '/api/events', { token, headers });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let ended = false;
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      text += decoder.decode(value);
    }
    ended = true;
  })();
  const followed: Followed = {
    text: () => text,
    done: () => ended,
    async waitFor(needle, ms = 4000) {
      const deadline = Date.now() + ms;
      while (!text.includes(needle) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return text.includes(needle);
    },
    cancel: () => reader.cancel().catch(() => undefined),
  };
  open.push(followed);
  expect(await followed.waitFor('event: ready')).toBe(true);
  return followed;
}

async function token(name: string) {
  return ((await (await t.post('/api/tokens', { name, role: 'rep' })).json()) as { token: string }).token;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An event written by another API process: in the log, with no wake-up for this one. */
async function foreignEvent(leadId: string) {
  await t.client.execute({
    sql: "insert into events (workspace_id, type, lead_id, data, at) values (?, 'lead.updated', ?, '{}', ?)",
    args: [t.workspaceId, leadId, Date.now()],
  });
}

describe('event streams', () => {
  it('keeps at most three streams per token: a fourth closes the first, with a reason', async () => {
    const rita = await token('Rita');
    const streams = [];
    for (let i = 0; i < 4; i++) streams.push(await follow(rita));
    const other = await follow();
    const first = streams[0]!;
    expect(await first.waitFor('event: closed')).toBe(true);
    expect(first.text()).toContain('more than 3 event streams');
    for (let i = 0; i < 50 && !first.done(); i++) await sleep(20);
    expect(first.done()).toBe(true);

    await foreignEvent('lead-after-limit');
    for (const stream of [...streams.slice(1), other]) {
      expect(await stream.waitFor('lead-after-limit')).toBe(true);
      expect(stream.text()).not.toContain('event: closed');
    }
    expect(first.text()).not.toContain('lead-after-limit');
  });

  it('reads the log once a second for ten open streams, and every stream gets every event', async () => {
    const tokens = [undefined, await token('A'), await token('B'), await token('C')];
    const streams = [];
    for (let i = 0; i < 10; i++) streams.push(await follow(tokens[i % 4]));
    await sleep(300);
    const from = Date.now();
    await sleep(3000);
    const idle = polls.filter((at) => at >= from && at < from + 3000).length;
    expect(idle).toBeGreaterThanOrEqual(2);
    expect(idle).toBeLessThanOrEqual(4);

    await foreignEvent('from-another-process');
    for (const stream of streams) expect(await stream.waitFor('from-another-process', 2500)).toBe(true);

    // A write of this process wakes the hub: one more query for all ten streams, not ten.
    const before = polls.length;
    const res = await t.post('/api/leads', { fullName: 'Wake Up' });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    for (const stream of streams) expect(await stream.waitFor(`"leadId":"${id}"`, 1500)).toBe(true);
    expect(polls.length - before).toBeLessThanOrEqual(2);
  });

  it('replays what a reconnecting stream missed after its Last-Event-ID, once', async () => {
    const live = await follow();
    await foreignEvent('missed-1');
    await foreignEvent('missed-2');
    expect(await live.waitFor('missed-2')).toBe(true);
    const missed = eventsIn(live.text()).find((event) => event.leadId === 'missed-1')!;
    const resumed = await follow(undefined, { 'last-event-id': String(missed.id - 1) });
    expect(await resumed.waitFor('missed-2')).toBe(true);
    await foreignEvent('after-resume');
    expect(await resumed.waitFor('after-resume')).toBe(true);
    const seen = eventsIn(resumed.text()).map((event) => event.leadId);
    expect(seen).toEqual(['missed-1', 'missed-2', 'after-resume']);
  });
});

function eventsIn(text: string): { id: number; leadId: string }[] {
  return [...text.matchAll(/^data: (\{.*\})$/gm)]
    .map((match) => JSON.parse(match[1]!) as { id?: number; leadId?: string })
    .filter((event): event is { id: number; leadId: string } => typeof event.leadId === 'string');
}
