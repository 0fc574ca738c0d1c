import type { TouchpointType } from '../touchpoint-types';

/** Who moved: the lead (`inbound`), the team (`outbound`), or neither (`internal`: a note, a bounce). */
export type TouchpointDirection = 'inbound' | 'outbound' | 'internal';

/**
 * The direction each touchpoint type implies. Outbound matches `OUTBOUND_TOUCHPOINT_TYPES` plus
 * `meeting_held` (a meeting answers a reply as well as any call). A bounce is the mail system
 * talking, not the lead.
 */
export const TOUCHPOINT_DIRECTIONS: Readonly<Record<TouchpointType, TouchpointDirection>> = Object.freeze({
  page_visit: 'inbound',
  email_opened: 'inbound',
  email_clicked: 'inbound',
  email_sent: 'outbound',
  email_replied: 'inbound',
  linkedin_connect_sent: 'outbound',
  linkedin_connected: 'inbound',
  linkedin_message_replied: 'inbound',
  call_attempted: 'outbound',
  call_connected: 'outbound',
  meeting_booked: 'outbound',
  meeting_held: 'outbound',
  content_downloaded: 'inbound',
  form_submitted: 'inbound',
  demo_requested: 'inbound',
  unsubscribed: 'inbound',
  bounced: 'internal',
  note: 'internal',
});

/**
 * The direction a touchpoint type implies.
 *
 * @example
 * touchpointDirection('email_replied'); // 'inbound'
 * touchpointDirection('call_attempted'); // 'outbound'
 * touchpointDirection('note');           // 'internal'
 */
export function touchpointDirection(type: TouchpointType): TouchpointDirection {
  return TOUCHPOINT_DIRECTIONS[type];
}
