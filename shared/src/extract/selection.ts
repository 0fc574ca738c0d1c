import { findEmails } from '../normalize/email';
import { normalizeName } from '../normalize/name';
import { createLead, evidence, setEmail, setLinkedin, setName, setPhone, setText, setWebsite } from './merge';
import { parseSignatureFields } from './signature';
import type { ExtractContext, ExtractedLead } from './types';
import { TITLE_WORDS } from './vocabulary';

const MAX_SELECTION = 5000;

/**
 * A lead from the text the rep selected: name, e-mail, phone, title, company, website and LinkedIn
 * URL, read the way a signature block is read. Lines may be separated by line breaks, `|`, `·` or
 * `•`; "Anna Müller, Head of Growth at Acme" is split at the comma. `null` when nothing is found.
 *
 * @example
 * selectionLead('Anna Müller\nHead of Growth at Acme GmbH\nanna@acme.com', ctx);
 * // { fullName: 'Anna Müller', title: 'Head of Growth', company: 'Acme GmbH', email: 'anna@acme.com', ... }
 */
export function selectionLead(text: string, ctx: ExtractContext): ExtractedLead | null {
  if (typeof text !== 'string' || !text.trim() || text.length > MAX_SELECTION) return null;
  const lines: string[] = [];
  for (const raw of text.split(/\r?\n|\s[|·•]\s/)) {
    const line = raw.trim();
    if (!line) continue;
    const comma = /^([^,]{3,60}),\s*(.{3,})$/.exec(line);
    if (comma && normalizeName(comma[1]!) && !TITLE_WORDS.test(comma[1]!) && TITLE_WORDS.test(comma[2]!)) {
      lines.push(comma[1]!, comma[2]!);
    } else {
      lines.push(line);
    }
  }
  const fields = parseSignatureFields(lines);
  const lead = createLead('person');
  const ev = (detail: string) => evidence('selection', detail);
  const name =
    fields.name ??
    lines.find(
      (l) => normalizeName(l) && !TITLE_WORDS.test(l) && !l.includes('@') && l.split(/\s+/).length <= 4,
    );
  setName(lead, name, ev('selected text'));
  setText(lead, 'title', fields.title, ev('selected text: title'));
  setText(lead, 'company', fields.company, ev('selected text: company'));
  setEmail(lead, fields.email ?? findEmails(text)[0], ev('selected text: e-mail'));
  if (fields.phone) setPhone(lead, fields.phone, ctx.country, ev('selected text: phone'));
  if (fields.linkedin) setLinkedin(lead, fields.linkedin, ev('selected text: LinkedIn'));
  if (fields.website) setWebsite(lead, fields.website, ev('selected text: website'), { companySite: true });
  return lead.fullName || lead.email || lead.linkedinUrl ? lead : null;
}
