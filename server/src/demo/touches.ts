import type { SourceChannel, TouchpointType } from '@leadline/shared';
import type { DemoLead, DemoTouch, DemoUser, Random } from './generate';

const MINUTE = 60_000;

const OUTBOUND: [TouchpointType, number][] = [
  ['email_sent', 6],
  ['call_attempted', 4],
  ['linkedin_connect_sent', 3],
];
const FOLLOW_UP: [TouchpointType, number][] = [
  ['email_sent', 8],
  ['email_opened', 9],
  ['email_clicked', 3],
  ['email_replied', 3],
  ['call_attempted', 5],
  ['call_connected', 3],
  ['linkedin_message_replied', 2],
  ['linkedin_connected', 2],
  ['page_visit', 6],
  ['content_downloaded', 1],
  ['meeting_booked', 2],
  ['meeting_held', 2],
  ['demo_requested', 1],
  ['note', 2],
];
const INBOUND = new Set<TouchpointType>([
  'email_opened',
  'email_clicked',
  'email_replied',
  'linkedin_message_replied',
  'linkedin_connected',
  'page_visit',
  'content_downloaded',
  'demo_requested',
  'form_submitted',
]);
const TOUCH_CHANNELS: [SourceChannel | null, number][] = [
  [null, 10],
  ['email', 4],
  ['linkedin', 3],
  ['web', 2],
  ['event', 1],
];

/** `count` touchpoints for a lead: a first outbound touch at the owner's pace, then follow-ups. */
export function touchesFor(
  lead: DemoLead,
  count: number,
  users: readonly DemoUser[],
  random: Random,
): DemoTouch[] {
  if (count === 0) return [];
  const owner = users.find((user) => user.id === lead.ownerId);
  const pace = Math.round(random.logNormal((owner?.speedMinutes ?? 60) * MINUTE, 1.1));
  const first = Math.min(lead.createdAt + pace, Math.max(lead.createdAt, lead.activeUntil));
  const until = Math.max(first, lead.activeUntil);
  const touches: DemoTouch[] = [
    {
      type: random.weighted(OUTBOUND),
      occurredAt: first,
      userId: lead.ownerId,
      channel: lead.sourceChannel === 'import' || lead.sourceChannel === 'manual' ? 'email' : null,
    },
  ];
  for (let i = 1; i < count; i++) {
    const type = random.weighted(FOLLOW_UP);
    touches.push({
      type,
      occurredAt: Math.round(first + random.next() * (until - first)),
      userId: INBOUND.has(type) ? null : lead.ownerId,
      channel: random.weighted(TOUCH_CHANNELS),
    });
  }
  return touches;
}
