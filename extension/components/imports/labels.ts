import type { ImportPolicy, ImportTarget } from '@leadline/shared';

/** What each target reads as in the mapping's selects. */
export const TARGET_LABELS: Record<ImportTarget, string> = {
  skip: 'Skip this column',
  notes: 'Add to the note',
  fullName: 'Full name',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'E-mail',
  phone: 'Phone',
  title: 'Job title',
  company: 'Company',
  companyDomain: 'Company domain',
  website: 'Website',
  linkedinUrl: 'LinkedIn URL',
  location: 'Location',
  country: 'Country',
  industry: 'Industry',
  companySize: 'Company size',
  stage: 'Stage (lead status)',
  leadSource: 'Lead source',
  campaign: 'Campaign',
  createdAt: 'Created date',
  owner: 'Owner (e-mail or name)',
  dealValue: 'Deal value',
};

export const POLICY_LABELS: Record<ImportPolicy, string> = {
  skip: 'Skip them',
  fill: 'Fill their empty fields',
  overwrite: 'Overwrite their fields',
};

export const DELIMITER_LABELS: Record<string, string> = { ',': 'Comma', ';': 'Semicolon', '\t': 'Tab' };

export const ENCODING_LABELS: Record<string, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 (little-endian)',
  'utf-16be': 'UTF-16 (big-endian)',
  'windows-1252': 'Windows-1252',
};
