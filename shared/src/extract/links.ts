import { nameKey } from '../identity';
import { companyDomainFromEmail } from '../normalize/domain';
import { normalizeEmail } from '../normalize/email';
import { normalizeName } from '../normalize/name';
import { attr, hasTextWithin, queryAll, textOf } from './dom';
import { createLead, evidence, setEmail, setName, setPhone, setText } from './merge';
import type { ExtractContext, ExtractedLead } from './types';
import { TITLE_WORDS } from './vocabulary';

const MAX_LINKS = 200;
const MAX_CONTAINER_TEXT = 1500;
const NAME_SELECTOR =
  'h1, h2, h3, h4, h5, h6, strong, b, dt, [itemprop="name"], [class*="name" i], [class*="Name"]';
const TITLE_SELECTOR =
  '[class*="title" i], [class*="role" i], [class*="position" i], [class*="job" i], p, span, small, em, div, dd';

/** Mailboxes of a function, not a person: they make a company lead, never a person's name. */
const ROLE_MAILBOX =
  /^(info|contact|kontakt|hello|hallo|hi|office|buero|team|sales|vertrieb|ventes|ventas|support|service|customerservice|customercare|kundenservice|help|admin|webmaster|press|presse|media|marketing|jobs|careers|karriere|recruiting|hr|billing|invoice|invoices|rechnung|accounts|finance|enquiries|inquiries|mail|post|general|bookings?|orders?|bestellung|reservations?|privacy|datenschutz|legal|impressum|abuse|security|compliance|dpo|gdpr|events|partners?|newsletter|feedback|reception|empfang|editors?|editorial|redaktion|newsroom)$/;
const PARTICLE = /^(van|von|de|der|den|du|da|di|dos|del|della|la|le|ten|ter|zu|bin|al)$/;
const NO_REPLY = /^(no-?reply|do-?not-?reply|mailer-daemon|bounce|notifications?)$/;

function safeSelectorQuery(root: Element, selector: string, limit: number): Element[] {
  const list = queryAll(root, selector, limit);
  return list.length ? list : queryAll(root, selector.replace(/ i\]/g, ']'), limit);
}

/**
 * The nearest block around a link that describes one person: the smallest ancestor (up to four
 * levels) that holds a heading or bold text reading as a name, while staying small enough not to be
 * a whole list.
 */
function personContext(link: Element): { container: Element; name: string; nameEl: Element } | null {
  const own = normalizeEmail(attr(link, 'href'))?.email;
  let el: Element | null = link;
  for (let level = 0; level < 5 && el; level++) {
    const parent: Element | null = el.parentElement;
    if (!parent || parent.tagName === 'BODY' || parent.tagName === 'HTML') break;
    el = parent;
    if (!hasTextWithin(el, MAX_CONTAINER_TEXT)) break;
    // A block holding someone else's address is a list of people, not this person's card.
    const addresses = new Set(
      queryAll(el, 'a[href^="mailto:"]', 20).map((a) => normalizeEmail(attr(a, 'href'))?.email),
    );
    if (own ? [...addresses].some((a) => a !== own) : addresses.size > 1) break;
    for (const candidate of safeSelectorQuery(el, NAME_SELECTOR, 8)) {
      if (candidate.contains(link) && candidate !== link) continue;
      const text = textOf(candidate, 120);
      const name = normalizeName(text);
      // Headings such as "Warehouse bookings" or "Contact us" have lower-case words; names do not.
      const capitalised = text.split(/\s+/).every((w) => !/^\p{Ll}/u.test(w) || PARTICLE.test(w));
      if (
        name &&
        capitalised &&
        !TITLE_WORDS.test(text) &&
        text.split(' ').length <= 5 &&
        /\s/.test(name.fullName)
      ) {
        return { container: el, name: text, nameEl: candidate };
      }
    }
  }
  return null;
}

/** A short text in the person's block that reads as a job title. */
function titleIn(container: Element, nameEl: Element): { text: string; byClass: boolean } | null {
  for (const el of safeSelectorQuery(container, TITLE_SELECTOR, 40)) {
    if (el === nameEl || el.contains(nameEl) || nameEl.contains(el)) continue;
    if (el.querySelector('a[href^="mailto:"], a[href^="tel:"]')) continue;
    const text = textOf(el, 120);
    if (!text || text.length > 80 || /@|\d{3}/.test(text)) continue;
    const byClass = /title|role|position|job/i.test(attr(el, 'class'));
    if (TITLE_WORDS.test(text) || (byClass && el.children.length === 0)) return { text, byClass };
  }
  return null;
}

/**
 * Leads from `mailto:` and `tel:` links and what surrounds them: the name heading of the card they
 * sit in, a title next to it, the phone in the same card. A role mailbox (info@, sales@) makes a
 * company lead; no-reply addresses are ignored.
 *
 * @example
 * linkLeads(document, ctx).map((l) => [l.fullName, l.email]); // [['Anna Müller', 'anna@acme.com']]
 */
export function linkLeads(doc: Document, ctx: ExtractContext, siteName?: string): ExtractedLead[] {
  const byContainer = new Map<Element, ExtractedLead>();
  const leads: ExtractedLead[] = [];
  // One pass over the document for both kinds of link.
  const links = queryAll(
    doc,
    'a[href^="mailto:"], a[href^="MAILTO:"], a[href^="Mailto:"], a[href^="tel:"], a[href^="TEL:"], a[href^="Tel:"]',
    MAX_LINKS * 2,
  );
  for (const link of links) {
    const href = attr(link, 'href');
    const isMail = /^mailto:/i.test(href);
    const email = isMail ? normalizeEmail(href) : null;
    if (isMail && !email) continue;
    const local = email?.email.split('@')[0] ?? '';
    if (NO_REPLY.test(local)) continue;
    if (email && ROLE_MAILBOX.test(local)) {
      const lead = createLead('company');
      setEmail(lead, email.email, evidence('link', 'mailto: role mailbox'));
      const domain = companyDomainFromEmail(email.email);
      if (siteName && domain && ctx.url.toLowerCase().includes(domain)) {
        setText(lead, 'company', siteName, evidence('meta', 'og:site_name'));
      }
      if (lead.companyDomain || lead.company) leads.push(lead);
      continue;
    }
    const context = personContext(link);
    const linkText = textOf(link, 120);
    const ownName =
      normalizeName(linkText) && !linkText.includes('@') && /\s/.test(linkText) ? linkText : undefined;
    let lead = context ? byContainer.get(context.container) : undefined;
    if (!lead) {
      lead = createLead('person');
      if (context) byContainer.set(context.container, lead);
      leads.push(lead);
    }
    if (ownName) setName(lead, ownName, evidence('link', 'link text', 0.9));
    if (context) {
      setName(
        lead,
        context.name,
        evidence('structure', `${context.nameEl.tagName.toLowerCase()} near link`, 0.85),
      );
      const title = titleIn(context.container, context.nameEl);
      if (title) {
        setText(
          lead,
          'title',
          title.text,
          title.byClass
            ? evidence('css', 'title class near link')
            : evidence('structure', 'title words near link', 0.8),
        );
      }
    }
    if (email) setEmail(lead, email.email, evidence('link', 'mailto:'));
    else setPhone(lead, href, ctx.country, evidence('link', 'tel:'));
    // An e-mail local part that spells the name confirms the pairing; one that names someone else
    // means the card's heading was not this address's owner.
    if (email && lead.fullName && /[._-]/.test(local)) {
      const localKey = nameKey(local.replace(/[._-]+/g, ' '));
      const name = nameKey(lead.fullName);
      if (
        localKey.split(' ').length >= 2 &&
        !localKey.split(' ').some((part) => part.length > 1 && name.includes(part))
      ) {
        for (const field of [
          'fullName',
          'firstName',
          'lastName',
          'honorific',
          'postNominals',
          'title',
        ] as const) {
          delete lead[field];
          delete lead.fieldSources[field];
        }
      }
    }
  }
  return leads;
}
