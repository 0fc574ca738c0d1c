import {
  canonicalLinkedinUrl,
  emailMatchKey,
  type Lead,
  type LeadCreate,
  type LeadPatch,
  nameKey,
  parseUtm,
} from '@leadline/shared';
import { type LeadRow, type LeadScore, nestedParts } from '../db/lead-row';
import type { leads } from '../db/schema';

type LeadColumns = Partial<typeof leads.$inferInsert>;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toWireLead(row: LeadRow, score: LeadScore): Lead {
  return {
    id: row.id,
    fullName: row.fullName,
    firstName: row.firstName,
    lastName: row.lastName,
    title: row.title,
    company: row.company,
    companyDomain: row.companyDomain,
    email: row.email,
    phone: row.phone,
    location: row.location,
    country: row.country,
    linkedinUrl: row.linkedinUrl,
    website: row.website,
    industry: row.industry,
    companySize: row.companySize,
    ...nestedParts(row),
    ownerId: row.ownerId,
    stage: row.stage,
    dealValue: row.dealValue,
    expectedCloseDate: row.expectedCloseDate,
    closeReason: row.closeReason,
    ...score,
    lastTouchAt: iso(row.lastTouchAt),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Maps wire fields (create or patch) to columns, deriving the match keys. A `null` in a patch
 * clears the column; an absent field leaves it alone.
 */
export function toLeadColumns(input: LeadCreate | LeadPatch): LeadColumns {
  const columns: LeadColumns = {};
  const set = <K extends keyof LeadColumns>(key: K, value: LeadColumns[K] | undefined) => {
    if (value !== undefined) columns[key] = value;
  };
  set('fullName', input.fullName);
  set('firstName', input.firstName);
  set('lastName', input.lastName);
  set('title', input.title);
  set('company', input.company);
  set('companyDomain', input.companyDomain);
  set('phone', input.phone);
  set('location', input.location);
  set('country', input.country);
  set('website', input.website);
  set('industry', input.industry);
  set('companySize', input.companySize);
  set('ownerId', input.ownerId);
  set('stage', input.stage);
  set('dealValue', input.dealValue);
  set('expectedCloseDate', input.expectedCloseDate);
  set('closeReason', input.closeReason);
  if (input.fullName !== undefined) set('nameKey', input.fullName === null ? null : nameKey(input.fullName));
  if (input.email !== undefined) {
    set('email', input.email);
    set('emailKey', input.email === null ? null : emailMatchKey(input.email));
  }
  if (input.linkedinUrl !== undefined) {
    set(
      'linkedinUrl',
      input.linkedinUrl === null ? null : (canonicalLinkedinUrl(input.linkedinUrl) ?? input.linkedinUrl),
    );
  }
  if (input.bant !== undefined) {
    const bant = input.bant ?? { budget: null, authority: null, need: null, timelineMonths: null };
    set('bantBudget', bant.budget);
    set('bantAuthority', bant.authority);
    set('bantNeed', bant.need);
    set('bantTimelineMonths', bant.timelineMonths);
  }
  if ('source' in input && input.source) {
    const { channel, url } = input.source;
    const utm = input.source.utm ?? (url ? parseUtm(url) : undefined);
    columns.sourceChannel = channel;
    set('sourceUrl', url);
    set('utmSource', utm?.source);
    set('utmMedium', utm?.medium);
    set('utmCampaign', utm?.campaign);
    set('utmTerm', utm?.term);
    set('utmContent', utm?.content);
  }
  return columns;
}

/** Builds a full name from its parts when the client sent only the parts. */
export function deriveFullName(input: LeadCreate): string | undefined {
  if (input.fullName) return input.fullName;
  const parts = [input.firstName, input.lastName].filter(Boolean);
  return parts.length ? parts.join(' ') : undefined;
}
