import { newContentEnd } from './quoted-reply';
import { parseSender, type SenderInfo, tokenMatchesSender } from './signature-sender';
import { CLOSING, COMPANY_SUFFIX, TITLE_WORDS } from './vocabulary';

export { newContentEnd } from './quoted-reply';

/** What a signature says about its writer. Phone numbers are as written (not E.164): no country here. */
export interface SignatureFields {
  name?: string;
  title?: string;
  company?: string;
  phone?: string;
  website?: string;
  email?: string;
  linkedin?: string;
}

export interface DetectedSignature {
  /** 0-based indexes of the signature's lines in the input. */
  lines: number[];
  fields: SignatureFields;
}

type LineKind =
  | 'blank'
  | 'separator'
  | 'closing'
  | 'closing-name'
  | 'contact'
  | 'mobile'
  | 'name'
  | 'title'
  | 'company'
  | 'address'
  | 'label'
  | 'text';

const MAX_SIGNATURE_LINES = 12;
const MAX_LINES_SCANNED = 400;

const PHONE = /(?:\+|\b)\(?\d{1,4}\)?(?:[\s.\-/]{0,3}\(?\d{1,5}\)?){1,6}/g;
const EXTENSION = /(?:^|\s)(?:ext\.?|x\.?|#|\*)\s*-?\s*\d[\d-]{2,7}\b|\b\d-\d{4}\b|\bx\d{3,6}\b/gi;
const EMAIL = /[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;
const URL = /\b(?:https?:\/\/|www\.)[^\s<>"]{2,200}/gi;
// Bare domains ("acme.com") as signatures print them; a closed list of suffixes keeps "e.g." out.
const BARE_DOMAIN =
  /\b[a-z0-9][a-z0-9-]{1,62}(?:\.[a-z0-9-]{2,63}){0,3}\.(?:com|net|org|io|co|ai|app|dev|biz|info|eu|de|at|ch|fr|es|it|nl|be|uk|co\.uk|us|ca|au|se|no|dk|fi|pl|pt|ie|jp|in|br|mx)\b(?:\/[^\s<>"]*)?/gi;
const CONTACT_LABEL =
  /\b(phone|ph|tel|telephone|telefon|tél|t|p|m|f|fax|mobile|mob|mobil|cell|cellular|handy|direct|direct line|dir|office|work|home|main|email|e-mail|mail|web|website|www|skype|ext|extension)\b\.?:?/gi;
/** Whether a line names the sender: a name token, initials ("BT"), or the sender's address. */
function mentionsSender(line: string, sender: SenderInfo, allowInitials: boolean): boolean {
  if (!sender.tokens.length && !sender.email) return false;
  if (sender.email && line.toLowerCase().includes(sender.email)) return true;
  const words = stripContacts(line).match(/\p{L}+/gu) ?? [];
  if (words.length > 6) return false;
  for (const word of words) {
    if (tokenMatchesSender(word, sender)) return true;
    const lower = word.toLowerCase();
    if (sender.joined.includes(lower)) return true;
    if (allowInitials && /^\p{Lu}{2}$/u.test(word) && sender.initials.has(lower)) return true;
  }
  return false;
}

const stripContacts = (line: string) =>
  line
    .replace(EMAIL, ' ')
    .replace(URL, ' ')
    .replace(BARE_DOMAIN, ' ')
    .replace(EXTENSION, ' ')
    .replace(PHONE, (m) => (m.replace(/\D/g, '').length >= 7 ? ' ' : m));

function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

function hasPhone(line: string): boolean {
  for (const match of line.matchAll(PHONE)) if (countDigits(match[0]) >= 7) return true;
  return new RegExp(EXTENSION.source, 'i').test(line);
}

const NAME_LINE =
  /^(?:\p{Lu}[\p{L}'’-]*\.?|\p{Lu}\.)(?:\s+(?:\p{Lu}[\p{L}'’-]*\.?|\p{Lu}\.|(?:van|von|de|der|den|da|di|del|la|le)\b)){0,3}$/u;

/** Whether the words of a line are mostly capitalised, as names, titles and company lines are. */
function isCapitalised(line: string): boolean {
  const words = line.match(/[\p{L}][\p{L}'’.-]*/gu) ?? [];
  if (!words.length) return false;
  const capital = words.filter(
    (w) => /^\p{Lu}/u.test(w) || ['&', 'and', 'of', 'for', 'und', 'de', 'et', 'y'].includes(w),
  ).length;
  return capital / words.length >= 0.6;
}

function looksLikeSentence(line: string): boolean {
  const words = line.split(/\s+/).filter(Boolean);
  if (/^(\d{1,2}[.)]\s|[-*•+]\s|\(?[a-z]\)\s)/i.test(line)) return true;
  if (/[?!]$/.test(line) && words.length > 1) return true;
  if (/[.]$/.test(line) && words.length > 3 && !/\b[A-Z]\.$|\b(Inc|Ltd|Co|Corp|Jr|Sr)\.$/.test(line))
    return true;
  return false;
}

function classify(raw: string, sender: SenderInfo): LineKind {
  const line = raw.trim();
  if (!line) return 'blank';
  if (/^(--|-- |[-_=*~]{3,})$/.test(line)) return 'separator';
  if (line.length > 90) return 'text';
  if (/^<<.*>>$/.test(line) || /^>/.test(line)) return 'text';
  if (/^(sent from|sent via|von meinem|envoyé de|enviado desde|inviato da|verzonden vanaf)\b/i.test(line))
    return 'mobile';
  const closing = CLOSING.exec(line);
  if (closing) {
    const rest = line.slice(closing[0].length);
    if (/^[\s,.!:;-]*$/.test(rest)) return 'closing';
    const after = rest.replace(/^[\s,.!:;-]+/, '').replace(/[\s.,!]+$/, '');
    if (
      /^[\s,.!]/.test(rest) &&
      after &&
      after.length <= 40 &&
      (NAME_LINE.test(after) || /^\p{Lu}{2,3}$/u.test(after))
    ) {
      return 'closing-name';
    }
    if (
      /^[\s,.!]/.test(rest) &&
      after &&
      /^\p{L}/u.test(after) &&
      mentionsSender(after, sender, true) &&
      after.split(/\s+/).length <= 4
    ) {
      return 'closing-name';
    }
  }
  const contactless = stripContacts(line);
  const hasContact = contactless !== line;
  if (hasContact) {
    const rest = contactless
      .replace(CONTACT_LABEL, ' ')
      .replace(/[\s*|·•,;:()\-–/<>[\]]+/g, ' ')
      .trim();
    const words = rest ? rest.split(' ').length : 0;
    if (
      words <= 5 &&
      !/^(\d{1,2}[.)]\s|[-*•+]\s)/.test(line) &&
      !/^(please|call|contact|if|for|write)\b/i.test(rest)
    )
      return 'contact';
    return 'text';
  }
  if (looksLikeSentence(line)) return 'text';
  if (line.length > 60) return 'text';
  if (/^\d{1,6}\s+\p{L}/u.test(line) && isCapitalised(line.replace(/^\d+\s*/, ''))) return 'address';
  if (/,\s*\p{Lu}{2}\s+\d{4,5}(-\d{4})?$/u.test(line) || /^\d{4,5}\s+\p{Lu}\p{L}+/u.test(line))
    return 'address';
  const digits = countDigits(line);
  if (digits > 0 && !/^\p{L}/u.test(line)) return 'text';
  if (COMPANY_SUFFIX.test(line) && isCapitalised(line)) {
    // "Director de Compras | Contoso Ibérica S.A." holds both: read as a title line, split later.
    const mixed = TITLE_WORDS.test(line) && /\s[|–—@·]\s|\s(at|bei|chez|en)\s|,\s/.test(line);
    return mixed ? 'title' : 'company';
  }
  if (digits === 0 && NAME_LINE.test(line) && line.split(/\s+/).length <= 4 && !TITLE_WORDS.test(line))
    return 'name';
  if (digits === 0 && /^\p{Lu}[\p{Ll}]+\p{Lu}[\p{Ll}]+$/u.test(line)) return 'name';
  if (isCapitalised(line) || TITLE_WORDS.test(line)) {
    if (TITLE_WORDS.test(line) && line.split(/\s+/).length <= 8) return 'title';
    if (COMPANY_SUFFIX.test(line)) return 'company';
    if (line.split(/\s+/).length <= 6) return 'label';
  }
  return 'text';
}

const labelOf = (line: string) => line.replace(/^[\s*|·•:-]+|[\s*|·•:]+$/g, '');

/** The fields a signature's lines carry: name, title, company, phone, website, e-mail, LinkedIn. */
export function parseSignatureFields(lines: string[], sender?: string): SignatureFields {
  const info = parseSender(sender);
  const fields: SignatureFields = {};
  const clean = lines.map((l) => l.trim()).filter(Boolean);
  let nameIndex = -1;
  for (let i = 0; i < clean.length; i++) {
    const line = clean[i]!;
    const kind = classify(line, info);
    if (kind === 'closing-name' || kind === 'closing') {
      const after = line
        .replace(CLOSING, '')
        .replace(/^[\s,.!:;-]+/, '')
        .trim();
      if (after && !fields.name && NAME_LINE.test(after)) {
        fields.name = after;
        nameIndex = i;
      }
      continue;
    }
    if (
      kind === 'name' &&
      (!fields.name || (mentionsSender(line, info, false) && !mentionsSender(fields.name, info, false)))
    ) {
      fields.name = line;
      nameIndex = i;
    }
  }
  for (const line of clean) {
    if (!fields.email) {
      const email = line.match(EMAIL)?.[0];
      if (email) fields.email = email.toLowerCase();
    }
    for (const url of line.match(URL) ?? []) {
      const href = url.replace(/[>),.;]+$/, '');
      if (/linkedin\.com\/(in|company)\//i.test(href)) fields.linkedin ??= href;
      else if (!fields.website && !/mailto:/i.test(href)) fields.website = href;
    }
    if (!fields.website) {
      const bare = line.replace(EMAIL, ' ').match(BARE_DOMAIN)?.[0];
      if (bare) fields.website = bare.replace(/[>),.;]+$/, '');
    }
  }
  // Phone: a labelled voice line first, then any number that is not labelled as fax.
  const phoneLines = clean.filter((l) => hasPhone(l));
  const voice =
    phoneLines.find(
      (l) =>
        /\b(phone|tel|telefon|mobile|mobil|cell|direct|office|work|handy|t|p|m)\b\.?\s*:?/i.test(l) &&
        !/^\s*(f|fax)\b/i.test(l),
    ) ?? phoneLines.find((l) => !/\b(f|fax)\b\s*:?/i.test(l.split(/\d/)[0] ?? ''));
  if (voice) {
    const segment = voice
      .split(/\s[*|·•]\s|\t+/)
      .find(
        (s) => !/\bfax\b|^\s*f\s*:/i.test(s) && [...s.matchAll(PHONE)].some((m) => countDigits(m[0]) >= 7),
      );
    const number = [...(segment ?? voice).matchAll(PHONE)].find((m) => countDigits(m[0]) >= 7)?.[0];
    if (number) fields.phone = number.trim();
  }
  // Title and company: after the name, the first line with a job-title word is the title; a line with
  // a company form (Inc, GmbH...) or the one right after the title is the company.
  const rest = clean.slice(nameIndex + 1).map((l) => labelOf(l.split(/\t+/)[0] ?? l));
  for (let i = 0; i < rest.length; i++) {
    const line = rest[i]!;
    const kind = classify(line, info);
    if (!fields.title && (kind === 'title' || (kind === 'label' && TITLE_WORDS.test(line)))) {
      const split = /^(.{2,80}?)\s+(?:at|@|bei|chez|en|presso|bij|\||–|—)\s+(.{2,80})$/i.exec(line);
      if (split && !TITLE_WORDS.test(split[2]!)) {
        fields.title = split[1]!.trim();
        fields.company ??= split[2]!.trim();
      } else {
        const comma = /^(.{2,80}?),\s+(.{2,80})$/.exec(line);
        if (comma && COMPANY_SUFFIX.test(comma[2]!)) {
          fields.title = comma[1]!.trim();
          fields.company ??= comma[2]!.trim();
        } else {
          fields.title = line;
        }
      }
      continue;
    }
    if (!fields.company && (kind === 'company' || (kind === 'label' && COMPANY_SUFFIX.test(line)))) {
      fields.company = line;
    }
  }
  if (!fields.company && fields.title) {
    const domainLabel =
      (fields.email ?? fields.website ?? '').replace(/^.*@|^https?:\/\/|^www\./g, '').split('.')[0] ?? '';
    const candidate = rest.find(
      (l) =>
        classify(l, info) === 'label' &&
        domainLabel.length >= 3 &&
        l
          .toLowerCase()
          .replace(/[^a-z0-9]/g, '')
          .includes(
            domainLabel
              .toLowerCase()
              .replace(/[^a-z0-9]/g, '')
              .slice(0, 5),
          ),
    );
    if (candidate) fields.company = candidate;
  }
  return fields;
}

/**
 * Finds the signature of a plain-text e-mail body: the block at the end of the writer's own text
 * (quoted replies and forwarded messages are cut off first) made of a closing ("Thanks,"), the
 * writer's name or initials, title, company, address and contact lines. A block counts only when it
 * is anchored: a closing followed by more lines, a `--` rule, a line naming the sender, or a name
 * followed by contact or title lines. Otherwise nothing is flagged rather than guessing.
 *
 * @example
 * detectSignature('Hi Max,\nsee attached.\n\nThanks,\nAnna Müller\nHead of Growth, Acme GmbH\n+49 30 1234567', 'Anna Müller <anna@acme.com>');
 * // { lines: [3, 4, 5, 6], fields: { name: 'Anna Müller', title: 'Head of Growth', company: 'Acme GmbH',
 * //   phone: '+49 30 1234567' } }
 */
export function detectSignature(body: string, sender?: string): DetectedSignature {
  const none: DetectedSignature = { lines: [], fields: {} };
  if (typeof body !== 'string' || !body) return none;
  const lines = body.split(/\r\n|\r|\n/);
  const info = parseSender(sender);
  const end = newContentEnd(lines);
  const floor = Math.max(0, end - MAX_LINES_SCANNED);

  // Walk up from the last line of the writer's text while lines look like signature lines.
  const block: { index: number; kind: LineKind }[] = [];
  let blankRun = 0;
  for (let i = end - 1; i >= floor; i--) {
    const kind = classify(lines[i]!, info);
    if (kind === 'blank') {
      if (block.length) blankRun++;
      if (blankRun > 2) break;
      continue;
    }
    blankRun = 0;
    if (kind === 'text' || block.length >= MAX_SIGNATURE_LINES) break;
    block.unshift({ index: i, kind });
    if (kind === 'closing' || kind === 'closing-name') break;
  }
  if (!block.length) return none;

  // The signature starts at its anchor; lines above the anchor are body text that happens to be short.
  let start = -1;
  for (let b = 0; b < block.length && start < 0; b++) {
    const { kind, index } = block[b]!;
    const line = lines[index]!;
    const below = block.slice(b + 1);
    if (kind === 'closing' && below.length) start = b;
    else if (kind === 'closing-name') start = b;
    else if (kind === 'separator' && below.some((l) => l.kind !== 'separator' && l.kind !== 'mobile'))
      start = b;
    else if (
      (kind === 'name' || kind === 'label' || kind === 'contact') &&
      mentionsSender(line, info, kind === 'contact')
    )
      start = b;
    else if (
      kind === 'name' &&
      below.length &&
      below.some((l) => ['contact', 'title', 'company', 'address'].includes(l.kind))
    )
      start = b;
    // A lone first name on the last line, set off by a blank line: how most people sign short mails.
    else if (
      kind === 'name' &&
      block.length === 1 &&
      /^\p{Lu}\p{Ll}{1,14}$/u.test(line.trim()) &&
      !lines[index - 1]?.trim() &&
      index > 0
    )
      start = b;
  }
  if (start < 0) return none;
  // A "--" or "____" rule further down is where the writer said the signature starts.
  const rule = block.findIndex((l, b) => b > start && l.kind === 'separator');
  if (block[start]!.kind === 'closing' && rule > start && block[rule - 1]!.index !== block[rule]!.index - 1)
    start = rule;
  // A label or company line right above the anchor, with no blank line between, belongs to it
  // ("ENA Human Resources" over the name).
  while (start > 0) {
    const above = block[start - 1]!;
    const anchor = block[start]!;
    if (anchor.index - above.index !== 1 || !['label', 'company', 'title', 'separator'].includes(above.kind))
      break;
    if (anchor.kind === 'closing' || anchor.kind === 'closing-name') break;
    start--;
  }
  const signature = block.slice(start);
  const indexes = signature.map((l) => l.index);
  return {
    lines: indexes,
    fields: parseSignatureFields(
      indexes.map((i) => lines[i]!),
      sender,
    ),
  };
}
