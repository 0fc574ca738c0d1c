import type { LeadAuditEntry } from '@leadline/shared';

const FIELD_LABELS: Record<string, string> = {
  fullName: 'Name',
  firstName: 'First name',
  lastName: 'Last name',
  title: 'Title',
  company: 'Company',
  companyDomain: 'Company domain',
  email: 'E-mail',
  phone: 'Phone',
  location: 'Location',
  country: 'Country',
  linkedinUrl: 'LinkedIn',
  website: 'Website',
  industry: 'Industry',
  companySize: 'Company size',
  'bant.budget': 'Budget',
  'bant.authority': 'Authority',
  'bant.need': 'Need',
  'bant.timelineMonths': 'Timeline (months)',
  ownerId: 'Owner',
  dealValue: 'Deal value',
};

function value(field: string, raw: LeadAuditEntry['before'], users: ReadonlyMap<string, string>): string {
  if (raw === null || raw === '') return '—';
  if (typeof raw === 'boolean') return raw ? 'yes' : 'no';
  if (field === 'ownerId') return users.get(String(raw)) ?? 'someone else';
  if (typeof raw === 'number') return raw.toLocaleString();
  return raw;
}

/**
 * A field change as the timeline shows it: "Title: Sales Manager → VP Sales, by Rita". Null for the
 * entries the timeline shows otherwise (stage moves, the lead's first values).
 */
export function auditLabel(entry: LeadAuditEntry, users: ReadonlyMap<string, string>): string | null {
  if (entry.field === 'stage' || entry.cause === 'created') return null;
  const label = FIELD_LABELS[entry.field] ?? entry.field;
  const who =
    entry.cause === 'sla'
      ? ', after a missed SLA'
      : entry.userId
        ? `, by ${users.get(entry.userId) ?? 'someone no longer here'}`
        : '';
  return `${label}: ${value(entry.field, entry.before, users)} → ${value(entry.field, entry.after, users)}${who}`;
}
