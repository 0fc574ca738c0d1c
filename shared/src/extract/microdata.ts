import { countryFromText } from '../normalize/country';
import { attr, queryAll, textOf } from './dom';
import {
  createLead,
  evidence,
  setCompanySize,
  setCountry,
  setEmail,
  setLinkedin,
  setName,
  setPhone,
  setText,
  setWebsite,
} from './merge';
import type { ExtractContext, ExtractedLead } from './types';

/** The value of an `itemprop` element, by the microdata rules (content, href, src, datetime, text). */
function propValue(el: Element): string {
  const tag = el.tagName.toUpperCase();
  if (el.hasAttribute('content')) return attr(el, 'content');
  if (tag === 'A' || tag === 'LINK' || tag === 'AREA') return attr(el, 'href');
  if (tag === 'IMG' || tag === 'AUDIO' || tag === 'VIDEO' || tag === 'SOURCE') return attr(el, 'src');
  if (tag === 'TIME') return attr(el, 'datetime') || textOf(el, 200);
  if (tag === 'DATA' || tag === 'METER') return attr(el, 'value');
  return textOf(el, 1000);
}

/** The properties that belong to one item (not to items nested in it), by name. */
function itemProps(item: Element): Map<string, Element[]> {
  const props = new Map<string, Element[]>();
  for (const el of queryAll(item, '[itemprop]', 300)) {
    if (el.parentElement?.closest('[itemscope]') !== item) continue;
    for (const name of attr(el, 'itemprop').split(/\s+/)) {
      const list = props.get(name) ?? [];
      list.push(el);
      props.set(name, list);
    }
  }
  return props;
}

const typeOf = (item: Element) => attr(item, 'itemtype').replace(/^.*\//, '');
const ORG = /(Organization|Corporation|LocalBusiness|Business|Agency)$/;

function value(props: Map<string, Element[]>, name: string): string | undefined {
  const el = props.get(name)?.[0];
  if (!el) return undefined;
  if (el.hasAttribute('itemscope')) {
    const inner = itemProps(el);
    return value(inner, 'name') ?? textOf(el, 300);
  }
  return propValue(el) || undefined;
}

function address(props: Map<string, Element[]>): { location?: string; country?: string } {
  const el = props.get('address')?.[0];
  if (!el) return {};
  if (!el.hasAttribute('itemscope')) return { location: propValue(el) };
  const inner = itemProps(el);
  const country = value(inner, 'addressCountry');
  const location = [value(inner, 'addressLocality'), value(inner, 'addressRegion'), country]
    .filter(Boolean)
    .join(', ');
  const code = countryFromText(country);
  return { ...(location ? { location } : {}), ...(code ? { country: code } : {}) };
}

/**
 * The leads a page marks up as schema.org microdata (`itemscope itemtype=".../Person"` or an
 * Organization type), a person's `worksFor` item giving the company.
 *
 * @example
 * microdataLeads(document, ctx)[0]?.title; // 'Head of Sales'
 */
export function microdataLeads(doc: Document, ctx: ExtractContext): ExtractedLead[] {
  const leads: ExtractedLead[] = [];
  for (const item of queryAll(doc, '[itemscope][itemtype]', 200)) {
    const type = typeOf(item);
    const person = type === 'Person';
    if (!person && !ORG.test(type)) continue;
    // An organisation nested as someone's employer is read with that person.
    if (!person && item.hasAttribute('itemprop')) continue;
    const props = itemProps(item);
    const lead = createLead(person ? 'person' : 'company');
    const ev = (field: string) => evidence('microdata', `${type}.${field}`);
    if (person) {
      const name =
        value(props, 'name') ??
        [value(props, 'givenName'), value(props, 'familyName')].filter(Boolean).join(' ');
      setName(lead, name, ev('name'));
      setText(lead, 'title', value(props, 'jobTitle'), ev('jobTitle'));
      setText(lead, 'company', value(props, 'worksFor') ?? value(props, 'affiliation'), ev('worksFor'));
      const employer = props.get('worksFor')?.[0];
      if (employer?.hasAttribute('itemscope')) {
        setWebsite(lead, value(itemProps(employer), 'url'), ev('worksFor.url'), {
          base: ctx.url,
          companySite: true,
        });
      }
    } else {
      setText(lead, 'company', value(props, 'name') ?? value(props, 'legalName'), ev('name'));
      setCompanySize(lead, value(props, 'numberOfEmployees'), ev('numberOfEmployees'));
    }
    setEmail(lead, value(props, 'email'), ev('email'));
    const adr = address(props);
    setText(lead, 'location', adr.location, ev('address'));
    setCountry(lead, adr.country, ev('address'));
    setPhone(lead, value(props, 'telephone'), adr.country ?? ctx.country, ev('telephone'));
    for (const el of [...(props.get('url') ?? []), ...(props.get('sameAs') ?? [])]) {
      const link = propValue(el);
      if (!setLinkedin(lead, link, ev('sameAs'))) {
        setWebsite(lead, link, ev('url'), { base: ctx.url, companySite: !person });
      }
    }
    leads.push(lead);
  }
  return leads;
}
