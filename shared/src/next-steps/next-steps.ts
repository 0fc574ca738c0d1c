import { toEpochMs } from '../scoring/time';
import { NEXT_STEP_RULES, RULE_EVALUATORS, type RuleContext } from './rules';
import type { NextStep, NextStepInput } from './types';

/**
 * The ranked next steps for one lead at `input.at`: every rule of {@link NEXT_STEP_RULES} that
 * fires, most urgent first (`priority` 1 = now ... 4 = when there is time; ties in the order of
 * `NEXT_STEP_RULES`). Touchpoints and stage changes after `at` are ignored, so asking about a past
 * moment gives what the rep would have seen then. Pure: the server feeds it `scoreLead`'s score,
 * grade and engagement and `peakEngagement`'s peak.
 *
 * @example
 * computeNextSteps({
 *   lead: { stage: 'new', email: 'ana@acme.io', phone: null, createdAt: '2026-03-02T09:00:00Z' },
 *   score: 20, grade: 'B', engagement: 20, peakEngagement: 20,
 *   touchpoints: [{ type: 'form_submitted', occurredAt: '2026-03-02T09:00:00Z' }],
 *   stageChanges: [], at: '2026-03-02T09:10:00Z',
 * });
 * // [{ id: 'speed-to-lead', title: 'Make first contact', priority: 1, suggestedTouchpoint: 'email_sent',
 * //    reason: 'Captured 10 minutes ago and nobody has reached out yet: ...' },
 * //  { id: 'find-contact', title: 'Find missing contact details', priority: 4, suggestedTouchpoint: null,
 * //    reason: 'No phone number.' }]
 */
export function computeNextSteps(input: NextStepInput): NextStep[] {
  const atMs = toEpochMs(input.at);
  const ctx: RuleContext = {
    input,
    atMs,
    createdAtMs: toEpochMs(input.lead.createdAt),
    touches: input.touchpoints
      .map((touchpoint) => ({ type: touchpoint.type, ms: toEpochMs(touchpoint.occurredAt) }))
      .filter((touch) => touch.ms <= atMs)
      .sort((a, b) => a.ms - b.ms),
    stageChanges: input.stageChanges
      .map((change) => ({ to: change.to, ms: toEpochMs(change.at) }))
      .filter((change) => change.ms <= atMs)
      .sort((a, b) => a.ms - b.ms),
  };

  const steps: NextStep[] = [];
  for (const rule of NEXT_STEP_RULES) {
    const outcome = RULE_EVALUATORS[rule.id](ctx);
    if (outcome) steps.push({ id: rule.id, title: rule.title, ...outcome });
  }
  // Array.prototype.sort is stable, so equal priorities keep rule order.
  return steps.sort((a, b) => a.priority - b.priority);
}
