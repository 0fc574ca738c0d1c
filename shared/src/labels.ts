import type { SourceChannel } from './schemas/lead';
import type { TouchpointType } from './touchpoint-types';

/**
 * What a rep reads for each touchpoint type: the panel, the dashboard and CSV headers all use these,
 * never the wire name.
 *
 * @example
 * TOUCHPOINT_LABELS.email_opened; // 'Email opened'
 */
export const TOUCHPOINT_LABELS: Readonly<Record<TouchpointType, string>> = {
  page_visit: 'Page visit',
  email_opened: 'Email opened',
  email_clicked: 'Email link clicked',
  email_sent: 'Email sent',
  email_replied: 'Email replied',
  linkedin_connect_sent: 'LinkedIn invite sent',
  linkedin_connected: 'LinkedIn connected',
  linkedin_message_replied: 'LinkedIn reply',
  call_attempted: 'Call attempted',
  call_connected: 'Call connected',
  meeting_booked: 'Meeting booked',
  meeting_held: 'Meeting held',
  content_downloaded: 'Content downloaded',
  form_submitted: 'Form submitted',
  demo_requested: 'Demo requested',
  unsubscribed: 'Unsubscribed',
  bounced: 'Email bounced',
  note: 'Note',
};

/**
 * A touchpoint type in words; a type this table does not know (from a newer API) still reads as words.
 *
 * @example
 * touchpointLabel('call_connected'); // 'Call connected'
 */
export function touchpointLabel(type: string): string {
  return labelOf(TOUCHPOINT_LABELS, type);
}

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
 * The label of a value from one of these tables; a value the table does not know (an older or
 * newer API) reads as its words rather than its code.
 *
 * @example
 * labelOf(TOUCHPOINT_LABELS, 'email_opened'); // 'Email opened'
 * labelOf(TOUCHPOINT_LABELS, 'fax_sent'); // 'Fax sent'
 */
export function labelOf(table: Readonly<Record<string, string>>, value: string): string {
  return table[value] ?? sentenceCase(value);
}

/**
 * The lead's fields as a rep reads them (forms, the "why" of a score, CSV headers).
 *
 * @example
 * LEAD_FIELD_LABELS.companySize; // 'Company size'
 */
export const LEAD_FIELD_LABELS: Readonly<Record<string, string>> = {
  fullName: 'Name',
  firstName: 'First name',
  lastName: 'Last name',
  title: 'Title',
  company: 'Company',
  companyDomain: 'Company domain',
  email: 'E-mail',
  phone: 'Phone',
  linkedinUrl: 'LinkedIn',
  website: 'Website',
  location: 'Location',
  country: 'Country',
  industry: 'Industry',
  companySize: 'Company size',
  ownerId: 'Owner',
  stage: 'Stage',
  dealValue: 'Deal value',
  expectedCloseDate: 'Expected close',
  closeReason: 'Close reason',
  'bant.budget': 'Budget',
  'bant.authority': 'Authority',
  'bant.need': 'Need',
  'bant.timelineMonths': 'Timeline',
};

/** @example fieldLabel('bant.need') // 'Need' */
export function fieldLabel(field: string): string {
  return LEAD_FIELD_LABELS[field] ?? sentenceCase(field);
}

/**
 * A fit rule's id in words ("senior-title" → "Senior title").
 *
 * @example
 * fitRuleLabel('business-email'); // 'Business email'
 */
export function fitRuleLabel(ruleId: string): string {
  return sentenceCase(ruleId);
}

function sentenceCase(name: string): string {
  const words = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[-_.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
