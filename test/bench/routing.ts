/**
 * `pnpm bench routing`: what routing costs. Lead creation through the API on two workspaces of the
 * same run (each its own database file): without routing (the creator keeps the lead), and with
 * 50 rules whose last one matches, handing the lead to a 200-rep team by weighted round robin. Then
 * one decision (`POST /api/routing/preview`: the state read in a transaction, then the rules) and the
 * pure decision alone (`decideRouting`), with 50 rules and 200 reps.
 */

import { createTestApp, type TestApp } from '@leadline/server/testing';
import type { Condition, ConditionLead } from '@leadline/shared';
import { decideRouting, type RoutingDocumentInput, routingDocumentSchema } from '@leadline/shared/routing';
import { median, percentile, round, sample } from './stats';

const CREATES = 400;
const DECISIONS = 400;
const REPS = 200;
const RULES = 50;

async function json<T>(t: TestApp, method: string, path: string, body?: unknown): Promise<T> {
  const res = await t.request(method, path, { body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** 200 reps in one team and 50 rules: 49 that do not match the benchmark's leads, the last one that does. */
async function setUpRouting(t: TestApp) {
  const members: { userId: string; weight: number }[] = [];
  for (let i = 0; i < REPS; i++) {
    const invited = await json<{ person: { id: string } }>(t, 'POST', '/api/team/people', {
      name: `Rep ${i}`,
    });
    members.push({ userId: invited.person.id, weight: 1 + (i % 3) });
  }
  const team = await json<{ id: string }>(t, 'POST', '/api/teams', { name: 'Everyone', members });
  const miss = (i: number): Condition[] => [
    { field: 'country', op: 'in', values: [`X${i}`, `Y${i}`] },
    { field: 'title', op: 'containsAny', values: ['director', 'vp'] },
  ];
  const hit: Condition[] = [{ field: 'source.channel', op: 'equals', value: 'web' }];
  const rules = Array.from({ length: RULES }, (_, i) => ({
    id: `r${i}`,
    name: `Rule ${i}`,
    when: i < RULES - 1 ? miss(i) : hit,
    action: { type: 'team' as const, teamId: team.id, strategy: 'round_robin' as const },
  }));
  const document: RoutingDocumentInput = { accountOwnershipFirst: true, rules, fallback: { type: 'queue' } };
  await json(t, 'PUT', '/api/routing', document);
  return { team, document: routingDocumentSchema.parse(document), members };
}

function summary(samples: number[]) {
  return { medianMs: round(median(samples), 3), p99Ms: round(percentile(samples, 99), 3) };
}

export async function benchRouting() {
  const plain = await createTestApp();
  const routed = await createTestApp();
  try {
    const { document, members } = await setUpRouting(routed);
    let serial = 0;
    const create = (t: TestApp) => async () => {
      serial++;
      const res = await t.request('POST', '/api/leads', {
        body: {
          fullName: `Bench ${serial}`,
          company: `Company ${serial}`,
          country: 'DE',
          source: { channel: 'web' },
        },
      });
      if (res.status !== 201) throw new Error(`create: ${res.status} ${await res.text()}`);
    };
    // Interleaved rounds, so load on the machine falls on both alike.
    const without: number[] = [];
    const withRouting: number[] = [];
    for (let round = 0; round < 4; round++) {
      without.push(...(await sample(CREATES / 4, create(plain))));
      withRouting.push(...(await sample(CREATES / 4, create(routed))));
    }
    const decision = await sample(DECISIONS, async () => {
      const res = await routed.request('POST', '/api/routing/preview', {
        body: { lead: { fullName: 'Preview', country: 'DE', source: { channel: 'web' } } },
      });
      if (res.status !== 200) throw new Error(`preview: ${res.status}`);
    });
    // The pure decision, on a state like the one read above.
    const people = new Map(
      members.map((m) => [
        m.userId,
        {
          id: m.userId,
          name: m.userId,
          deactivated: false,
          awayUntil: null,
          calendar: {
            timeZone: 'UTC',
            hours: {
              mon: [],
              tue: [],
              wed: [],
              thu: [],
              fri: [],
              sat: [],
              sun: [{ start: '00:00', end: '24:00' }],
            },
          },
          openLeads: 10,
          assignedToday: 3,
        },
      ]),
    );
    const teamId = document.rules[0]!.action.type === 'team' ? document.rules[0]!.action.teamId : '';
    const state = {
      people,
      teams: new Map([
        [
          teamId,
          {
            id: teamId,
            name: 'Everyone',
            managerId: null,
            members: members.map((m) => ({ ...m, capPerDay: null, capOpen: null })),
          },
        ],
      ]),
      history: new Map([[teamId, new Map(members.map((m, i) => [m.userId, { count: i % 7, lastAt: i }]))]]),
      accountOwnerId: null,
    };
    const lead: ConditionLead = {
      fullName: 'Pure',
      country: 'DE',
      title: 'Engineer',
      source: { channel: 'web' },
    };
    const pure = await sample(DECISIONS * 5, async () => {
      decideRouting(document, 1, lead, { origin: 'api', creatorId: 'x' }, state, new Date());
    });
    const withoutMs = median(without);
    const withMs = median(withRouting);
    return {
      creates: CREATES,
      reps: REPS,
      rules: RULES,
      createWithoutRouting: summary(without),
      createWithRouting: summary(withRouting),
      /** Creations a second with routing relative to without (aim: at least 0.8). */
      throughputRatio: round(withoutMs / withMs, 2),
      decisionThroughApi: summary(decision),
      decisionPure: summary(pure),
    };
  } finally {
    plain.close();
    routed.close();
  }
}
