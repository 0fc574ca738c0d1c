import type { SourceChannel } from './schemas/lead';
import type { TouchpointType } from './touchpoint-types';

/**
 * What a person reads for each touchpoint type: the one table the panel, the dashboard and CSV
 * headers share.
 *
 * @example
 * TOUCHPOINT_LABELS.email_opened; // 'Email opened'
 */
export const TOUCHPOINT_LABELS: Record<TouchpointType, string> = {
  page_visit: 'Page visit',
  email_opened: 'Email opened',
  email_clicked: 'Email clicked',
  email_sent: 'Email sent',
  email_replied: 'Email replied',
  linkedin_connect_sent: 'LinkedIn connect sent',
  linkedin_connected: 'LinkedIn connected',
  linkedin_message_replied: 'LinkedIn message replied',
  call_attempted: 'Call attempted',
  call_connected: 'Call connected',
  meeting_booked: 'Meeting booked',
  meeting_held: 'Meeting held',
  content_downloaded: 'Content downloaded',
  form_submitted: 'Form submitted',
  demo_requested: 'Demo requested',
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
  note: 'Note',
};

// Stage labels live beside the stages (`STAGE_LABELS` in schemas/lead.ts), exported from the package index.

/**
 * Source channels as people say them.
 *
 * @example
 * CHANNEL_LABELS.linkedin; // 'LinkedIn'
 */
export const CHANNEL_LABELS: Record<SourceChannel, string> = {
  linkedin: 'LinkedIn',
  email: 'Email',
  web: 'Web',
  manual: 'Manual',
  import: 'Import',
  referral: 'Referral',
  event: 'Event',
};

/**
 * The label of a value from one of the tables above; a value the table does not know (an older or
 * newer API) reads as its words rather than its code.
 *
 * @example
 * labelOf(TOUCHPOINT_LABELS, 'email_opened'); // 'Email opened'
 * labelOf(TOUCHPOINT_LABELS, 'fax_sent'); // 'Fax sent'
 */
export function labelOf(table: Readonly<Record<string, string>>, value: string): string {
  const known = table[value];
  if (known) return known;
  const words = value.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
