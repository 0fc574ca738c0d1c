import { attr, queryAll, queryOne, textOf } from './dom';
import { collectEntities, organizationLead, readJsonLd } from './jsonld';
import { mainOf, outsideNoise, profileName } from './linkedin';
import {
  createLead,
  evidence,
  mergeInto,
  setCompanySize,
  setLinkedin,
  setName,
  setPhone,
  setText,
  setWebsite,
} from './merge';
import type { ExtractContext, ExtractedLead } from './types';

const LABELS = {
  website: /^(website|webseite|site web|sitio web|sito web|site|websites?)$/i,
  industry: /^(industry|branche|secteur|sector|industria|settore|industrie|setor|bransch)$/i,
  size: /(company size|size|unternehmensgröße|größe|taille de l.entreprise|taille|tamaño de la empresa|tamaño|dimensioni|bedrijfsgrootte|tamanho)/i,
  headquarters:
    /^(headquarters|hauptsitz|firmensitz|siège social|siège|sede|sede central|sede principale|hoofdkantoor|huvudkontor)$/i,
  phone: /^(phone|telefon|téléphone|teléfono|telefono|telefoon)$/i,
};

/** An external link as LinkedIn writes it: directly, or wrapped in `/redir/redirect?url=...`. */
function externalHref(a: Element): string | undefined {
  const href = attr(a, 'href');
  try {
    const url = new URL(href, 'https://www.linkedin.com/');
    if (url.hostname.endsWith('linkedin.com')) {
      const target = url.searchParams.get('url');
      return target ?? undefined;
    }
    return url.href;
  } catch {
    return undefined;
  }
}

/**
 * The company of a LinkedIn company page: name (`h1`), website, industry, head count and
 * headquarters from the About list (`dt`/`dd` in any UI language, or the public page's
 * `data-test-id` items), JSON-LD when the page has it.
 *
 * @example
 * linkedinCompanyLeads(document, ctx)[0];
 * // { kind: 'company', company: 'Acme GmbH', companyDomain: 'acme.de', companySize: 51, industry: 'Software Development', ... }
 */
export function linkedinCompanyLeads(doc: Document, ctx: ExtractContext): ExtractedLead[] {
  const lead = createLead('company');
  setLinkedin(lead, ctx.url, evidence('url', 'page URL'));
  const h1 = profileName(doc);
  if (h1) setText(lead, 'company', textOf(h1, 300), evidence('structure', 'h1'));
  const roots = readJsonLd(doc);
  const org = collectEntities(roots).find((e) => e.kind === 'company' && e.topLevel);
  if (org) mergeInto(lead, organizationLead(org, ctx));

  const main = mainOf(doc);
  const pairs: { label: string; value: Element }[] = [];
  for (const dt of queryAll(main, 'dt', 40)) {
    if (!outsideNoise(dt)) continue;
    let dd = dt.nextElementSibling;
    while (dd && dd.tagName !== 'DD' && dd.tagName !== 'DT') dd = dd.nextElementSibling;
    if (dd?.tagName === 'DD') pairs.push({ label: textOf(dt, 80), value: dd });
  }
  for (const item of queryAll(main, '[data-test-id^="about-us__"]', 20)) {
    const key = attr(item, 'data-test-id').replace('about-us__', '');
    const value = queryOne(item, 'dd') ?? item;
    pairs.push({ label: key, value });
  }
  for (const { label, value } of pairs) {
    const text = textOf(value, 300);
    const ev = (detail: string) => evidence('structure', `about: ${detail}`);
    const link = queryOne(value, 'a[href]');
    if (
      link &&
      (LABELS.website.test(label) ||
        /^website$/i.test(label) ||
        (!LABELS.phone.test(label) && !queryOne(value, 'a[href^="tel:"]')))
    ) {
      const href = externalHref(link);
      if (href && setWebsite(lead, href, ev('website'), { companySite: true })) continue;
    }
    if (LABELS.industry.test(label)) setText(lead, 'industry', text, ev('industry'));
    else if (LABELS.size.test(label)) setCompanySize(lead, text, ev('company size'));
    else if (LABELS.headquarters.test(label)) setText(lead, 'location', text, ev('headquarters'));
    else if (LABELS.phone.test(label) || queryOne(value, 'a[href^="tel:"]'))
      setPhone(lead, text, ctx.country, ev('phone'));
    else if (
      /^\d[\d.,\s]*\s*[-–]\s*\d[\d.,\s]*\D{0,30}$|^\d[\d.,]*\+\s*\D{0,30}$/.test(text) &&
      !lead.companySize
    ) {
      setCompanySize(lead, text, evidence('structure', 'about: head-count range', 0.8));
    }
  }
  if (!lead.companySize) {
    for (const item of queryAll(
      main,
      '.org-top-card-summary-info-list__info-item, .top-card-layout__first-subline',
      10,
    )) {
      const text = textOf(item, 100);
      if (/\d\s*[-–]\s*\d|\d\+/.test(text))
        setCompanySize(lead, text, evidence('css', 'top card head count'));
    }
  }
  return lead.company || lead.linkedinUrl ? [lead] : [];
}

/**
 * The lead of a Sales Navigator lead page, from its `data-anonymize` markers (person-name, job-title,
 * company-name, location) in the page's header, and the "view LinkedIn profile" link.
 *
 * @example
 * salesNavigatorLeads(document, ctx)[0]?.title; // 'VP Sales'
 */
export function salesNavigatorLeads(doc: Document, _ctx: ExtractContext): ExtractedLead[] {
  const main = mainOf(doc);
  const nameEl =
    queryAll(main, 'h1[data-anonymize="person-name"], h1 [data-anonymize="person-name"]', 3).find(
      outsideNoise,
    ) ?? queryAll(main, '[data-anonymize="person-name"]', 20).find(outsideNoise);
  if (!nameEl) return [];
  const lead = createLead('person');
  setName(lead, textOf(nameEl, 300), evidence('structure', 'data-anonymize=person-name'));
  // The header is the nearest ancestor that also holds the job title.
  let header: Element | null = nameEl.parentElement;
  for (let level = 0; header && level < 8 && !queryOne(header, '[data-anonymize="job-title"]'); level++) {
    header = header.parentElement;
  }
  const scope: ParentNode = header ?? main;
  const pick = (kind: string) => queryAll(scope, `[data-anonymize="${kind}"]`, 10).find(outsideNoise);
  const ev = (kind: string) => evidence('structure', `data-anonymize=${kind}`);
  setText(lead, 'title', textOf(pick('job-title'), 300), ev('job-title'));
  setText(lead, 'company', textOf(pick('company-name'), 300), ev('company-name'));
  setText(lead, 'location', textOf(pick('location'), 300), ev('location'));
  for (const a of queryAll(doc, 'a[href*="linkedin.com/in/"]', 20)) {
    if (outsideNoise(a) && setLinkedin(lead, attr(a, 'href'), evidence('link', 'view LinkedIn profile')))
      break;
  }
  return [lead];
}
