/**
 * `pnpm bench sla`: what the SLA sweep costs. 20 reps in one team, one rule with a 30-minute SLA,
 * BENCH_SLA_LEADS leads routed through the API, half of them touched. Then a sweep with nothing due
 * (the idle cost every process pays each interval), and one sweep 31 minutes later that settles
 * them all: half met, half breached and routed again (each a decision in its own transaction's batch).
 */

import { runSlaPass } from '@leadline/server/routing';
import { createTestApp, type TestApp } from '@leadline/server/testing';
import { median, round, sample, timeIt } from './stats';

const REPS = 20;
const MIN = 60_000;
const ALWAYS = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
);

async function json<T>(t: TestApp, method: string, path: string, body?: unknown): Promise<T> {
  const res = await t.request(method, path, { body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function benchSla(options: { leads: number }) {
  const t = await createTestApp();
  try {
    const members: { userId: string }[] = [];
    for (let i = 0; i < REPS; i++) {
      const invited = await json<{ person: { id: string } }>(t, 'POST', '/api/team/people', {
        name: `Rep ${i}`,
      });
      await json(t, 'PATCH', `/api/team/people/${invited.person.id}`, { workingHours: ALWAYS });
      members.push({ userId: invited.person.id });
    }
    const team = await json<{ id: string }>(t, 'POST', '/api/teams', { name: 'Inbound', members });
    await json(t, 'PUT', '/api/routing', {
      accountOwnershipFirst: false,
      rules: [
        {
          id: 'inbound',
          name: 'Inbound',
          action: { type: 'team', teamId: team.id },
          sla: { minutes: 30, onBreach: 'reassign' },
        },
      ],
    });
    for (let i = 0; i < options.leads; i++) {
      const lead = await json<{ id: string }>(t, 'POST', '/api/leads', { fullName: `Bench ${i}` });
      if (i % 2) await json(t, 'POST', `/api/leads/${lead.id}/touchpoints`, { type: 'email_sent' });
    }
    const idle = await sample(5, () => runSlaPass(t.db, new Date()));
    const sweep = await timeIt(() => runSlaPass(t.db, new Date(Date.now() + 31 * MIN)));
    const { settled, met, reassigned } = sweep.result;
    return {
      leads: options.leads,
      idlePassMedianMs: round(median(idle), 3),
      sweepMs: round(sweep.ms, 1),
      settled,
      met,
      reassigned,
      msPerBreach: round(sweep.ms / Math.max(1, reassigned), 3),
    };
  } finally {
    t.close();
  }
}
