import { companyDomainFromEmail, registrableDomain } from '../normalize/domain';
import { jsonLdLeads } from './jsonld';
import { linkLeads } from './links';
import { dedupeLeads, evidence, setText } from './merge';
import { metaLeads, readMeta } from './meta';
import { microdataLeads } from './microdata';
import { microformatLeads } from './microformats';
import type { ExtractContext, ExtractedLead } from './types';

/** Runs one strategy; a strategy that throws on a strange page is skipped, never fatal. */
export function attempt<T>(strategy: () => T[]): T[] {
  try {
    return strategy();
  } catch {
    return [];
  }
}

/**
 * The leads of any web page, strongest evidence first: JSON-LD, h-card, microdata, then `mailto:` /
 * `tel:` links with their surroundings, and the meta tags when nothing better names a person. Readings
 * of one person from several strategies are merged field by field.
 *
 * @example
 * webLeads(document, ctx).map((l) => l.fullName); // ['Anna Müller', 'Ben Okafor', 'Chloé Martin']
 */
export function webLeads(doc: Document, ctx: ExtractContext): ExtractedLead[] {
  const meta = readMeta(doc);
  const structured = [
    ...attempt(() => jsonLdLeads(doc, ctx)),
    ...attempt(() => microformatLeads(doc, ctx)),
    ...attempt(() => microdataLeads(doc, ctx)),
  ];
  const links = attempt(() => linkLeads(doc, ctx, meta.siteName));
  let leads = dedupeLeads([...structured, ...links]);
  const hasPerson = leads.some((l) => l.kind === 'person' && l.fullName);
  leads = dedupeLeads([...leads, ...attempt(() => metaLeads(doc, !hasPerson, meta))]);
  // On a company's own site, people with an address at the site's domain work there.
  const pageDomain = registrableDomain(ctx.url);
  if (meta.siteName && pageDomain) {
    for (const lead of leads) {
      if (
        lead.kind === 'person' &&
        !lead.company &&
        lead.email &&
        companyDomainFromEmail(lead.email) === pageDomain
      ) {
        setText(lead, 'company', meta.siteName, evidence('meta', 'og:site_name of the address domain', 0.9));
      }
    }
  }
  return leads;
}
