import type { TouchpointCreate } from '@leadline/shared';
import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { createOutbox } from './outbox';
import type { OutboxWrite } from './outbox-state';
import { newLocalLeadId } from './outbox-state';
import { type Fault, notes, type Stored, setup, touch } from './testing/outbox-fake-api';

beforeEach(() => {
  fakeBrowser.reset();
});

describe('leads waiting to be created', () => {
  it('sends touchpoints made offline to the lead once it is created', async () => {
    const { api, clock, outbox, sent } = setup();
    api.offline = true;
    const localId = newLocalLeadId();
    await outbox.enqueue({
      kind: 'createLead',
      localId,
      body: { fullName: 'Grace Hopper', email: 'grace@navy.mil' },
    });
    await outbox.enqueue(touch(localId, 'call'));
    await outbox.enqueue({ kind: 'updateLead', leadRef: localId, body: { title: 'Rear Admiral' } });
    const pending = await outbox.drain();
    expect(await outbox.resolveLeadRef(localId)).toBeNull();
    expect(await outbox.dependentsOf(localId)).toHaveLength(2);

    api.offline = false;
    clock.t = pending.nextAttemptAt ?? clock.t;
    expect(await outbox.drain()).toMatchObject({ sent: 3, waiting: 0 });

    const leadId = api.stored[0]?.leadId;
    expect(api.stored.map((s) => [s.kind, s.leadId])).toEqual([
      ['createLead', leadId],
      ['logTouchpoint', leadId],
      ['updateLead', leadId],
    ]);
    expect(await outbox.resolveLeadRef(localId)).toBe(leadId);
    expect(sent[0]?.info.leadId).toBe(leadId);
    expect(sent[0]?.body).toMatchObject({ id: leadId, fullName: 'Grace Hopper' });

    // A click on the panel's still-local lead after the create is rewritten on the way in.
    const later = await outbox.enqueue(touch(localId, 'follow-up'));
    expect(later.write).toMatchObject({ leadRef: leadId });
  });

  it('maps a create answered 409 to the existing lead', async () => {
    const { api, outbox, sent } = setup();
    const existing = api.seed({ fullName: 'Grace Hopper', email: 'grace@navy.mil' });
    const localId = newLocalLeadId();
    await outbox.enqueue({
      kind: 'createLead',
      localId,
      body: { fullName: 'G. Hopper', email: 'grace@navy.mil' },
    });
    await outbox.enqueue(touch(localId, 'call'));

    expect(await outbox.drain()).toMatchObject({ sent: 2, failed: 0, waiting: 0 });
    expect(api.leads.size).toBe(1);
    expect(api.stored).toEqual([
      { kind: 'logTouchpoint', leadId: existing, body: { type: 'call_connected', note: 'call' } },
    ]);
    expect(await outbox.resolveLeadRef(localId)).toBe(existing);
    expect(sent[0]?.info).toMatchObject({ status: 409, leadId: existing });
  });

  it('blocks the dependents of a refused create until it is fixed, without blocking others', async () => {
    const { api, outbox } = setup();
    const other = api.seed({ fullName: 'Ada Lovelace' });
    const localId = newLocalLeadId();
    const create = await outbox.enqueue({ kind: 'createLead', localId, body: { company: 'Acme' } });
    await outbox.enqueue(touch(localId, 'call'));
    await outbox.enqueue(touch(other, 'unrelated'));

    expect(await outbox.drain()).toMatchObject({ sent: 1, failed: 1, waiting: 1, nextAttemptAt: null });
    expect(notes(api)).toEqual(['unrelated']);
    expect((await outbox.entries()).map((e) => e.state)).toEqual(['failed', 'blocked']);
    // A click made while the create is refused waits too.
    expect((await outbox.enqueue(touch(localId, 'email'))).state).toBe('blocked');
    expect(
      (await outbox.dependentsOf(create.key)).map((e) => (e.write.body as TouchpointCreate).note),
    ).toEqual(['call', 'email']);

    await outbox.fix(create.key, { fullName: 'Wile E. Coyote', company: 'Acme' });
    expect((await outbox.entries()).map((e) => e.state)).toEqual(['pending', 'pending', 'pending']);
    expect(await outbox.drain()).toMatchObject({ sent: 3, waiting: 0 });
    const leadId = await outbox.resolveLeadRef(localId);
    expect(api.stored.slice(1).map((s) => [s.kind, s.leadId, (s.body as { note?: string }).note])).toEqual([
      ['createLead', leadId, undefined],
      ['logTouchpoint', leadId, 'call'],
      ['logTouchpoint', leadId, 'email'],
    ]);
  });

  it('discards the dependents with a refused create', async () => {
    const { api, outbox } = setup();
    const localId = newLocalLeadId();
    const create = await outbox.enqueue({ kind: 'createLead', localId, body: { company: 'Acme' } });
    await outbox.enqueue(touch(localId, 'call'));
    await outbox.drain();

    await outbox.discard(create.key);
    expect(await outbox.entries()).toEqual([]);
    expect(api.stored).toEqual([]);
    await expect(outbox.enqueue(touch(localId, 'late'))).rejects.toThrow(/No lead/);
  });
});

describe('watch', () => {
  it('reports the entries now and after each change', async () => {
    const { outbox } = setup();
    const seen: number[] = [];
    const unwatch = outbox.watch((entries) => seen.push(entries.length));
    await vi.waitFor(() => expect(seen).toEqual([0]));
    await outbox.enqueue(touch('lead_1', 'x'));
    await vi.waitFor(() => expect(seen).toEqual([0, 1]));
    unwatch();
    await outbox.enqueue(touch('lead_1', 'y'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen).toEqual([0, 1]);
  });
});

describe('property: nothing lost, nothing doubled', () => {
  type Command =
    | { t: 'create' }
    | { t: 'touch'; target: number; double: boolean; drainBetween: boolean }
    | { t: 'patch'; target: number }
    | { t: 'drain' }
    | { t: 'restart' };

  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.constant({ t: 'create' as const }),
    fc.record({
      t: fc.constant('touch' as const),
      target: fc.nat(),
      double: fc.boolean(),
      drainBetween: fc.boolean(),
    }),
    fc.record({ t: fc.constant('patch' as const), target: fc.nat() }),
    fc.constant({ t: 'drain' as const }),
    fc.constant({ t: 'restart' as const }),
  );
  const fault = fc.constantFrom<Fault | 'ok'>('ok', 'ok', 'network', 'lost', '503', '429');

  it('stores exactly the enqueued writes, each once, in enqueue order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(command, { maxLength: 25 }),
        fc.array(fault, { maxLength: 40 }),
        async (commands, faults) => {
          fakeBrowser.reset();
          const { api, clock, deps } = setup({ random: Math.random, onSent: undefined });
          api.faults.push(...faults);
          let outbox = createOutbox(deps);
          const refs = [api.seed({ fullName: 'Seed One' }), api.seed({ fullName: 'Seed Two' })];
          const expected: OutboxWrite[] = [];
          let n = 0;

          const drainOnce = async () => {
            const result = await outbox.drain();
            if (result.nextAttemptAt !== null) clock.t = Math.max(clock.t, result.nextAttemptAt);
            return result;
          };

          for (const c of commands) {
            if (c.t === 'create') {
              const localId = newLocalLeadId();
              const write: OutboxWrite = {
                kind: 'createLead',
                localId,
                body: { fullName: `P${n}`, email: `p${n++}@example.com` },
              };
              await outbox.enqueue(write);
              expected.push(write);
              refs.push(localId);
            } else if (c.t === 'touch') {
              const write = touch(refs[c.target % refs.length] ?? '', `n${n++}`);
              const key = crypto.randomUUID();
              await outbox.enqueue(write, key);
              if (c.drainBetween) await drainOnce();
              if (c.double) await outbox.enqueue(write, key);
              expected.push(write);
            } else if (c.t === 'patch') {
              // Unique values: the API does not deduplicate PATCH, so a retried patch is applied again;
              // being next in line it lands right after itself and changes nothing.
              const write: OutboxWrite = {
                kind: 'updateLead',
                leadRef: refs[c.target % refs.length] ?? '',
                body: { title: `T${n++}` },
              };
              await outbox.enqueue(write);
              expected.push(write);
            } else if (c.t === 'drain') {
              await drainOnce();
            } else {
              outbox = createOutbox(deps);
            }
          }
          for (let i = 0; i < 100 && (await outbox.entries()).length > 0; i++) await drainOnce();

          expect(await outbox.entries()).toEqual([]);
          const want: Stored[] = [];
          for (const w of expected) {
            const ref = w.kind === 'createLead' ? w.localId : w.leadRef;
            want.push({
              kind: w.kind,
              leadId: (await outbox.resolveLeadRef(ref)) ?? 'unresolved',
              body: w.body,
            });
          }
          // A patch whose answer was lost is applied twice in a row; collapse such repeats only.
          const got = api.stored.filter(
            (s, i) =>
              !(s.kind === 'updateLead' && i > 0 && JSON.stringify(api.stored[i - 1]) === JSON.stringify(s)),
          );
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 150 },
    );
  });
});
