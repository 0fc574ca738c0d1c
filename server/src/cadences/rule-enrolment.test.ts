import { type Cadence, DEFAULT_SCORING_MODEL, type Enrolment, type Lead } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

async function lead(body: Record<string, unknown>) {
  const res = await t.post('/api/leads', body);
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Lead;
}

const enrolmentsOf = async (leadId: string) =>
  ((await (await t.get(`/api/leads/${leadId}/enrolments`)).json()) as { items: Enrolment[] }).items;

describe('enrolment rules', () => {
  it('use routing’s vocabulary: region, seniority and the live score are refused when wrong, read when right', async () => {
    const refused = await t.post('/api/cadences', {
      name: 'Bad',
      steps: [{ type: 'call', delayDays: 0 }],
      rule: { stage: 'mql', conditions: [{ field: 'region', op: 'equals', value: 'Atlantis' }] },
    });
    expect(refused.status).toBe(422);
    expect(JSON.stringify(await refused.json())).toContain('region is one of DACH');
    const ok = await t.post('/api/cadences', {
      name: 'DACH execs',
      steps: [{ type: 'call', delayDays: 0 }],
      rule: {
        stage: 'mql',
        conditions: [
          { field: 'region', op: 'equals', value: 'DACH' },
          { field: 'seniority', op: 'in', values: ['vp', 'c-level'] },
          { field: 'score', op: 'gte', value: 1 },
        ],
      },
    });
    expect(ok.status, await ok.clone().text()).toBe(201);
    expect(((await ok.json()) as Cadence).rule?.conditions).toHaveLength(3);
  });

  it('enrol the leads a scoring-model change moves to MQL, in the same rescore, and only those that match', async () => {
    const exec = await lead({
      fullName: 'Greta Geschäft',
      email: 'greta@kiel.de',
      title: 'VP Sales',
      country: 'DE',
    });
    const analyst = await lead({
      fullName: 'Arne Analyst',
      email: 'arne@kiel.de',
      title: 'Analyst',
      country: 'DE',
    });
    const abroad = await lead({
      fullName: 'Paula Paris',
      email: 'paula@lyon.fr',
      title: 'VP Sales',
      country: 'FR',
    });
    for (const created of [exec, analyst, abroad]) expect(created.stage).toBe('new');
    expect(exec.score).toBeGreaterThan(0);

    // Lowering the MQL threshold moves every scored lead to MQL at once, in the model's rescore.
    const res = await t.request('PUT', '/api/scoring-model', {
      body: { ...DEFAULT_SCORING_MODEL, thresholds: { ...DEFAULT_SCORING_MODEL.thresholds, mql: 1 } },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { stageChanges: number }).stageChanges).toBeGreaterThanOrEqual(2);
    const stageOf = async (id: string) => ((await (await t.get(`/api/leads/${id}`)).json()) as Lead).stage;
    expect(await stageOf(exec.id)).toBe('mql');
    expect(await stageOf(abroad.id)).toBe('mql');

    expect((await enrolmentsOf(exec.id)).map((e) => [e.cadenceName, e.state])).toEqual([
      ['DACH execs', 'active'],
    ]);
    expect((await enrolmentsOf(exec.id))[0]!.history.map((h) => h.kind)).toEqual(['enrolled']);
    expect(await enrolmentsOf(analyst.id)).toEqual([]);
    expect(await enrolmentsOf(abroad.id)).toEqual([]);
  });
});
