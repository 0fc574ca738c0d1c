import { type LeadStage, MS_PER_DAY, SOURCE_CHANNELS } from '@leadline/shared';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { newId } from '../db/ids';
import { leads, stageChanges, touchpoints, users } from '../db/schema';
import type { TestApp } from '../test-utils';

/**
 * Random lead histories for the analytics property tests: leads created over 120 days from T0 with
 * stage histories along the funnel (some lost, some skipping SQL) and touchpoints by three reps.
 */
export const DAY = MS_PER_DAY;
export const T0 = Date.UTC(2025, 0, 1);
const PATH = ['new', 'mql', 'sql', 'opportunity', 'won'] as const;
const TYPES = ['email_sent', 'call_attempted', 'email_opened', 'meeting_held', 'page_visit'] as const;

export const touchArb = fc.record({
  offsetMinutes: fc.integer({ min: -60, max: 60 * 24 * 60 }),
  type: fc.constantFrom(...TYPES),
  channel: fc.option(fc.constantFrom(...SOURCE_CHANNELS), { nil: null }),
  rep: fc.integer({ min: 0, max: 2 }),
});

export const leadArb = fc.record({
  createdDay: fc.integer({ min: 0, max: 120 }),
  channel: fc.constantFrom(...SOURCE_CHANNELS),
  campaign: fc.option(fc.constantFrom('spring', 'summer'), { nil: null }),
  owner: fc.integer({ min: 0, max: 2 }),
  /** How far along the funnel the history goes, and whether it then ends lost. */
  reached: fc.integer({ min: 0, max: 4 }),
  lost: fc.boolean(),
  skipsSql: fc.boolean(),
  stepDays: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 4, maxLength: 4 }),
  cents: fc.integer({ min: 0, max: 50_000_000 }),
  touches: fc.array(touchArb, { maxLength: 8 }),
});

/** Three reps in the test app's workspace; returns their ids. */
export async function addReps(t: TestApp): Promise<string[]> {
  const reps: string[] = [];
  for (const name of ['Rep A', 'Rep B', 'Rep C']) {
    const id = newId();
    reps.push(id);
    await t.db
      .insert(users)
      .values({ id, workspaceId: t.workspaceId, name, role: 'rep', createdAt: new Date(T0) });
  }
  return reps;
}

export async function reset(t: TestApp) {
  await t.db.delete(touchpoints);
  await t.db.delete(stageChanges);
  await t.db.delete(leads).where(sql`1 = 1`);
}

export type GeneratedLead = typeof leadArb extends fc.Arbitrary<infer T> ? T : never;

export async function insert(t: TestApp, reps: string[], generated: GeneratedLead[]) {
  for (const [i, lead] of generated.entries()) {
    const id = `P${i}`;
    const createdAt = T0 + lead.createdDay * DAY;
    const history: { to: LeadStage; at: number }[] = [{ to: 'new', at: createdAt }];
    let at = createdAt;
    for (let step = 1; step <= lead.reached; step++) {
      if (step === 2 && lead.skipsSql && lead.reached > 2) continue;
      at += lead.stepDays[step - 1]! * DAY + 1;
      history.push({ to: PATH[step]!, at });
    }
    if (lead.lost && lead.reached < 4) history.push({ to: 'lost', at: at + DAY });
    const stage = history[history.length - 1]!.to;
    await t.db.insert(leads).values({
      id,
      workspaceId: t.workspaceId,
      fullName: id,
      sourceChannel: lead.channel,
      utmCampaign: lead.campaign,
      ownerId: reps[lead.owner],
      stage,
      dealValue: lead.cents / 100,
      createdAt: new Date(createdAt),
      updatedAt: new Date(at),
    });
    await t.db.insert(stageChanges).values(
      history.map((change, k) => ({
        id: `${id}-s${k}`,
        workspaceId: t.workspaceId,
        leadId: id,
        fromStage: k === 0 ? null : history[k - 1]!.to,
        toStage: change.to,
        cause: k === 0 ? ('created' as const) : ('rep' as const),
        at: new Date(change.at),
      })),
    );
    if (lead.touches.length) {
      await t.db.insert(touchpoints).values(
        lead.touches.map((touch, k) => ({
          id: `${id}-t${k}`,
          workspaceId: t.workspaceId,
          leadId: id,
          userId: reps[touch.rep],
          type: touch.type,
          channel: touch.channel,
          occurredAt: new Date(createdAt + touch.offsetMinutes * 60_000),
          createdAt: new Date(createdAt),
        })),
      );
    }
  }
}
