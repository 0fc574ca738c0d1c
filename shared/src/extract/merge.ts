import { canonicalLinkedinUrl, nameKey } from '../identity';
import { parseCompanySize } from '../normalize/company-size';
import { countryFromText } from '../normalize/country';
import {
  companyDomainFromEmail,
  companyDomainFromWebsite,
  normalizeWebsite,
  registrableDomain,
} from '../normalize/domain';
import { normalizeEmail } from '../normalize/email';
import { normalizeName } from '../normalize/name';
import { normalizePhone } from '../normalize/phone';
import { cleanField } from '../normalize/text';
import type { ExtractedLead, FieldEvidence, FieldSource } from './types';

/**
 * How far each strategy is trusted before any per-field adjustment: structured data a site publishes
 * on purpose beats markup conventions, which beat guesses from layout and prose.
 */
export const BASE_CONFIDENCE: Record<FieldSource, number> = {
  jsonld: 0.95,
  microformat: 0.9,
  microdata: 0.9,
  structure: 0.85,
  url: 0.9,
  selection: 0.8,
  link: 0.75,
  css: 0.7,
  signature: 0.65,
  meta: 0.6,
};

/** Evidence from `source`, at its base confidence scaled by `factor`. */
export function evidence(source: FieldSource, detail?: string, factor = 1): FieldEvidence {
  const confidence = Math.round(Math.min(1, BASE_CONFIDENCE[source] * factor) * 100) / 100;
  return detail ? { source, confidence, detail: detail.slice(0, 120) } : { source, confidence };
}

type ScalarField = Exclude<keyof ExtractedLead, 'kind' | 'fieldSources'>;
type TextField = 'title' | 'company' | 'location' | 'industry';

/** A new, empty lead. */
export function createLead(kind: ExtractedLead['kind']): ExtractedLead {
  return { kind, fieldSources: {} };
}

function stronger(lead: ExtractedLead, field: ScalarField, ev: FieldEvidence): boolean {
  const current = lead.fieldSources[field];
  return lead[field] === undefined || !current || ev.confidence > current.confidence;
}

function assign<K extends ScalarField>(
  lead: ExtractedLead,
  field: K,
  value: ExtractedLead[K],
  ev: FieldEvidence,
): boolean {
  if (value === undefined || !stronger(lead, field, ev)) return false;
  lead[field] = value;
  lead.fieldSources[field] = ev;
  return true;
}

/**
 * Sets the name fields together (so first, last and full name always come from one reading); a value
 * that is not a plausible name is refused.
 */
export function setName(lead: ExtractedLead, raw: unknown, ev: FieldEvidence): boolean {
  const name = normalizeName(raw);
  if (!name || !stronger(lead, 'fullName', ev)) return false;
  for (const field of ['fullName', 'firstName', 'lastName', 'honorific', 'postNominals'] as const) {
    delete lead[field];
    delete lead.fieldSources[field];
    const value = name[field];
    if (value !== undefined) {
      lead[field] = value;
      lead.fieldSources[field] = ev;
    }
  }
  return true;
}

/** Sets a free-text field (title, company, location, industry) from untrusted text. */
export function setText(lead: ExtractedLead, field: TextField, raw: unknown, ev: FieldEvidence): boolean {
  const value = cleanField(raw);
  if (!value || !/\p{L}/u.test(value)) return false;
  const ok = assign(lead, field, value, ev);
  if (ok && field === 'location' && !lead.country)
    setCountry(lead, countryFromText(value), { ...ev, confidence: Math.round(ev.confidence * 90) / 100 });
  return ok;
}

/** Sets the e-mail and its match key, and the company domain it reveals (not for free-mail). */
export function setEmail(lead: ExtractedLead, raw: unknown, ev: FieldEvidence): boolean {
  const email = normalizeEmail(raw);
  if (!email || !stronger(lead, 'email', ev)) return false;
  assign(lead, 'email', email.email, ev);
  lead.emailMatchKey = email.emailMatchKey;
  lead.fieldSources.emailMatchKey = ev;
  const domain = companyDomainFromEmail(email.email);
  if (domain)
    assign(lead, 'companyDomain', domain, {
      ...ev,
      confidence: Math.round(ev.confidence * 90) / 100,
      detail: 'from e-mail',
    });
  return true;
}

/** Sets the phone in E.164; local numbers need `country`. */
export function setPhone(
  lead: ExtractedLead,
  raw: unknown,
  country: string | undefined,
  ev: FieldEvidence,
): boolean {
  const phone = normalizePhone(raw, country);
  return phone ? assign(lead, 'phone', phone, ev) : false;
}

/**
 * Sets the website. `companySite` says the URL is the employer's (an Organization's url, a signature
 * line), so its domain becomes the company domain; a person's own homepage does not.
 */
export function setWebsite(
  lead: ExtractedLead,
  raw: unknown,
  ev: FieldEvidence,
  options: { base?: string; companySite: boolean },
): boolean {
  if (typeof raw !== 'string') return false;
  if (canonicalLinkedinUrl(raw)) return false;
  const website = normalizeWebsite(raw, options.base);
  if (!website || !companyDomainFromWebsite(website)) return false;
  const ok = assign(lead, 'website', website, ev);
  if (options.companySite) {
    assign(lead, 'companyDomain', companyDomainFromWebsite(website) ?? undefined, {
      ...ev,
      detail: 'from website',
    });
  }
  return ok;
}

/** Sets the company domain directly (a bare domain or URL). */
export function setCompanyDomain(lead: ExtractedLead, raw: string, ev: FieldEvidence): boolean {
  const domain = registrableDomain(raw);
  return domain ? assign(lead, 'companyDomain', domain, ev) : false;
}

/**
 * Sets the canonical LinkedIn URL: a person lead takes only `/in/` URLs, a company lead only
 * `/company/` ones.
 */
export function setLinkedin(lead: ExtractedLead, raw: unknown, ev: FieldEvidence): boolean {
  if (typeof raw !== 'string') return false;
  const url = canonicalLinkedinUrl(raw);
  if (!url) return false;
  const isCompany = url.includes('/company/');
  if (isCompany !== (lead.kind === 'company')) return false;
  return assign(lead, 'linkedinUrl', url, ev);
}

/** Sets the ISO-2 country. */
export function setCountry(
  lead: ExtractedLead,
  country: string | null | undefined,
  ev: FieldEvidence,
): boolean {
  if (!country || !/^[A-Z]{2}$/.test(country)) return false;
  return assign(lead, 'country', country, ev);
}

/** Sets the head count from a number or a range such as "51-200 employees" (lower bound). */
export function setCompanySize(lead: ExtractedLead, raw: unknown, ev: FieldEvidence): boolean {
  const size = parseCompanySize(raw);
  return size ? assign(lead, 'companySize', size, ev) : false;
}

/** Whether a lead names someone or something (the API refuses a lead with no identity). */
export function hasIdentity(lead: ExtractedLead): boolean {
  return Boolean(
    lead.fullName || lead.email || lead.linkedinUrl || (lead.kind === 'company' && lead.company),
  );
}

/**
 * Whether two readings describe the same lead: same mailbox, same LinkedIn profile, or same name with
 * no conflicting mailbox or profile.
 */
export function sameLead(a: ExtractedLead, b: ExtractedLead): boolean {
  if (a.kind !== b.kind) return false;
  // One company has many mailboxes (hello@, jobs@) but one domain.
  if (a.kind === 'company' && a.companyDomain && b.companyDomain) return a.companyDomain === b.companyDomain;
  if (a.emailMatchKey && b.emailMatchKey) return a.emailMatchKey === b.emailMatchKey;
  if (a.linkedinUrl && b.linkedinUrl) return a.linkedinUrl === b.linkedinUrl;
  if (a.kind === 'company') {
    if (a.companyDomain && b.companyDomain) return a.companyDomain === b.companyDomain;
    return Boolean(a.company && b.company && nameKey(a.company) === nameKey(b.company));
  }
  return Boolean(a.fullName && b.fullName && nameKey(a.fullName) === nameKey(b.fullName));
}

const NAME_FIELDS = new Set(['fullName', 'firstName', 'lastName', 'honorific', 'postNominals']);

/**
 * Folds `from` into `into`, field by field, keeping the better-evidenced value; the name fields move
 * as one group.
 */
export function mergeInto(into: ExtractedLead, from: ExtractedLead): ExtractedLead {
  const fromName = from.fieldSources.fullName;
  const intoName = into.fieldSources.fullName;
  if (
    from.fullName &&
    fromName &&
    (!into.fullName || !intoName || fromName.confidence > intoName.confidence)
  ) {
    for (const field of NAME_FIELDS as Set<
      'fullName' | 'firstName' | 'lastName' | 'honorific' | 'postNominals'
    >) {
      delete into[field];
      delete into.fieldSources[field];
      if (from[field] !== undefined) {
        into[field] = from[field];
        const ev = from.fieldSources[field];
        if (ev) into.fieldSources[field] = ev;
      }
    }
  }
  for (const key of Object.keys(from) as (keyof ExtractedLead)[]) {
    if (key === 'kind' || key === 'fieldSources' || NAME_FIELDS.has(key)) continue;
    const ev = from.fieldSources[key];
    const value = from[key];
    if (value === undefined || !ev) continue;
    assign(into, key, value as never, ev);
  }
  return into;
}

/** Merges the readings that describe the same lead, keeping first-seen order. */
export function dedupeLeads(leads: ExtractedLead[]): ExtractedLead[] {
  const out: ExtractedLead[] = [];
  for (const lead of leads) {
    const same = out.find((existing) => sameLead(existing, lead));
    if (same) mergeInto(same, lead);
    else out.push(lead);
  }
  return out;
}
