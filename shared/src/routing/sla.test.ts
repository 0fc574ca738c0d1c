import { describe, expect, it } from 'vitest';
import type { ConditionLead } from '../rules/conditions';
import { workCalendar } from '../working-time/calendar';
import { decideRouting, type RoutingPerson, type RoutingState } from './decide';
import { routingDocumentSchema } from './document';
import { slaBreachLine } from './sla';

const person = (id: string): RoutingPerson => ({
  id,
  name: id,
  deactivated: false,
  awayUntil: null,
  calendar: workCalendar('UTC'),
  openLeads: 0,
  assignedToday: 0,
});
const state: RoutingState = {
  people: new Map([
    ['anna', person('anna')],
    ['ben', person('ben')],
  ]),
  teams: new Map([
    [
      't',
      {
        id: 't',
        name: 'T',
        managerId: null,
        members: ['anna', 'ben'].map((userId) => ({ userId, weight: 1, capPerDay: null, capOpen: null })),
      },
    ],
  ]),
  history: new Map(),
  accountOwnerId: null,
};
const sla = { minutes: 30, onBreach: 'reassign' as const };
const lead: ConditionLead = { country: 'DE' };
const now = new Date('2026-12-01T10:00:00Z');

describe('routing SLA', () => {
  it('puts the placing rule’s SLA on the trace, and none when the rule leaves the lead in the queue', () => {
    const doc = routingDocumentSchema.parse({
      rules: [{ id: 'r', name: 'R', action: { type: 'team', teamId: 't' }, sla }],
    });
    const placed = decideRouting(doc, 1, lead, { origin: 'api', creatorId: 'x' }, state, now);
    expect(placed).toMatchObject({ via: 'rule', sla });
    const queued = routingDocumentSchema.parse({
      rules: [{ id: 'q', name: 'Q', action: { type: 'queue' }, sla }],
    });
    expect(decideRouting(queued, 1, lead, { origin: 'api', creatorId: 'x' }, state, now).sla).toBeUndefined();
  });

  it('gives a breached lead to someone other than the owner who missed it', () => {
    const doc = routingDocumentSchema.parse({
      rules: [{ id: 'r', name: 'R', action: { type: 'team', teamId: 't' }, sla }],
    });
    for (const previous of ['anna', 'ben']) {
      const trace = decideRouting(
        doc,
        1,
        lead,
        { origin: 'api', creatorId: 'x', exclude: [previous] },
        state,
        now,
      );
      expect(trace.ownerId).not.toBe(previous);
      expect(trace.candidates.find((c) => c.userId === previous)?.skipped).toBe('excluded');
    }
  });

  it('refuses an SLA out of range or with an unknown breach action', () => {
    const rule = (value: unknown) => ({ id: 'r', name: 'R', action: { type: 'queue' }, sla: value });
    for (const bad of [
      { minutes: 0, onBreach: 'reassign' },
      { minutes: 10_081, onBreach: 'reassign' },
      { minutes: 1.5, onBreach: 'escalate' },
      { minutes: 5, onBreach: 'wait' },
    ]) {
      expect(routingDocumentSchema.safeParse({ rules: [rule(bad)] }).success).toBe(false);
    }
    expect(
      routingDocumentSchema.safeParse({ rules: [rule({ minutes: 10_080, onBreach: 'escalate' })] }).success,
    ).toBe(true);
  });

  it('says what a breach did', () => {
    const breach = { minutes: 1, previousOwnerName: 'Anna', fellBack: null };
    expect(slaBreachLine(breach, 'sla_breach')).toBe('Reassigned: no touch within 1 working minute by Anna');
    expect(slaBreachLine({ ...breach, minutes: 45 }, 'sla_escalation')).toBe(
      "Escalated to the team's manager: no touch within 45 working minutes by Anna",
    );
  });
});
