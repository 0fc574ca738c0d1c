/**
 * Every touchpoint type the scoring model knows, in the order of SCORING.md's table.
 * A type outside this list is refused by the API with a 422 that names these.
 *
 * @example
 * isTouchpointType('meeting_booked'); // true
 */
export const TOUCHPOINT_TYPES = [
  'page_visit',
  'email_opened',
  'email_clicked',
  'email_sent',
  'email_replied',
  'linkedin_connect_sent',
  'linkedin_connected',
  'linkedin_message_replied',
  'call_attempted',
  'call_connected',
  'meeting_booked',
  'meeting_held',
  'content_downloaded',
  'form_submitted',
  'demo_requested',
  'unsubscribed',
  'bounced',
  'note',
] as const;

export type TouchpointType = (typeof TOUCHPOINT_TYPES)[number];

/** @example isTouchpointType('call_connected') // true */
export function isTouchpointType(value: string): value is TouchpointType {
  return (TOUCHPOINT_TYPES as readonly string[]).includes(value);
}

/**
 * Touchpoints the team initiated (used by speed-to-lead: the first outbound touch).
 *
 * @example
 * OUTBOUND_TOUCHPOINT_TYPES.has('call_attempted'); // true
 */
export const OUTBOUND_TOUCHPOINT_TYPES: ReadonlySet<TouchpointType> = new Set<TouchpointType>([
  'email_sent',
  'linkedin_connect_sent',
  'call_attempted',
  'call_connected',
  'meeting_booked',
]);
