import { runCadencePass } from '@leadline/server/cadences';
import { type DatabaseHandle, openDatabase } from '@leadline/server/db';
import type { Lead } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type SqldServer, startSqld } from '../support/sqld';

// A cadence step's task must exist once, whatever number of API processes run the engine on one
// database: two real API processes on one libSQL server (sqld), and two engines side by side.
let sqld: SqldServer;
let first: ApiServer;
let second: ApiServer;
let handle: DatabaseHandle;
const DAY = 86_400_000;
const ALWAYS = JSON.stringify(
  Object.fromEntries(
    ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
  ),
);

beforeAll(async () => {
  sqld = await startSqld();
  const env = { CADENCE_INTERVAL_MS: '150' };
  first = await startApiServer({ databaseUrl: sqld.url, env });
  second = await startApiServer({ databaseUrl: sqld.url, token: first.token, env });
  handle = await openDatabase(sqld.url);
  await handle.client.execute({ sql: 'update users set working_hours = ?', args: [ALWAYS] });
});
afterAll(async () => {
  handle?.close();
  await first?.dispose();
  await second?.dispose();
  await sqld?.dispose();
});

async function leads(prefix: string, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const created = await api<Lead>(i % 2 ? first : second, 'POST', '/api/leads', {
      fullName: `${prefix} ${i}`,
      email: `${prefix.toLowerCase()}${i}@engines.example`,
    });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  return ids;
}

async function cadence(name: string, steps: { type: string; delayDays: number }[]) {
  const created = await api<{ id: string }>(first, 'POST', '/api/cadences', { name, steps });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function stepCounts(cadenceId: string) {
  const { rows } = await handle.client.execute({
    sql: `select count(*) as n, count(distinct t.enrolment_id || ':' || t.step_index) as steps
          from tasks t join enrolments e on e.id = t.enrolment_id where e.cadence_id = ?`,
    args: [cadenceId],
  });
  return { n: Number(rows[0]!.n), steps: Number(rows[0]!.steps) };
}

describe('the cadence engine with two API processes on one database', () => {
  it('creates every step’s task exactly once while both processes’ engines run', async () => {
    const id = await cadence('Both engines', [
      { type: 'call', delayDays: 0 },
      { type: 'email', delayDays: 0 },
      { type: 'linkedin_connect', delayDays: 0 },
    ]);
    const ids = await leads('Twin', 40);
    const enrolled = await api<{ enrolled: string[] }>(second, 'POST', '/api/enrolments', {
      cadenceId: id,
      leadIds: ids,
    });
    expect(enrolled.body.enrolled).toHaveLength(40);
    await expect.poll(async () => (await stepCounts(id)).n, { timeout: 20_000, interval: 200 }).toBe(120);
    // A few more passes of both engines: still one task per step.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await stepCounts(id)).toEqual({ n: 120, steps: 120 });
    const { rows } = await handle.client.execute({
      sql: "select count(*) as n from enrolments where cadence_id = ? and state = 'finished'",
      args: [id],
    });
    expect(Number(rows[0]!.n)).toBe(40);
  });

  it('two engines side by side on one controllable clock: each step once, and after downtime one step, not a burst', async () => {
    const id = await cadence('Side by side', [
      { type: 'call', delayDays: 1 },
      { type: 'email', delayDays: 1 },
      { type: 'email', delayDays: 1 },
    ]);
    const ids = await leads('Side', 30);
    await api(first, 'POST', '/api/enrolments', { cadenceId: id, leadIds: ids });
    const other = await openDatabase(sqld.url);
    try {
      // Ten days later (the processes' own engines run on today's clock and leave these alone).
      const later = new Date(Date.now() + 10 * DAY);
      const [a, b] = await Promise.all([
        runCadencePass(handle.db, later, { batchSize: 8 }),
        runCadencePass(other.db, later, { batchSize: 8 }),
      ]);
      expect(a.tasksCreated + b.tasksCreated).toBe(30);
      expect(await stepCounts(id)).toEqual({ n: 30, steps: 30 });
      // Again at the same moment, both: nothing new.
      const [c, d] = await Promise.all([runCadencePass(handle.db, later), runCadencePass(other.db, later)]);
      expect(c.tasksCreated + d.tasksCreated).toBe(0);
      // A day after the engines came back: the second step, once.
      const dayAfter = new Date(later.getTime() + DAY + 60_000);
      const [e, f] = await Promise.all([
        runCadencePass(handle.db, dayAfter, { batchSize: 5 }),
        runCadencePass(other.db, dayAfter, { batchSize: 5 }),
      ]);
      expect(e.tasksCreated + f.tasksCreated).toBe(30);
      expect(await stepCounts(id)).toEqual({ n: 60, steps: 60 });
    } finally {
      other.close();
    }
  });
});
