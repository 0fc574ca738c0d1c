import {
  DEFAULT_SCORING_MODEL,
  type Lead,
  type LeadDetail,
  type ScoreResponse,
  type ScoringModel,
  scoreLead,
  type TouchpointType,
} from '@leadline/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';

const DAY = 86_400_000;
let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

async function lead(body: Record<string, unknown>): Promise<Lead> {
  const res = await t.post('/api/leads', body);
  expect(res.status).toBe(201);
  return (await res.json()) as Lead;
}

async function touch(id: string, type: TouchpointType, occurredAt?: Date) {
  const res = await t.post(`/api/leads/${id}/touchpoints`, { type, occurredAt: occurredAt?.toISOString() });
  expect(res.status).toBe(201);
}

async function scoreAt(id: string, at?: Date): Promise<ScoreResponse> {
  const res = await t.get(`/api/leads/${id}/score${at ? `?at=${encodeURIComponent(at.toISOString())}` : ''}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ScoreResponse;
}

async function stageHistory(id: string) {
  const rows = await t.client.execute({
    sql: 'select from_stage, to_stage, cause from stage_changes where lead_id = ? order by at, rowid',
    args: [id],
  });
  return rows.rows.map((row) => `${row.from_stage ?? '-'}>${row.to_stage}:${row.cause}`);
}

const VP = { fullName: 'Vera Paulsen', title: 'VP Sales', email: 'vera@acme-robotics.com', companySize: 120 };

describe('fit and grade on write', () => {
  it('scores a new lead from its fields: 30 senior + 15 business e-mail + 20 mid-market = 65, grade B', async () => {
    const created = await lead(VP);
    expect(created).toMatchObject({ fit: 65, grade: 'B', engagement: 0, score: 33, stage: 'new' });
    const detail = (await (await t.get(`/api/leads/${created.id}`)).json()) as LeadDetail;
    expect(detail.scoring.breakdown.fitRules.map((rule) => rule.ruleId)).toEqual([
      'senior-title',
      'business-email',
      'mid-market',
    ]);
    expect(detail.scoring).toMatchObject({ score: 33, modelVersion: 1, stage: 'new' });
  });

  it('rescored when the fields change', async () => {
    const created = await lead(VP);
    const res = await t.patch(`/api/leads/${created.id}`, { email: 'vera@gmail.com', phone: '+4930123456' });
    expect(((await res.json()) as Lead).fit).toBe(55); // 65 - 15 (free mail) + 5 (phone)
  });
});

describe('engagement decays continuously', () => {
  it('halves every 30 days, counts a late touchpoint from its own time, and not before', async () => {
    const created = await lead(VP);
    const now = Date.now();
    const demoAt = new Date(now - 29 * DAY);
    await touch(created.id, 'demo_requested', demoAt); // logged late: 40 points, 29 days ago
    const current = await scoreAt(created.id);
    expect(current.engagement).toBeCloseTo(40 * 2 ** (-29 / 30), 2); // 20.47
    expect(current.score).toBe(45); // round(32.5 + 0.5 * 100 * (1 - 2^(-20.47 / 50))) = round(32.5 + 12.35)

    expect((await scoreAt(created.id, demoAt)).engagement).toBe(40);
    expect((await scoreAt(created.id, new Date(demoAt.getTime() - 1))).engagement).toBe(0);
    const sixtyLater = await scoreAt(created.id, new Date(demoAt.getTime() + 60 * DAY)); // two half-lives
    expect(sixtyLater.engagement).toBe(10);
    expect(sixtyLater.breakdown.touchpoints).toEqual([
      expect.objectContaining({ type: 'demo_requested', points: 40, pointsNow: 10 }),
    ]);
  });

  it('clamps negative points at zero', async () => {
    const created = await lead(VP);
    const at = new Date(Date.now() - DAY);
    await touch(created.id, 'email_opened', at);
    await touch(created.id, 'unsubscribed', at);
    expect((await scoreAt(created.id)).engagement).toBe(0);
    const list = (await (await t.get('/api/leads?sort=-score')).json()) as { items: Lead[] };
    expect(list.items[0]!.engagement).toBe(0);
  });

  it('does not count a touchpoint logged ahead of time until its moment, then folds it in', async () => {
    const created = await lead(VP);
    const later = new Date(Date.now() + 10 * 60_000);
    await touch(created.id, 'meeting_held', later);
    const before = (await (await t.get(`/api/leads/${created.id}`)).json()) as LeadDetail;
    expect(before.engagement).toBe(0);
    expect((await scoreAt(created.id, new Date(later.getTime() + 1))).engagement).toBeCloseTo(30, 2);
    // Let its moment come: move the touchpoint (and the lead's pending mark) into the past.
    const past = Date.now() - 1000;
    await t.client.execute({
      sql: 'update touchpoints set occurred_at = ? where lead_id = ?',
      args: [past, created.id],
    });
    await t.client.execute({
      sql: 'update leads set pending_touch_at = ? where id = ?',
      args: [past, created.id],
    });
    const list = (await (await t.get('/api/leads?sort=-score')).json()) as { items: Lead[] };
    expect(list.items[0]!.engagement).toBeGreaterThan(29.99);
    expect(list.items[0]!.lastTouchAt).toBe(new Date(past).toISOString());
  });

  it('refuses a bad `at`', async () => {
    const created = await lead(VP);
    const res = await t.get(`/api/leads/${created.id}/score?at=tomorrow`);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { type: string }).type).toBe('/problems/validation');
  });
});

describe('the lead row a touchpoint writes', () => {
  it('sets only the columns that change, so the indexes over the others are not rewritten', async () => {
    // A trigger per column of interest, fired only when the update names that column.
    await t.client.execute('create table column_writes (name text not null)');
    for (const column of ['stage', 'pending_touch_at', 'engagement_key', 'last_touch_at']) {
      await t.client.execute(
        `create trigger log_${column} after update of ${column} on leads begin insert into column_writes values ('${column}'); end`,
      );
    }
    const writes = async () => {
      const rows = await t.client.execute('select name from column_writes order by rowid');
      await t.client.execute('delete from column_writes');
      return rows.rows.map((row) => String(row.name)).sort();
    };
    const created = await lead(VP); // score 33, new
    await writes();
    await touch(created.id, 'email_opened'); // a few points: still new
    expect(await writes()).toEqual(['engagement_key', 'last_touch_at']);
    await touch(created.id, 'meeting_booked'); // 47
    await touch(created.id, 'email_replied'); // 54: mql
    expect(await writes()).toEqual([
      'engagement_key',
      'engagement_key',
      'last_touch_at',
      'last_touch_at',
      'stage',
    ]);
    expect((await scoreAt(created.id)).stage).toBe('mql');
    // Logged ahead of time: it waits as pending, and the stored sums do not move.
    await touch(created.id, 'meeting_held', new Date(Date.now() + 3 * DAY));
    expect(await writes()).toEqual(['pending_touch_at']);
  });
});

describe('stages move forward on thresholds, never back', () => {
  it('new -> mql -> sql as touchpoints lift the score, recording each change', async () => {
    const created = await lead(VP); // score 33
    // Engagement e counts 0.5 * curve(e), curve(e) = 100 * (1 - 2^(-e / 50)).
    await touch(created.id, 'meeting_booked'); // 25 -> 32.5 + 14.6 = 47
    await touch(created.id, 'email_replied'); // 40 -> 32.5 + 21.3 = 54: mql
    let current = (await (await t.get(`/api/leads/${created.id}`)).json()) as LeadDetail;
    expect(current.stage).toBe('mql');
    await touch(created.id, 'demo_requested'); // 80 -> 32.5 + 33.5 = 66
    await touch(created.id, 'meeting_held'); // 110 -> 32.5 + 39.1 = 72: still mql
    expect(((await (await t.get(`/api/leads/${created.id}`)).json()) as LeadDetail).stage).toBe('mql');
    await touch(created.id, 'demo_requested'); // 150 -> 32.5 + 43.75 = 76 with grade B: sql
    current = (await (await t.get(`/api/leads/${created.id}`)).json()) as LeadDetail;
    expect(current.stage).toBe('sql');
    expect(await stageHistory(created.id)).toEqual([
      '->new:created',
      'new>mql:threshold',
      'mql>sql:threshold',
    ]);
  });

  it('keeps a grade C lead at mql however engaged (sqlMinGrade B)', async () => {
    const created = await lead({
      fullName: 'Mia Manager',
      title: 'Marketing Manager',
      email: 'mia@smallco.io',
    }); // 15 + 15 = 30
    for (const type of ['demo_requested', 'meeting_held', 'meeting_booked', 'email_opened'] as const) {
      await touch(created.id, type);
    }
    const current = (await (await t.get(`/api/leads/${created.id}`)).json()) as LeadDetail;
    expect(current.grade).toBe('D');
    expect(current.score).toBe(52); // 15 + 0.5 * 100 * (1 - 2^(-96 / 50)) = 15 + 36.8
    expect(current.stage).toBe('mql');
  });

  it('leaves a stage set by hand alone, and a decayed score never moves a lead back', async () => {
    const created = await lead(VP);
    await t.patch(`/api/leads/${created.id}`, { stage: 'nurture' });
    await touch(created.id, 'demo_requested');
    await touch(created.id, 'meeting_held');
    expect(((await (await t.get(`/api/leads/${created.id}`)).json()) as Lead).stage).toBe('nurture');

    const hot = await lead({ ...VP, fullName: 'Hot Lead', email: 'hot@acme-robotics.com' });
    await touch(hot.id, 'demo_requested', new Date(Date.now() - 200 * DAY)); // decayed to ~0 now
    await touch(hot.id, 'email_replied', new Date(Date.now() - 200 * DAY));
    await touch(hot.id, 'demo_requested'); // 40 now: 32.5 + 20.3 = 53, mql
    const now = (await (await t.get(`/api/leads/${hot.id}`)).json()) as LeadDetail;
    expect(now.stage).toBe('mql');
    expect((await scoreAt(hot.id, new Date(Date.now() + 400 * DAY))).stage).toBe('mql');
  });

  it('emits a threshold crossing on the event stream', async () => {
    const created = await lead(VP);
    const res = await t.request('GET', '/api/events');
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      const deadline = Date.now() + 5000;
      while (!text.includes(needle) && Date.now() < deadline) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      return text.includes(needle);
    };
    expect(await readUntil('event: ready')).toBe(true);
    await touch(created.id, 'demo_requested');
    expect(await readUntil('event: lead.stage_changed')).toBe(true);
    expect(await readUntil('event: touchpoint.logged')).toBe(true);
    expect(text).toContain('"to":"mql"');
    await reader.cancel();
  });
});

describe('next steps', () => {
  it('asks for speed to lead on a new, untouched lead, and to qualify once it is an MQL', async () => {
    const created = await lead(VP);
    const fresh = await scoreAt(created.id);
    expect(fresh.nextSteps[0]).toMatchObject({ id: 'speed-to-lead', priority: 1 });
    await touch(created.id, 'call_connected');
    await touch(created.id, 'email_replied');
    await touch(created.id, 'meeting_booked');
    const after = await scoreAt(created.id);
    expect(after.stage).toBe('mql');
    expect(after.nextSteps.map((step) => step.id)).not.toContain('speed-to-lead');
    expect(after.nextSteps.map((step) => step.id)).toContain('qualify-bant');
  });
});

describe('the scoring model', () => {
  it('is the default model at version 1', async () => {
    const body = (await (await t.get('/api/scoring-model')).json()) as {
      version: number;
      model: ScoringModel;
    };
    expect(body.version).toBe(1);
    expect(body.model).toEqual(DEFAULT_SCORING_MODEL);
  });

  it('refuses a bad model with a 422 naming each field, and keeps the old one', async () => {
    const bad = {
      ...DEFAULT_SCORING_MODEL,
      weights: { fit: 0.9, engagement: 0.5 },
      touchpointPoints: { ...DEFAULT_SCORING_MODEL.touchpointPoints, smoke_signal: 3 },
    };
    const res = await t.request('PUT', '/api/scoring-model', { body: bad });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { issues: { path: (string | number)[] }[] };
    const paths = problem.issues.map((issue) => issue.path.join('.'));
    expect(paths.some((path) => path.startsWith('weights'))).toBe(true);
    expect(paths.some((path) => path.startsWith('touchpointPoints'))).toBe(true);
    expect(((await (await t.get('/api/scoring-model')).json()) as { version: number }).version).toBe(1);
  });

  it('replaces the model and rescores every lead in one go', async () => {
    const a = await lead(VP);
    const b = await lead({ fullName: 'No Fit', email: 'nofit@gmail.com' });
    await touch(b.id, 'meeting_held', new Date(Date.now() - 30 * DAY)); // 15 now
    const model: ScoringModel = {
      ...DEFAULT_SCORING_MODEL,
      halfLifeDays: null,
      weights: { fit: 0.2, engagement: 0.8 },
      thresholds: { mql: 20, sql: 90, sqlMinGrade: 'A' },
    };
    const res = await t.request('PUT', '/api/scoring-model', { body: model });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ version: 2, rescored: 2, stageChanges: 1 });
    const list = (await (await t.get('/api/leads?sort=-score')).json()) as { items: Lead[] };
    expect(list.items.map((item) => [item.id, item.score, item.stage])).toEqual([
      [b.id, 27, 'mql'], // no decay: 0.8 * 100 * (1 - 2^(-30 / 50)) = 27.2
      [a.id, 13, 'new'], // 65 * 0.2
    ]);
    expect((await scoreAt(a.id)).modelVersion).toBe(2);
  });

  it('lets only managers and admins change it', async () => {
    const rep = (await (await t.post('/api/tokens', { name: 'Rep' })).json()) as { token: string };
    const res = await t.request('PUT', '/api/scoring-model', {
      token: rep.token,
      body: DEFAULT_SCORING_MODEL,
    });
    expect(res.status).toBe(403);
  });
});

describe('ranking by live score', () => {
  it('equals scoring every lead from scratch, page after page', async () => {
    const now = Date.now();
    const types: TouchpointType[] = [
      'email_opened',
      'demo_requested',
      'meeting_held',
      'bounced',
      'email_replied',
    ];
    const titles = ['CEO', 'Sales Manager', 'Intern', 'Head of Growth', undefined];
    const created: {
      id: string;
      lead: Record<string, unknown>;
      touches: { type: TouchpointType; occurredAt: Date }[];
    }[] = [];
    for (let i = 0; i < 24; i++) {
      const body = {
        fullName: `Lead ${i}`,
        title: titles[i % titles.length],
        email: i % 3 ? `lead${i}@company${i}.com` : `lead${i}@gmail.com`,
        companySize: ((i * 37) % 400) + 1,
      };
      const row = await lead(body);
      const touches = Array.from({ length: i % 4 }, (_, j) => ({
        type: types[(i + j) % types.length]!,
        occurredAt: new Date(now - ((i * 7 + j * 13) % 90) * DAY),
      }));
      for (const tp of touches) await touch(row.id, tp.type, tp.occurredAt);
      created.push({ id: row.id, lead: body, touches });
    }
    const seen: Lead[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.get(`/api/leads?sort=-score&limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      const page = (await res.json()) as { items: Lead[]; nextCursor: string | null };
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(24);
    expect(new Set(seen.map((item) => item.id)).size).toBe(24);
    const at = Date.now();
    for (const item of seen) {
      const source = created.find((entry) => entry.id === item.id)!;
      const expected = scoreLead(source.lead, source.touches, DEFAULT_SCORING_MODEL, at);
      expect(item.score).toBe(expected.score);
      expect(item.engagement).toBeCloseTo(expected.engagement, 1);
    }
    const scores = seen.map((item) => item.score);
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
  });

  it('filters by stage and owner', async () => {
    const a = await lead(VP);
    await lead({ fullName: 'Other', email: 'other@acme-robotics.com' });
    await t.patch(`/api/leads/${a.id}`, { stage: 'opportunity' });
    const res = await t.get('/api/leads?sort=-score&stage=opportunity');
    expect(((await res.json()) as { items: Lead[] }).items.map((item) => item.id)).toEqual([a.id]);
    const none = await t.get('/api/leads?sort=-score&owner=nobody');
    expect(((await none.json()) as { items: Lead[] }).items).toEqual([]);
  });
});

describe('undo and history', () => {
  it('takes a touchpoint back and rebuilds the score without it; the stage it moved stays', async () => {
    const created = await lead(VP);
    const res = await t.post(`/api/leads/${created.id}/touchpoints`, { type: 'demo_requested' });
    const tp = (await res.json()) as { id: string };
    expect(((await (await t.get(`/api/leads/${created.id}`)).json()) as Lead).stage).toBe('mql');
    expect((await t.del(`/api/leads/${created.id}/touchpoints/${tp.id}`)).status).toBe(204);
    const after = (await (await t.get(`/api/leads/${created.id}`)).json()) as Lead;
    expect(after).toMatchObject({ engagement: 0, score: 33, stage: 'mql' });
    expect((await t.del(`/api/leads/${created.id}/touchpoints/${tp.id}`)).status).toBe(404);
    const history = (await (await t.get(`/api/leads/${created.id}/stage-changes`)).json()) as {
      items: { from: string | null; to: string; cause: string }[];
    };
    expect(history.items.map((item) => `${item.from ?? '-'}>${item.to}:${item.cause}`)).toEqual([
      'new>mql:threshold',
      '->new:created',
    ]);
  });

  it('lists the workspace users', async () => {
    const body = (await (await t.get('/api/users')).json()) as { items: { id: string; role: string }[] };
    expect(body.items).toEqual([expect.objectContaining({ id: t.adminUserId, role: 'admin' })]);
  });
});

describe('clock skew', () => {
  it('counts a "now" stamped by a clock a minute ahead as now, and a time an hour ahead as later', async () => {
    const created = await lead(VP);
    await touch(created.id, 'demo_requested', new Date(Date.now() + 60_000));
    expect((await scoreAt(created.id)).engagement).toBeGreaterThan(39.99);
    await touch(created.id, 'meeting_held', new Date(Date.now() + 3_600_000));
    expect((await scoreAt(created.id)).engagement).toBeLessThan(40.01);
  });
});
