import type { LeadExportColumn } from '@leadline/shared';
import type { LeadRow, LeadScore } from '../db/lead-row';

export type Cell = string | number | boolean | null;

/**
 * Where each export column's value comes from: a stored column of the lead, exactly as the wire lead
 * carries it (`toWireLead`: the value as stored, a moment as ISO 8601), a figure of the live score
 * at the moment of export, or the owner's name. Reading the row itself, not a wire lead built from
 * it, is what lets a million-lead export select only the columns chosen and skip the nested objects
 * (exports.test.ts holds every cell equal to the wire lead's value).
 */
export type ColumnSource =
  | { stored: keyof LeadRow }
  | { score: Exclude<keyof LeadScore, 'fit'> }
  | { ownerName: true };

const stored = (column: keyof LeadRow): ColumnSource => ({ stored: column });

export const LEAD_COLUMN_SOURCES: Record<LeadExportColumn, ColumnSource> = {
  id: stored('id'),
  fullName: stored('fullName'),
  firstName: stored('firstName'),
  lastName: stored('lastName'),
  email: stored('email'),
  phone: stored('phone'),
  title: stored('title'),
  company: stored('company'),
  companyDomain: stored('companyDomain'),
  website: stored('website'),
  linkedinUrl: stored('linkedinUrl'),
  location: stored('location'),
  country: stored('country'),
  industry: stored('industry'),
  companySize: stored('companySize'),
  stage: stored('stage'),
  score: { score: 'score' },
  grade: { score: 'grade' },
  // The live score's fit is the stored one: fit does not decay.
  fit: stored('fit'),
  engagement: { score: 'engagement' },
  ownerId: stored('ownerId'),
  ownerName: { ownerName: true },
  sourceChannel: stored('sourceChannel'),
  sourceUrl: stored('sourceUrl'),
  utmSource: stored('utmSource'),
  utmMedium: stored('utmMedium'),
  utmCampaign: stored('utmCampaign'),
  utmTerm: stored('utmTerm'),
  utmContent: stored('utmContent'),
  dealValue: stored('dealValue'),
  expectedCloseDate: stored('expectedCloseDate'),
  closeReason: stored('closeReason'),
  bantBudget: stored('bantBudget'),
  bantAuthority: stored('bantAuthority'),
  bantNeed: stored('bantNeed'),
  bantTimelineMonths: stored('bantTimelineMonths'),
  lastTouchAt: stored('lastTouchAt'),
  createdAt: stored('createdAt'),
  updatedAt: stored('updatedAt'),
};
