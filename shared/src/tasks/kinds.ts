import type { TouchpointType } from '../touchpoint-types';

/** What a task asks the rep to do. */
export const TASK_TYPES = [
  'call',
  'email',
  'linkedin_message',
  'linkedin_connect',
  'meeting',
  'other',
] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_TYPE_LABELS: Readonly<Record<TaskType, string>> = {
  call: 'Call',
  email: 'E-mail',
  linkedin_message: 'LinkedIn message',
  linkedin_connect: 'LinkedIn connect',
  meeting: 'Meeting',
  other: 'To do',
};

export const TASK_STATES = ['open', 'snoozed', 'done', 'skipped'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** One thing that can have happened when a rep does a task, and the touchpoint that records it. */
export interface TaskOutcome {
  id: string;
  label: string;
  touchpoint: TouchpointType;
  /** Written as the touchpoint's note (before the rep's own), so "no answer" and "voicemail" differ. */
  note?: string;
}

/**
 * What completing a task of each type logs. Calls must say how they went; for the other types the
 * first outcome is what "done" means when nothing else is said.
 */
export const TASK_OUTCOMES: Readonly<Record<TaskType, readonly TaskOutcome[]>> = {
  call: [
    { id: 'connected', label: 'Connected', touchpoint: 'call_connected' },
    { id: 'no_answer', label: 'No answer', touchpoint: 'call_attempted', note: 'No answer' },
    { id: 'voicemail', label: 'Left a voicemail', touchpoint: 'call_attempted', note: 'Left a voicemail' },
    { id: 'wrong_number', label: 'Wrong number', touchpoint: 'call_attempted', note: 'Wrong number' },
  ],
  email: [{ id: 'sent', label: 'Sent', touchpoint: 'email_sent' }],
  linkedin_message: [
    { id: 'sent', label: 'Sent', touchpoint: 'note', note: 'LinkedIn message sent' },
    { id: 'replied', label: 'They replied', touchpoint: 'linkedin_message_replied' },
  ],
  linkedin_connect: [
    { id: 'sent', label: 'Request sent', touchpoint: 'linkedin_connect_sent' },
    { id: 'accepted', label: 'Connected', touchpoint: 'linkedin_connected' },
  ],
  meeting: [
    { id: 'booked', label: 'Booked', touchpoint: 'meeting_booked' },
    { id: 'held', label: 'Held', touchpoint: 'meeting_held' },
  ],
  other: [{ id: 'done', label: 'Done', touchpoint: 'note' }],
};

/** Task types whose completion must name an outcome (there is no sensible default). */
export const OUTCOME_REQUIRED: ReadonlySet<TaskType> = new Set<TaskType>(['call']);

/**
 * The outcome a completion means: the one named, or the type's default.
 *
 * @example
 * taskOutcome('call', 'voicemail')?.touchpoint; // 'call_attempted'
 * taskOutcome('email')?.touchpoint;             // 'email_sent'
 * taskOutcome('call');                          // undefined: a call must say how it went
 */
export function taskOutcome(type: TaskType, outcome?: string | null): TaskOutcome | undefined {
  const outcomes = TASK_OUTCOMES[type];
  if (outcome) return outcomes.find((o) => o.id === outcome);
  return OUTCOME_REQUIRED.has(type) ? undefined : outcomes[0];
}

/**
 * The task type behind a suggested touchpoint (a next step's "Remind me", or "Done" asking what
 * actually happened).
 *
 * @example
 * taskTypeOfTouchpoint('call_connected'); // 'call'
 */
export function taskTypeOfTouchpoint(type: TouchpointType): TaskType {
  if (type.startsWith('call_')) return 'call';
  if (type.startsWith('email_')) return 'email';
  if (type === 'linkedin_connect_sent' || type === 'linkedin_connected') return 'linkedin_connect';
  if (type.startsWith('linkedin_')) return 'linkedin_message';
  if (type.startsWith('meeting_') || type === 'demo_requested') return 'meeting';
  return 'other';
}
