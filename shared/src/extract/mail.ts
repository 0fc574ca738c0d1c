import { countryFromDomain } from '../normalize/country';
import { companyDomainFromEmail, registrableDomain } from '../normalize/domain';
import { findEmails, normalizeEmail } from '../normalize/email';
import { attr, blockText, queryAll, queryOne, textOf } from './dom';
import { createLead, evidence, setEmail, setLinkedin, setName, setPhone, setText, setWebsite } from './merge';
import { detectSignature, parseSignatureFields, type SignatureFields } from './signature';
import type { ExtractContext, ExtractedLead } from './types';

/** One message of a thread as the mail client renders it. */
export interface MailMessage {
  sender?: MailPerson;
  recipients: MailPerson[];
  body?: Element;
  /** The client's own signature block, when it marks one (Gmail's `.gmail_signature`). */
  signature?: Element;
}

export interface MailPerson {
  email: string;
  name?: string;
}

/** Who the signed-in rep is: addresses and company domains that are never leads. */
export interface RepIdentity {
  emails: Set<string>;
  domains: Set<string>;
}

/** Where a quoted reply begins: everything from here on was written by someone earlier. */
const QUOTE_START =
  '.gmail_quote_container, div.gmail_quote, .gmail_extra, .x_gmail_quote, [id$="divRplyFwdMsg"], [id$="appendonsend"], .moz-cite-prefix, .yahoo_quoted';
/** Quoted fragments inside the writer's own text (inline replies, Gmail's trimmed content). */
const QUOTE_INLINE = 'blockquote, .yj6qo, .adL > .im';

function quoteVerdict(el: Element): 'skip' | 'stop' | false {
  try {
    if (el.matches(QUOTE_START)) return 'stop';
    if (el.matches(QUOTE_INLINE)) return 'skip';
  } catch {
    return false;
  }
  return false;
}

/** Builds the rep's identity from the options and, failing those, the account shown on the page. */
export function repIdentity(ctx: ExtractContext, pageAccount: string[]): RepIdentity {
  const emails = new Set<string>();
  for (const raw of [...(ctx.options.repEmails ?? []), ...pageAccount]) {
    const email = normalizeEmail(raw);
    if (email) emails.add(email.emailMatchKey);
  }
  const domains = new Set<string>();
  for (const raw of ctx.options.repDomains ?? []) {
    const domain = registrableDomain(raw.replace(/^@/, ''));
    if (domain) domains.add(domain);
  }
  // Without explicit domains, the rep's own business domain marks colleagues.
  if (!ctx.options.repDomains?.length) {
    for (const raw of [...(ctx.options.repEmails ?? []), ...pageAccount]) {
      const domain = companyDomainFromEmail(raw.toLowerCase());
      if (domain) domains.add(domain);
    }
  }
  return { emails, domains };
}

/** Whether an address is the rep or a colleague. */
export function isRep(email: string, rep: RepIdentity): boolean {
  const normalized = normalizeEmail(email);
  if (!normalized) return false;
  if (rep.emails.has(normalized.emailMatchKey)) return true;
  const domain = registrableDomain(normalized.email);
  return domain !== null && rep.domains.has(domain);
}

/** The signed-in Gmail account, from the Google account button's label ("Google Account: Max (max@x.com)"). */
export function gmailAccount(doc: Document): string[] {
  const found: string[] = [];
  for (const el of queryAll(
    doc,
    'a[aria-label*="@"], [data-ogsr-up] [aria-label*="@"], header [aria-label*="@"]',
    20,
  )) {
    if (el.closest('.adn, [role="main"] [role="listitem"]')) continue;
    found.push(...findEmails(attr(el, 'aria-label')));
    if (found.length) break;
  }
  return found;
}

/** The signed-in Outlook account, from the account manager ("me control"). */
export function outlookAccount(doc: Document): string[] {
  const found: string[] = [];
  for (const el of queryAll(
    doc,
    '#mectrl_currentAccount_secondary, [id^="mectrl_"], #O365_MainLink_Me, [data-testid="mectrl"]',
    20,
  )) {
    found.push(...findEmails(`${textOf(el, 500)} ${attr(el, 'aria-label')} ${attr(el, 'title')}`));
    if (found.length) break;
  }
  return found;
}

function personFrom(el: Element): MailPerson | null {
  const email = normalizeEmail(
    attr(el, 'email') ||
      attr(el, 'data-hovercard-id') ||
      findEmails(`${attr(el, 'title')} ${textOf(el, 300)}`)[0] ||
      '',
  );
  if (!email) return null;
  const rawName = attr(el, 'name') || textOf(el, 200);
  const name = rawName.replace(/<[^>]*>|\S+@\S+/g, '').replace(/^["'\s]+|["'\s]+$/g, '');
  return name && name.toLowerCase() !== email.email && !/^(me|ich|moi|yo|io|mij)$/i.test(name)
    ? { email: email.email, name }
    : { email: email.email };
}

/** The messages of a Gmail thread (`.adn` items: sender `span.gD`, recipients `span.g2`, body `.a3s`). */
export function gmailMessages(doc: Document): MailMessage[] {
  const items = queryAll(doc, '.adn, [data-message-id]', 100).filter(
    (el) => !el.parentElement?.closest('.adn'),
  );
  return items.map((item) => {
    const sender = queryOne(item, '.gD[email], [email].gD, h3 [email]');
    const body = queryOne(item, '.a3s') ?? undefined;
    const signature = body
      ? (queryAll(body, '.gmail_signature, [data-smartmail="gmail_signature"]', 3).find(
          (el) => !el.closest(`${QUOTE_START}, ${QUOTE_INLINE}`),
        ) ?? undefined)
      : undefined;
    const recipients = queryAll(item, '.g2[email], .hb [email]', 50)
      .map(personFrom)
      .filter((p): p is MailPerson => Boolean(p));
    const from = sender ? personFrom(sender) : null;
    return {
      ...(from ? { sender: from } : {}),
      recipients,
      ...(body ? { body } : {}),
      ...(signature ? { signature } : {}),
    };
  });
}

/**
 * The messages of an Outlook on the web reading pane. OWA's classes are generated, so this relies on
 * structure: message bodies (`role="document"`, `.allowTextSelection`, `UniqueMessageBody` ids,
 * `aria-label`led body regions), and, in the message around each body, the persona elements whose
 * `title` (or text) holds an address: the first is the sender, the rest recipients. OWA lists the
 * newest message first, so the result is reversed to oldest-first like Gmail's.
 */
export function outlookMessages(doc: Document): MailMessage[] {
  const pane = queryOne(doc, '[role="main"]') ?? doc;
  const bodies = queryAll(
    pane,
    '[role="document"], .allowTextSelection, [id^="UniqueMessageBody"], [aria-label="Message body"]',
    50,
  ).filter((el, i, all) => !all.some((other, j) => j !== i && other !== el && other.contains(el)));
  const messages: MailMessage[] = [];
  for (const body of bodies) {
    let container: Element | null = body.parentElement;
    let people: Element[] = [];
    for (let level = 0; container && level < 10; level++) {
      people = queryAll(container, '[title*="@"], [data-email], [aria-label*="@"]', 60).filter(
        (el) => !body.contains(el),
      );
      if (people.length) break;
      container = container.parentElement;
    }
    const persons = people.map(personFrom).filter((p): p is MailPerson => Boolean(p));
    const unique = persons.filter((p, i) => persons.findIndex((q) => q.email === p.email) === i);
    const [sender, ...recipients] = unique;
    messages.push({ ...(sender ? { sender } : {}), recipients, body });
  }
  return messages.reverse();
}

/**
 * The external participants of a thread, each as a lead with name and address, and, from the latest
 * message they wrote, their signature's title, company, phone and website. The rep and colleagues at
 * the rep's domains are left out.
 *
 * @example
 * mailLeads(gmailMessages(document), ctx, repIdentity(ctx, gmailAccount(document)));
 * // [{ fullName: 'Anna Müller', email: 'anna@acme.com', title: 'Head of Growth', phone: '+4930...' }]
 */
export function mailLeads(messages: MailMessage[], ctx: ExtractContext, rep: RepIdentity): ExtractedLead[] {
  const people = new Map<string, { person: MailPerson; latest?: MailMessage; order: number }>();
  let order = 0;
  const see = (person: MailPerson | undefined, sent?: MailMessage) => {
    if (!person || isRep(person.email, rep)) return;
    const known = people.get(person.email);
    if (!known) {
      people.set(person.email, { person, order: order++, ...(sent ? { latest: sent } : {}) });
      return;
    }
    if (!known.person.name && person.name) known.person = person;
    if (sent) known.latest = sent;
  };
  for (const message of messages) {
    see(message.sender, message);
    for (const recipient of message.recipients) see(recipient);
  }
  const leads: { lead: ExtractedLead; rank: number }[] = [];
  for (const { person, latest, order: seen } of people.values()) {
    const lead = createLead('person');
    setEmail(lead, person.email, evidence('structure', 'mail participant address'));
    if (person.name) setName(lead, person.name, evidence('structure', 'mail participant name'));
    if (latest?.body) applySignature(lead, latest, person, ctx);
    const lastIndex = latest ? messages.lastIndexOf(latest) : -1;
    leads.push({ lead, rank: lastIndex >= 0 ? -1000 + -lastIndex : seen });
  }
  return leads.sort((a, b) => a.rank - b.rank).map((l) => l.lead);
}

/** The links of a body up to where its quoted reply starts, as `[text, href]`. */
function ownLinks(root: Element): [string, string][] {
  const links: [string, string][] = [];
  const stack: Element[] = [root];
  let visited = 0;
  while (stack.length && visited < 20_000 && links.length < 50) {
    const el = stack.pop()!;
    visited++;
    const verdict = el === root ? false : quoteVerdict(el);
    if (verdict === 'stop') break;
    if (verdict === 'skip') continue;
    if (el.tagName === 'A') links.push([textOf(el, 200), attr(el, 'href')]);
    for (let i = el.children.length - 1; i >= 0; i--) stack.push(el.children[i]!);
  }
  return links;
}

function applySignature(lead: ExtractedLead, message: MailMessage, person: MailPerson, ctx: ExtractContext) {
  const marked = message.signature;
  const text = blockText(marked ?? message.body!, quoteVerdict);
  const sender = person.name ? `${person.name} <${person.email}>` : person.email;
  let fields: SignatureFields;
  let signatureLines: string[];
  if (marked) {
    signatureLines = text.split('\n');
    fields = parseSignatureFields(signatureLines, sender);
  } else {
    const detected = detectSignature(text, sender);
    if (!detected.lines.length) return;
    const lines = text.split('\n');
    signatureLines = detected.lines.map((i) => lines[i] ?? '');
    fields = detected.fields;
  }
  const ev = (field: string) =>
    evidence('signature', marked ? `marked signature: ${field}` : `signature: ${field}`, marked ? 1.1 : 1);
  // A signature that gives another address belongs to someone else (a forwarded card, an assistant).
  if (fields.email && fields.email !== person.email) return;
  if (!lead.fullName && fields.name) setName(lead, fields.name, ev('name'));
  setText(lead, 'title', fields.title, ev('title'));
  setText(lead, 'company', fields.company, ev('company'));
  const country = ctx.country ?? countryFromDomain(registrableDomain(person.email)) ?? undefined;
  if (fields.phone) setPhone(lead, fields.phone, country, ev('phone'));
  if (fields.website) setWebsite(lead, fields.website, ev('website'), { companySite: true });
  if (fields.linkedin) setLinkedin(lead, fields.linkedin, ev('LinkedIn'));
  // Signatures often link "LinkedIn" without printing the URL: take the link whose text is in them.
  const signatureText = signatureLines.join('\n');
  for (const [linkText, href] of ownLinks(marked ?? message.body!)) {
    if (linkText && signatureText.includes(linkText) && /linkedin\.com\/in\//i.test(href)) {
      setLinkedin(lead, href, ev('LinkedIn link'));
      break;
    }
  }
}
