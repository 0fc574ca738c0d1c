import { linkedinProfileLeads } from './linkedin';
import { linkedinCompanyLeads, salesNavigatorLeads } from './linkedin-company';
import {
  gmailAccount,
  gmailMessages,
  isRep,
  mailLeads,
  outlookAccount,
  outlookMessages,
  repIdentity,
} from './mail';
import { hasIdentity, mergeInto, sameLead } from './merge';
import { pageCountry, pageKindOf, sourceOf } from './page';
import { selectionLead } from './selection';
import type { ExtractContext, ExtractedLead, ExtractOptions, ExtractResult, PageKind } from './types';
import { attempt, webLeads } from './web';

export { blockText } from './dom';
export { collectEntities, parseJsonLd } from './jsonld';
export { currentPosition } from './linkedin';
export { pageKindOf, sourceOf } from './page';
export { selectionLead } from './selection';
export * from './signature';
export type * from './types';

const MAX_LEADS = 100;

function leadsFor(
  kind: PageKind,
  doc: Document,
  ctx: ExtractContext,
): { leads: ExtractedLead[]; account: string[] } {
  switch (kind) {
    case 'linkedin-profile': {
      const leads = attempt(() => linkedinProfileLeads(doc, ctx));
      return { leads, account: [] };
    }
    case 'linkedin-company':
      return { leads: attempt(() => linkedinCompanyLeads(doc, ctx)), account: [] };
    case 'linkedin-sales-navigator':
      return { leads: attempt(() => salesNavigatorLeads(doc, ctx)), account: [] };
    case 'gmail': {
      const account = attempt(() => gmailAccount(doc));
      const rep = repIdentity(ctx, ctx.options.repEmails?.length ? [] : account);
      return { leads: attempt(() => mailLeads(gmailMessages(doc), ctx, rep)), account };
    }
    case 'outlook': {
      const account = attempt(() => outlookAccount(doc));
      const rep = repIdentity(ctx, ctx.options.repEmails?.length ? [] : account);
      return { leads: attempt(() => mailLeads(outlookMessages(doc), ctx, rep)), account };
    }
    default:
      return { leads: attempt(() => webLeads(doc, ctx)), account: [] };
  }
}

/**
 * Reads the candidate leads of a page: a LinkedIn profile, company or Sales Navigator lead, the
 * external participants of a Gmail or Outlook thread (with what their signatures say), or the people
 * and companies any web page describes (JSON-LD, h-card, microdata, mail and phone links, meta tags),
 * plus the text the rep selected. Every field records its source and confidence; a field that cannot
 * be read reliably stays empty. Works on the live DOM and on linkedom; never throws.
 *
 * @example
 * const { pageKind, leads, source } = extractLeads(document, location.href, { repEmails: ['max@ourco.com'] });
 * // pageKind: 'linkedin-profile'
 * // leads[0]: { kind: 'person', fullName: 'Anna Müller', title: 'Head of Growth', company: 'Acme GmbH',
 * //             linkedinUrl: 'https://www.linkedin.com/in/anna-mueller', fieldSources: { title: { source: 'structure', ... } } }
 * // source: { channel: 'linkedin', url: '...' }
 */
export function extractLeads(doc: Document, url: string, options: ExtractOptions = {}): ExtractResult {
  let pageKind: PageKind = 'web';
  let source: ExtractResult['source'] = { channel: 'web', url };
  try {
    pageKind = pageKindOf(url);
    source = sourceOf(url, pageKind);
  } catch {
    // keep the plain web defaults
  }
  let leads: ExtractedLead[] = [];
  try {
    const ctx: ExtractContext = { url, options };
    const country = pageCountry(doc, options);
    if (country) ctx.country = country;
    const found = leadsFor(pageKind, doc, ctx);
    leads = found.leads;
    if (options.selectionText) {
      const selected = attempt(() => {
        const lead = selectionLead(options.selectionText ?? '', ctx);
        return lead ? [lead] : [];
      })[0];
      if (selected) {
        const same = leads.find((l) => sameLead(l, selected));
        if (same) mergeInto(same, selected);
        else leads.unshift(selected);
      }
    }
    const rep = repIdentity(ctx, options.repEmails?.length ? [] : found.account);
    leads = leads
      .filter((lead) => hasIdentity(lead) && !(lead.email && isRep(lead.email, rep)))
      .slice(0, MAX_LEADS);
  } catch {
    leads = [];
  }
  return { pageKind, leads, source };
}
