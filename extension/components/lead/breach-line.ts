import { type Assignment, slaBreachLine } from '@leadline/shared/routing';

/**
 * An assignment an SLA breach caused, in two parts for the why-line: the breach ("Reassigned: no
 * touch within 30 working minutes by Anna") and where the rules then put the lead (the rest of the
 * stored summary); null for any other assignment.
 */
export function breachParts(
  assignment: Assignment,
): { breach: string; placed: string; deadline: string } | null {
  const { breach, summary } = assignment.trace;
  if (!breach || (assignment.cause !== 'sla_breach' && assignment.cause !== 'sla_escalation')) return null;
  const line = slaBreachLine(breach, assignment.cause);
  if (assignment.cause === 'sla_escalation') {
    return { breach: line, placed: "as the team's manager", deadline: breach.deadline };
  }
  const prefix = `${line}; then `;
  const placed = summary.startsWith(prefix) ? summary.slice(prefix.length) : summary;
  return { breach: line, placed, deadline: breach.deadline };
}
