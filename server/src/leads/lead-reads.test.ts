import type { Lead, LeadDetail, LeadMatch, ScoreResponse } from '@leadline/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { foldAllDueTouchpoints } from '../scoring/lead-scoring';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const VP = { fullName: 'Vera Paulsen', title: 'VP Sales', email: 'vera@acme-robotics.com', companySize: 120 };

const json = async <T>(res: Response | Promise<Response>) => (await (await res).json()) as T;

/** A lead with a meeting logged ahead of time whose moment has since come, not folded yet. */
async function leadWithDueTouchpoint() {
  const created = await json<Lead>(t.post('/api/leads', VP));
  const later = new Date(Date.now() + 10 * 60_000);
  expect(
    (await t.post(`/api/leads/${created.id}/touchpoints`, { type: 'meeting_held', occurredAt: later }))
      .status,
  ).toBe(201);
  const past = Date.now() - 1000;
  await t.client.execute({
    sql: 'update touchpoints set occurred_at = ? where lead_id = ?',
    args: [past, created.id],
  });
  await t.client.execute({
    sql: 'update leads set pending_touch_at = ? where id = ?',
    args: [past, created.id],
  });
  return { id: created.id, past };
}

const storedRow = async (id: string) =>
  (await t.client.execute({ sql: 'select * from leads where id = ?', args: [id] })).rows.map((row) => ({
    ...row,
  }))[0];
const writes = async () => Number((await t.client.execute('select count(*) from stage_changes')).rows[0]![0]);

describe('reads do not write', () => {
  it('counts a due touchpoint in list, match and get alike, writing nothing', async () => {
    const { id, past } = await leadWithDueTouchpoint();
    const before = await storedRow(id);
    const stageChanges = await writes();

    const byScore = await json<{ items: Lead[] }>(t.get('/api/leads?sort=-score'));
    const byTime = await json<{ items: Lead[] }>(t.get('/api/leads'));
    const matched = await json<LeadMatch>(t.get(`/api/leads/match?email=${encodeURIComponent(VP.email)}`));
    const detail = await json<LeadDetail>(t.get(`/api/leads/${id}`));
    const report = await json<ScoreResponse>(t.get(`/api/leads/${id}/score`));

    const seen = [byScore.items[0]!, byTime.items[0]!, matched.match!.lead, detail];
    for (const lead of seen) {
      expect(lead.engagement).toBeGreaterThan(29.99);
      expect(lead.lastTouchAt).toBe(new Date(past).toISOString());
    }
    expect(new Set(seen.map((lead) => lead.score))).toEqual(new Set([report.score]));
    expect(detail.scoring.score).toBe(report.score);
    // The row is as the last write left it: the touchpoint still waits to be folded.
    expect(await storedRow(id)).toEqual(before);
    expect(before!.pending_touch_at).toBe(past);
    expect(await writes()).toBe(stageChanges);
  });

  it('folds it on the next write to the lead, or on the timer', async () => {
    const first = await leadWithDueTouchpoint();
    const shown = await json<LeadDetail>(t.get(`/api/leads/${first.id}`));
    expect((await t.patch(`/api/leads/${first.id}`, { phone: '+49 30 1234567' })).status).toBe(200);
    const folded = await storedRow(first.id);
    expect(folded!.pending_touch_at).toBeNull();
    expect(folded!.last_touch_at).toBe(first.past);
    expect((await json<LeadDetail>(t.get(`/api/leads/${first.id}`))).engagement).toBeCloseTo(
      shown.engagement,
      1,
    );

    await t.del(`/api/leads/${first.id}`);
    const second = await leadWithDueTouchpoint();
    expect(await foldAllDueTouchpoints(t.db)).toBe(1);
    expect((await storedRow(second.id))!.pending_touch_at).toBeNull();
    expect(await foldAllDueTouchpoints(t.db)).toBe(0);
  });
});
