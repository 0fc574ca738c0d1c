import { bootstrap } from '@leadline/server/bootstrap';
import { assertForeignKeys, type DatabaseHandle, openDatabase } from '@leadline/server/db';
import { activeModel, rescoreAll } from '@leadline/server/scoring';
import { recomputedRollups, storedRollups } from '@leadline/server/testing';
import {
  type Attribution,
  DEFAULT_SCORING_MODEL,
  type Funnel,
  type Lead,
  type ScoreResponse,
  TOUCHPOINT_TYPES,
} from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type SqldServer, startSqld } from '../support/sqld';

// The real API process with DATABASE_URL pointing at a real libSQL server (sqld), as a team that
// outgrew one machine runs it: nothing here may depend on an embedded file.
let sqld: SqldServer;
let server: ApiServer;
let handle: DatabaseHandle;
beforeAll(async () => {
  sqld = await startSqld();
  server = await startApiServer({ databaseUrl: sqld.url });
  handle = await openDatabase(sqld.url);
});
afterAll(async () => {
  handle?.close();
  await server?.dispose();
  await sqld?.dispose();
});

const DAY = 86_400_000;
const TITLES = ['VP Sales', 'Engineer', 'Head of IT', 'CEO', 'Analyst'];

describe('Leadline on a libSQL server (sqld)', () => {
  it('migrates, stores leads and touchpoints, scores them, and refuses a duplicate leaving nothing behind', async () => {
    const lead = await api<Lead>(server, 'POST', '/api/leads', {
      fullName: 'Sara Server',
      email: 'sara@northwind.example',
      title: 'VP Sales',
      companySize: 200,
    });
    expect(lead.status).toBe(201);
    const touch = await api(server, 'POST', `/api/leads/${lead.body.id}/touchpoints`, {
      type: 'meeting_held',
    });
    expect(touch.status).toBe(201);
    const score = await api<ScoreResponse>(server, 'GET', `/api/leads/${lead.body.id}/score`);
    expect(score.status).toBe(200);
    expect(score.body.fit).toBe(65);
    expect(score.body.engagement).toBeCloseTo(30, 1);
    const again = await api<{ type: string; existingLeadId: string }>(server, 'POST', '/api/leads', {
      fullName: 'Sara Server',
      email: 'sara@northwind.example',
    });
    expect(again.status).toBe(409);
    expect(again.body.existingLeadId).toBe(lead.body.id);
    const all = await api<{ items: Lead[] }>(server, 'GET', '/api/leads?q=sara');
    expect(all.body.items).toHaveLength(1);
  });

  it('rescores every lead on a model change, and ranks them as their own scores say', async () => {
    for (let i = 0; i < 24; i++) {
      const lead = await api<Lead>(server, 'POST', '/api/leads', {
        fullName: `Remote Lead ${i}`,
        email: `lead${i}@${i % 2 ? 'acme.example' : 'gmail.com'}`,
        title: TITLES[i % TITLES.length],
        companySize: 20 + i * 150,
      });
      expect(lead.status).toBe(201);
      for (let j = 0; j < i % 4; j++) {
        const type = TOUCHPOINT_TYPES[(i * 3 + j) % TOUCHPOINT_TYPES.length];
        const occurredAt = new Date(Date.now() - ((i + j * 7) % 40) * DAY).toISOString();
        expect(
          (await api(server, 'POST', `/api/leads/${lead.body.id}/touchpoints`, { type, occurredAt })).status,
        ).toBe(201);
      }
    }
    const changed = await api<{ rescored: number }>(server, 'PUT', '/api/scoring-model', {
      ...DEFAULT_SCORING_MODEL,
      halfLifeDays: 7,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.rescored).toBe(25);

    const ranked = await api<{ items: Lead[] }>(server, 'GET', '/api/leads?sort=-score&limit=10');
    const scores = await Promise.all(
      ranked.body.items.map(
        async (item) => (await api<ScoreResponse>(server, 'GET', `/api/leads/${item.id}/score`)).body,
      ),
    );
    expect(scores.every((score) => score.modelVersion === 2)).toBe(true);
    const every = await api<{ items: Lead[] }>(server, 'GET', '/api/leads?limit=100');
    const best = every.body.items.map((item) => item.score).sort((a, b) => b - a);
    expect(ranked.body.items.map((item) => item.score)).toEqual(best.slice(0, 10));
    expect(scores.map((score) => score.score)).toEqual(best.slice(0, 10));
  });

  it('defers index upkeep inside a server transaction and puts every index back as defined', async () => {
    const { workspaceId } = await bootstrap(handle.db, server.token);
    const indexes = async () =>
      (
        await handle.client.execute(
          "select name, sql from sqlite_master where type = 'index' and tbl_name = 'leads'",
        )
      ).rows
        .map((row) => `${row.name}: ${row.sql}`)
        .sort();
    const before = await indexes();
    const scoring = async () =>
      (
        await handle.client.execute(
          'select id, fit, engagement_pos, engagement_neg, engagement_key from leads order by id',
        )
      ).rows.map((row) => ({ ...row }));
    const stored = await scoring();
    // Forget every score, then rebuild them all: every lead changes, so the index upkeep is deferred.
    await handle.client.execute(
      'update leads set fit = 0, engagement_pos = null, engagement_neg = null, engagement_key = null',
    );
    const result = await handle.db.transaction(async (tx) => {
      const model = await activeModel(tx, workspaceId);
      return rescoreAll(tx, workspaceId, model, model, new Date(), null, {
        rebuildFit: true,
        rebuildEngagement: true,
        tuning: { batchSize: 4, deferIndexesFrom: 1 },
      });
    });
    expect(result).toMatchObject({ rescored: 25, deferredIndexes: 5 });
    expect(await indexes()).toEqual(before);
    // Forward sums do not depend on when they are computed: the rebuilt scores are the stored ones.
    expect(await scoring()).toEqual(stored);
    const ranked = await api<{ items: Lead[] }>(server, 'GET', '/api/leads?sort=-score&limit=5');
    expect(ranked.status).toBe(200);
    expect(ranked.body.items).toHaveLength(5);
  });

  it('enforces foreign keys, so a deleted lead takes its touchpoints and stage changes with it', async () => {
    await assertForeignKeys(handle.client);
    const count = async (table: string, id: string) =>
      Number(
        (await handle.client.execute({ sql: `select count(*) from ${table} where lead_id = ?`, args: [id] }))
          .rows[0]![0],
      );
    const withHistory = async (fullName: string) => {
      const lead = await api<Lead>(server, 'POST', '/api/leads', { fullName, title: 'VP Sales' });
      expect(lead.status).toBe(201);
      await api(server, 'POST', `/api/leads/${lead.body.id}/touchpoints`, { type: 'meeting_held' });
      await api(server, 'PATCH', `/api/leads/${lead.body.id}`, { stage: 'sql' });
      expect(await count('touchpoints', lead.body.id)).toBe(1);
      expect(await count('stage_changes', lead.body.id)).toBeGreaterThan(1);
      return lead.body.id;
    };
    const viaApi = await withHistory('Dana Delete');
    expect((await api(server, 'DELETE', `/api/leads/${viaApi}`)).status).toBe(204);
    const viaSql = await withHistory('Cass Cascade');
    await handle.client.execute({ sql: 'delete from leads where id = ?', args: [viaSql] });
    for (const id of [viaApi, viaSql]) {
      expect(await count('touchpoints', id)).toBe(0);
      expect(await count('stage_changes', id)).toBe(0);
    }
    await expect(
      handle.client.execute({
        sql: `insert into touchpoints (id, workspace_id, lead_id, type, occurred_at, created_at)
              select 'orphan', id, 'no-such-lead', 'note', 0, 0 from workspaces limit 1`,
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it('keeps the analytics rollups by triggers on the server too: they equal a recomputation, and the figures count every lead', async () => {
    const won = await api<Lead>(server, 'POST', '/api/leads', { fullName: 'Wanda Won', dealValue: 1234.56 });
    expect(won.status).toBe(201);
    for (const days of [3, 1]) {
      const occurredAt = new Date(Date.now() - days * DAY).toISOString();
      await api(server, 'POST', `/api/leads/${won.body.id}/touchpoints`, { type: 'email_sent', occurredAt });
    }
    const closed = await api(server, 'PATCH', `/api/leads/${won.body.id}`, {
      stage: 'won',
      closeReason: 'Other: on the server',
    });
    expect(closed.status).toBe(200);
    const stored = await storedRollups(handle.db);
    expect(stored).toEqual(await recomputedRollups(handle.db));
    const leads = Number((await handle.client.execute('select count(*) from leads')).rows[0]![0]);
    expect(stored.facts).toHaveLength(leads);
    const funnel = await api<Funnel>(server, 'GET', '/api/analytics/funnel');
    expect(funnel.body.steps[0]!.reached).toBe(leads);
    const attribution = await api<Attribution>(server, 'GET', '/api/analytics/attribution?model=u_shaped');
    expect(attribution.body).toMatchObject({ wonDeals: 1, wonValue: 1234.56 });
    expect(attribution.body.channels.reduce((sum, row) => sum + Math.round(row.credit * 100), 0)).toBe(
      123456,
    );
  });
});
