import { mf2 } from 'microformats-parser';
import { countryFromText } from '../normalize/country';
import { cleanField } from '../normalize/text';
import { queryAll } from './dom';
import {
  createLead,
  evidence,
  setCountry,
  setEmail,
  setLinkedin,
  setName,
  setPhone,
  setText,
  setWebsite,
} from './merge';
import type { ExtractContext, ExtractedLead } from './types';

type Mf2Item = ReturnType<typeof mf2>['items'][number];
type Mf2Value = Mf2Item['properties'][string][number];

/** Only the cards are handed to the parser, and at most this much markup of them. */
const MAX_CARD_HTML = 500_000;

const isItem = (value: Mf2Value | undefined): value is Mf2Item =>
  typeof value === 'object' && value !== null && 'properties' in value;

/** The plain text of an mf2 property value (string, `{value}`, embedded item). */
function valueText(value: Mf2Value | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (isItem(value)) {
    const name = value.properties.name?.[0];
    return typeof value.value === 'string' ? value.value : valueText(name);
  }
  return value.value;
}

const first = (item: Mf2Item, key: string) => valueText(item.properties[key]?.[0]);

/**
 * The h-cards of a document as parsed by `microformats-parser` (also legacy `vcard`). Only the card
 * elements are serialised and parsed, so a page without cards costs one query.
 */
export function readHCards(doc: Document, baseUrl: string): Mf2Item[] {
  const roots = queryAll(doc, '.h-card, .vcard', 200).filter(
    (el) => !el.parentElement?.closest('.h-card, .vcard'),
  );
  if (!roots.length) return [];
  let html = '';
  for (const root of roots) {
    const outer = root.outerHTML;
    if (html.length + outer.length > MAX_CARD_HTML) break;
    html += outer;
  }
  try {
    return flattenCards(mf2(html, { baseUrl }).items);
  } catch {
    return [];
  }
}

/** Cards at any depth (children of other items), without the ones embedded as a property value. */
function flattenCards(items: Mf2Item[]): Mf2Item[] {
  const out: Mf2Item[] = [];
  const stack = [...items].reverse();
  while (stack.length && out.length < 500) {
    const item = stack.pop()!;
    if (item.type?.some((t) => t === 'h-card')) out.push(item);
    for (const child of [...(item.children ?? [])].reverse()) stack.push(child);
  }
  return out;
}

/** A name that the parser glued from parts ("JohnDoe") is rebuilt from the given and family names. */
function cardName(item: Mf2Item): string | undefined {
  const name = first(item, 'name');
  const given = first(item, 'given-name');
  const family = first(item, 'family-name');
  if (given && family) {
    const parts = [given, first(item, 'additional-name'), family].filter(Boolean).join('');
    if (
      !name ||
      name.replace(/\s+/g, '') === parts.replace(/\s+/g, '') ||
      name.replace(/\s+/g, '') === `${given}${family}`
    ) {
      return `${given} ${family}`;
    }
  }
  return name;
}

/**
 * A lead for one h-card: a person, or a company when the card's name is its organisation's name
 * (the h-card convention for organisations).
 *
 * @example
 * hCardLead(item, ctx).fullName; // 'Mitchell Baker'
 */
export function hCardLead(item: Mf2Item, ctx: ExtractContext): ExtractedLead {
  const name = cardName(item);
  const orgValue = item.properties.org?.[0];
  const org = valueText(orgValue);
  const isOrgCard =
    Boolean(org && name && cleanField(org) === cleanField(name)) || (item.type ?? []).includes('h-org');
  const lead = createLead(isOrgCard ? 'company' : 'person');
  const ev = (field: string) => evidence('microformat', `h-card ${field}`);
  if (!isOrgCard) setName(lead, name, ev('p-name'));
  setText(lead, 'company', isOrgCard ? (org ?? name) : org, ev('p-org'));
  setText(lead, 'title', first(item, 'job-title') ?? first(item, 'role'), ev('p-job-title'));
  for (const email of item.properties.email ?? []) if (setEmail(lead, valueText(email), ev('u-email'))) break;
  const adr = item.properties.adr?.[0];
  const country = first(item, 'country-name') ?? (isItem(adr) ? first(adr, 'country-name') : undefined);
  const locality = first(item, 'locality') ?? (isItem(adr) ? first(adr, 'locality') : undefined);
  const countryCode = countryFromText(country);
  const phoneCountry = countryCode ?? ctx.country;
  for (const tel of item.properties.tel ?? [])
    if (setPhone(lead, valueText(tel), phoneCountry, ev('p-tel'))) break;
  setText(lead, 'location', [locality, country].filter(Boolean).join(', ') || undefined, ev('p-adr'));
  setCountry(lead, countryCode, ev('p-country-name'));
  if (isItem(orgValue)) {
    for (const url of orgValue.properties.url ?? []) {
      setWebsite(lead, valueText(url), ev('p-org u-url'), { base: ctx.url, companySite: true });
    }
  }
  for (const url of item.properties.url ?? []) {
    const link = valueText(url);
    if (!setLinkedin(lead, link, ev('u-url')))
      setWebsite(lead, link, ev('u-url'), { base: ctx.url, companySite: isOrgCard });
  }
  return lead;
}

/** The leads of every h-card on the page. */
export function microformatLeads(doc: Document, ctx: ExtractContext): ExtractedLead[] {
  return readHCards(doc, ctx.url).map((item) => hCardLead(item, ctx));
}
