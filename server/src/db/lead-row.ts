import type { ConditionLead, Lead, ScorableLead } from '@leadline/shared';
import type { leads } from './schema';

/** A lead as stored: what scoring and the lead routes both read. */
export type LeadRow = typeof leads.$inferSelect;

/** The live score figures a lead is shown with; computed by the scoring service. */
export interface LeadScore {
  score: number;
  fit: number;
  engagement: number;
  grade: Lead['grade'];
}

/** The domain object fit rules read (`evaluateFit`, `scoreLead` of @leadline/shared), from a row. */
export function toScorable(row: LeadRow): ScorableLead {
  return {
    title: row.title,
    email: row.email,
    phone: row.phone,
    company: row.company,
    companyDomain: row.companyDomain,
    companySize: row.companySize,
    industry: row.industry,
    country: row.country,
    location: row.location,
    fullName: row.fullName,
    firstName: row.firstName,
    lastName: row.lastName,
    linkedinUrl: row.linkedinUrl,
    website: row.website,
    dealValue: row.dealValue,
    ...nestedParts(row),
  };
}

/** A row's BANT answers and source, nested as the wire lead and the scorable lead both hold them. */
export function nestedParts(row: LeadRow): Pick<Lead, 'bant' | 'source'> {
  return {
    bant: {
      budget: row.bantBudget,
      authority: row.bantAuthority,
      need: row.bantNeed,
      timelineMonths: row.bantTimelineMonths,
    },
    source: {
      channel: row.sourceChannel,
      url: row.sourceUrl,
      utm: {
        source: row.utmSource,
        medium: row.utmMedium,
        campaign: row.utmCampaign,
        term: row.utmTerm,
        content: row.utmContent,
      },
    },
  };
}

/** What conditions read of a stored lead, with its live figures. */
export function conditionLead(row: LeadRow, score?: LeadScore): ConditionLead {
  return {
    ...toScorable(row),
    stage: row.stage,
    fit: score?.fit ?? row.fit,
    score: score?.score ?? null,
    grade: score?.grade ?? null,
  };
}
