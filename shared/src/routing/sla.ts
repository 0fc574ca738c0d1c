import type { SlaBreach } from './document';

/**
 * The first half of the "why" line of an assignment an SLA breach caused: what happened, and to whom.
 *
 * @example
 * slaBreachLine({ minutes: 30, previousOwnerName: 'Anna', fellBack: null }, 'sla_breach');
 * // 'Reassigned: no touch within 30 working minutes by Anna'
 */
export function slaBreachLine(
  breach: Pick<SlaBreach, 'minutes' | 'previousOwnerName' | 'fellBack'>,
  cause: 'sla_breach' | 'sla_escalation',
): string {
  const missed = `no touch within ${breach.minutes} working minute${breach.minutes === 1 ? '' : 's'} by ${breach.previousOwnerName}`;
  if (cause === 'sla_escalation') return `Escalated to the team's manager: ${missed}`;
  return breach.fellBack ? `Reassigned (${breach.fellBack}): ${missed}` : `Reassigned: ${missed}`;
}
