import { canonicalLinkedinUrl, nameKey } from '../identity';
import { foldWhitespace } from '../normalize/text';
import { attr, isInside, queryAll, queryOne, textOf } from './dom';
import { collectEntities, indexIds, personLead, readJsonLd } from './jsonld';
import { createLead, evidence, mergeInto, setEmail, setLinkedin, setName, setPhone, setText } from './merge';
import type { ExtractContext, ExtractedLead } from './types';
import { PRESENT_WORDS } from './vocabulary';

/** Asides and recommendation blocks: other people's names live there. */
const NOISE =
  'aside, [data-view-name*="browsemap"], [data-view-name*="pymk"], .pv-browsemap-section, .browsemap, .right-rail';
const EXPERIENCE_HEADING =
  /^(experience|berufserfahrung|erfahrung|expérience|experiencia|esperienza|ervaring|experiência|doświadczenie|erfarenhet|erfaring|kokemus|经历|経験)$/i;
const HIDDEN = /(^|\s)(visually-hidden|sr-only|a11y-text|screen-reader-text)(\s|$)/;
const YEAR = /\b(19|20)\d{2}\b/;
const RANGE_DASH = /\s[-–—]\s|[-–—]/;

export function mainOf(doc: Document): ParentNode {
  return queryOne(doc, 'main') ?? doc.body ?? doc;
}

export const outsideNoise = (el: Element) => !isInside(el, NOISE);

/**
 * The visible text blocks of an element in document order: an element with text of its own counts as
 * one block; screen-reader duplicates and (optionally) nested lists are skipped; adjacent repeats
 * (LinkedIn renders each text twice, once `aria-hidden`) are folded.
 */
function textBlocks(root: Element, skipNestedLists: boolean, limit = 30): string[] {
  const out: string[] = [];
  const stack: Element[] = [root];
  let visited = 0;
  while (stack.length && out.length < limit && visited < 2000) {
    const el = stack.pop()!;
    visited++;
    if (el !== root) {
      if (HIDDEN.test(attr(el, 'class')) || el.hasAttribute('hidden')) continue;
      if (skipNestedLists && (el.tagName === 'UL' || el.tagName === 'OL')) continue;
      if (['SCRIPT', 'STYLE', 'svg', 'SVG', 'IMG', 'BUTTON'].includes(el.tagName)) continue;
    }
    let ownText = false;
    for (let i = 0; i < el.childNodes.length; i++) {
      const node = el.childNodes[i]!;
      if (node.nodeType === 3 && (node.nodeValue ?? '').trim()) {
        ownText = true;
        break;
      }
    }
    if (ownText) {
      const text = textOf(el, 300);
      if (text && out[out.length - 1] !== text) out.push(text);
      continue;
    }
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
  }
  return out;
}

const isDateRange = (text: string) => YEAR.test(text) && (RANGE_DASH.test(text) || PRESENT_WORDS.test(text));

/** Whether a date range is open ("Mar 2021 - Present", "seit 2021 – heute", "2021 -"). */
function isOpenRange(text: string): boolean {
  const range = text.split('·')[0] ?? text;
  const parts = range.split(/\s[-–—]\s|[–—]|\s-|-\s/);
  if (parts.length < 2) return PRESENT_WORDS.test(range) && !/\b(19|20)\d{2}\b.*\b(19|20)\d{2}\b/.test(range);
  const end = parts[parts.length - 1] ?? '';
  return !YEAR.test(end);
}

/** The experience section, found by anchor, data attribute, details link or a heading in any UI language. */
function experienceSection(doc: Document): Element | null {
  const main = mainOf(doc);
  const byAnchor = queryOne(main, '#experience');
  if (byAnchor) return byAnchor.closest('section') ?? byAnchor.parentElement;
  const byData = queryAll(
    main,
    '[data-section="experience"], section.experience, [data-view-name*="experience"]',
    5,
  ).find(outsideNoise);
  if (byData) return byData;
  const byLink = queryAll(main, 'a[href*="/details/experience"]', 5).find(outsideNoise);
  if (byLink) return byLink.closest('section');
  for (const heading of queryAll(main, 'section h2, section h3, section [role="heading"]', 60)) {
    if (EXPERIENCE_HEADING.test(textOf(heading, 60)) && outsideNoise(heading))
      return heading.closest('section');
  }
  return null;
}

interface Position {
  title?: string;
  company?: string;
  companyUrl?: string;
  current: boolean;
  hasDates: boolean;
}

function directItems(list: Element): Element[] {
  return Array.from(list.children).filter((c) => c.tagName === 'LI');
}

/** Reads one experience entry; an entry grouping several roles at one company reads its current role. */
function readPosition(entry: Element): Position {
  const companyLink = queryAll(entry, 'a[href*="/company/"]', 3)
    .map((a) => attr(a, 'href'))
    .find((href) => canonicalLinkedinUrl(href.startsWith('/') ? `https://www.linkedin.com${href}` : href));
  const companyUrl = companyLink
    ? (canonicalLinkedinUrl(
        companyLink.startsWith('/') ? `https://www.linkedin.com${companyLink}` : companyLink,
      ) ?? undefined)
    : undefined;
  const roles = queryAll(entry, 'ul li, ol li', 40)
    .map((li) => ({ li, blocks: textBlocks(li, true, 8) }))
    .filter((r) => r.blocks.some(isDateRange));
  const own = textBlocks(entry, true, 10);
  if (roles.length && !own.some(isDateRange)) {
    // Grouped: the entry names the company, its nested items are the roles.
    const role = roles.find((r) => r.blocks.some((b) => isDateRange(b) && isOpenRange(b))) ?? roles[0]!;
    return {
      title: role.blocks[0],
      company: own[0]?.split('·')[0]?.trim(),
      ...(companyUrl ? { companyUrl } : {}),
      current: role.blocks.some((b) => isDateRange(b) && isOpenRange(b)),
      hasDates: true,
    };
  }
  const dateIndex = own.findIndex(isDateRange);
  const title = own[0];
  const second = own[1] !== undefined && 1 !== dateIndex ? own[1] : undefined;
  return {
    ...(title && dateIndex !== 0 ? { title } : {}),
    ...(second ? { company: second.split('·')[0]!.trim() } : {}),
    ...(companyUrl ? { companyUrl } : {}),
    current: dateIndex >= 0 && isOpenRange(own[dateIndex]!),
    hasDates: dateIndex >= 0,
  };
}

/**
 * The current position of a profile's experience list: the first entry whose date range is open
 * ("Present", "heute", "aujourd'hui"... or no end year), else the first entry. Never the headline.
 */
export function currentPosition(doc: Document): (Position & { fallback: boolean }) | null {
  const section = experienceSection(doc);
  if (!section) return null;
  const list = queryAll(section, 'ul, ol', 20).find(
    (ul) => directItems(ul).length > 0 && !ul.parentElement?.closest('li'),
  );
  const entries = list
    ? directItems(list).slice(0, 30)
    : queryAll(section, '[data-view-name="profile-component-entity"]', 30);
  const positions = entries.map(readPosition).filter((p) => p.title || p.company);
  const current = positions.find((p) => p.current);
  if (current) return { ...current, fallback: false };
  const first = positions[0];
  return first ? { ...first, fallback: true } : null;
}

/** The location printed next to the "Contact info" link of a profile's top card (language-neutral). */
function topCardLocation(doc: Document): { text: string; viaClass: boolean } | null {
  const main = mainOf(doc);
  const link = queryAll(
    main,
    'a[href*="/overlay/contact-info"], a#top-card-text-details-contact-info',
    3,
  ).find(outsideNoise);
  if (link) {
    let el: Element | null = link;
    for (let level = 0; level < 3 && el?.parentElement; level++) {
      el = el.parentElement;
      const linkText = textOf(link, 100);
      const text = foldWhitespace((textOf(el, 400) || '').replace(linkText, ' ')).replace(
        /^[\s·•|]+|[\s·•|]+$/g,
        '',
      );
      if (text && text.length <= 100 && !/\d/.test(text) && /\p{L}/u.test(text))
        return { text, viaClass: false };
      if (text.length > 100) break;
    }
  }
  for (const selector of [
    '.pv-text-details__left-panel .text-body-small',
    '.top-card-layout__first-subline .profile-info-subheader span',
    '.top-card__subline-item',
  ]) {
    const el = queryAll(main, selector, 3).find(outsideNoise);
    const text = el ? textOf(el, 100) : '';
    if (text && !/\d/.test(text)) return { text, viaClass: true };
  }
  return null;
}

/** The profile's own name: the first `h1` of the page outside asides. */
export function profileName(doc: Document): Element | undefined {
  return queryAll(mainOf(doc), 'h1', 10).find((h1) => outsideNoise(h1) && textOf(h1, 200));
}

function jsonLdPerson(doc: Document, ctx: ExtractContext, profileUrl: string | null): ExtractedLead | null {
  const roots = readJsonLd(doc);
  if (!roots.length) return null;
  const entities = collectEntities(roots).filter((e) => e.kind === 'person');
  const ids = indexIds(entities, roots);
  const matches = (e: (typeof entities)[number]) => {
    for (const key of ['url', 'sameAs', '@id'] as const) {
      const values = ([] as unknown[]).concat(e.node[key] ?? []);
      if (values.some((v) => typeof v === 'string' && canonicalLinkedinUrl(v) === profileUrl)) return true;
    }
    return false;
  };
  const entity = (profileUrl ? entities.find(matches) : undefined) ?? entities.find((e) => e.topLevel);
  return entity ? personLead(entity, ids, ctx) : null;
}

/**
 * The person of a LinkedIn profile page, logged in (2024-25 top card, hashed-class layouts) or
 * public (JSON-LD `@graph`): name from the `h1`, title and company from the current position of
 * the experience list, location from the top card, canonical profile URL from the page URL.
 *
 * @example
 * linkedinProfileLeads(document, ctx)[0];
 * // { kind: 'person', fullName: 'Anna Müller', title: 'Head of Growth', company: 'Acme GmbH', ... }
 */
export function linkedinProfileLeads(doc: Document, ctx: ExtractContext): ExtractedLead[] {
  const lead = createLead('person');
  setLinkedin(lead, ctx.url, evidence('url', 'page URL'));
  const fromJson = jsonLdPerson(doc, ctx, lead.linkedinUrl ?? null);
  const h1 = profileName(doc);
  if (h1) setName(lead, textOf(h1, 300), evidence('structure', 'h1'));
  if (fromJson) {
    // The JSON-LD Person of the public page is the profile itself: its LinkedIn URL and name agree.
    if (!lead.fullName || !fromJson.fullName || nameKey(lead.fullName) === nameKey(fromJson.fullName)) {
      delete fromJson.linkedinUrl;
      mergeInto(lead, fromJson);
    }
  }
  const position = currentPosition(doc);
  if (position) {
    const factor = position.fallback ? 0.8 : 1;
    setText(
      lead,
      'title',
      position.title,
      evidence(
        'structure',
        position.fallback ? 'experience: first entry' : 'experience: current entry',
        factor,
      ),
    );
    setText(
      lead,
      'company',
      position.company,
      evidence(
        'structure',
        position.fallback ? 'experience: first entry' : 'experience: current entry',
        factor,
      ),
    );
  } else {
    const jump = queryAll(mainOf(doc), 'a[href="#experience"], a[href$="#experience"]', 3).find(outsideNoise);
    if (jump)
      setText(lead, 'company', textOf(jump, 200), evidence('structure', 'top card link to experience', 0.7));
  }
  const location = topCardLocation(doc);
  if (location) {
    setText(
      lead,
      'location',
      location.text,
      location.viaClass
        ? evidence('css', 'top card location')
        : evidence('structure', 'text beside contact-info link'),
    );
  }
  // The contact-info overlay, when open, lists the member's e-mail, phone and website.
  const overlay = queryAll(doc, '[role="dialog"], .pv-contact-info, section.pv-profile-section', 5);
  for (const box of overlay) {
    const mail = queryOne(box, 'a[href^="mailto:"]');
    if (mail) setEmail(lead, attr(mail, 'href'), evidence('link', 'contact info mailto:'));
    const tel = queryOne(box, 'a[href^="tel:"]');
    if (tel) setPhone(lead, attr(tel, 'href'), ctx.country, evidence('link', 'contact info tel:'));
  }
  return lead.fullName || lead.linkedinUrl ? [lead] : [];
}
