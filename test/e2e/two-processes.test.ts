import { DEFAULT_SCORING_MODEL } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';

// Two API processes on one database file, as a team runs them behind a load balancer: each caches
// a token's principal and the workspace's model, and a write in one is seen by the other at once.
let first: ApiServer;
let second: ApiServer;
beforeAll(async () => {
  first = await startApiServer();
  second = await startApiServer({ databaseUrl: first.databaseUrl, token: first.token });
});
afterAll(async () => {
  await second?.dispose();
  await first?.dispose();
});

describe('two API processes on one database', () => {
  it('refuse a revoked token at once, though both had it cached', async () => {
    const made = await api<{ id: string; token: string }>(first, 'POST', '/api/tokens', {
      name: 'Rita Rep',
      role: 'rep',
    });
    expect(made.status).toBe(201);
    const rep = { token: made.body.token };
    for (const server of [first, second]) {
      for (let i = 0; i < 3; i++)
        expect((await api({ ...server, ...rep }, 'GET', '/api/me')).status).toBe(200);
    }
    expect((await api(first, 'DELETE', `/api/tokens/${made.body.id}`)).status).toBe(204);
    expect((await api({ ...second, ...rep }, 'GET', '/api/me')).status).toBe(401);
    expect((await api({ ...first, ...rep }, 'GET', '/api/me')).status).toBe(401);
  });

  it('score with the new model at once after a model change in the other process', async () => {
    const lead = await api<{ id: string }>(first, 'POST', '/api/leads', {
      fullName: 'Mo Model',
      title: 'CEO',
    });
    expect(lead.status).toBe(201);
    const before = await api<{ version: number }>(second, 'GET', '/api/scoring-model');
    await api(second, 'POST', `/api/leads/${lead.body.id}/touchpoints`, { type: 'meeting_held' });
    const changed = await api(first, 'PUT', '/api/scoring-model', {
      ...DEFAULT_SCORING_MODEL,
      touchpointPoints: { ...DEFAULT_SCORING_MODEL.touchpointPoints, meeting_held: 1 },
    });
    expect(changed.status).toBe(200);
    const after = await api<{ version: number }>(second, 'GET', '/api/scoring-model');
    expect(after.body.version).toBe(before.body.version + 1);
    for (const server of [first, second]) {
      const score = await api<{ modelVersion: number; breakdown: { touchpoints: { points: number }[] } }>(
        server,
        'GET',
        `/api/leads/${lead.body.id}/score`,
      );
      expect(score.body.modelVersion).toBe(after.body.version);
      expect(score.body.breakdown.touchpoints.map((touch) => touch.points)).toEqual([1]);
    }
  });
});
