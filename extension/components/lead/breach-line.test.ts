import type { Assignment } from '@leadline/shared/routing';
import { describe, expect, it } from 'vitest';
import { breachParts } from './breach-line';

const breach = {
  assignmentId: 'a0',
  ruleId: 'inbound',
  ruleName: 'Inbound',
  minutes: 30,
  onBreach: 'reassign' as const,
  deadline: '2026-12-07T08:30:00.000Z',
  previousOwnerId: 'u-anna',
  previousOwnerName: 'Anna',
  fellBack: null,
};
const assignment = (
  overrides: Partial<Assignment>,
  trace: Partial<Assignment['trace']> = {},
): Assignment => ({
  id: 'a1',
  leadId: 'l1',
  fromOwnerId: 'u-anna',
  ownerId: 'u-ben',
  cause: 'sla_breach',
  byUserId: null,
  at: '2026-12-07T08:31:00.000Z',
  ...overrides,
  trace: {
    version: 2,
    via: 'rule',
    ruleId: 'inbound',
    ruleName: 'Inbound',
    strategy: 'round_robin',
    teamId: 't1',
    passed: [],
    candidates: [],
    ownerId: 'u-ben',
    summary:
      'Reassigned: no touch within 30 working minutes by Anna; then Inbound, round robin (furthest below their share)',
    breach,
    ...trace,
  },
});

describe('breachParts', () => {
  it('splits a reassignment into the breach and where the rules put it', () => {
    expect(breachParts(assignment({}))).toEqual({
      breach: 'Reassigned: no touch within 30 working minutes by Anna',
      placed: 'Inbound, round robin (furthest below their share)',
      deadline: '2026-12-07T08:30:00.000Z',
    });
  });

  it("says an escalation went to the team's manager, and a fallback why it fell back", () => {
    expect(
      breachParts(assignment({ cause: 'sla_escalation' }, { via: 'escalation', summary: 'x' }))?.breach,
    ).toBe("Escalated to the team's manager: no touch within 30 working minutes by Anna");
    const fellBack = {
      ...breach,
      onBreach: 'escalate' as const,
      fellBack: 'escalation fell back: no manager',
    };
    expect(breachParts(assignment({}, { breach: fellBack, summary: 'Queue' }))).toMatchObject({
      breach: 'Reassigned (escalation fell back: no manager): no touch within 30 working minutes by Anna',
      placed: 'Queue',
    });
  });

  it('is null for an assignment no breach caused', () => {
    expect(breachParts(assignment({ cause: 'route_again' }, { breach: undefined }))).toBeNull();
  });
});
