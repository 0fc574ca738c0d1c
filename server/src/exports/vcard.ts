import type { Lead } from '@leadline/shared';

/**
 * A text value (RFC 6350 §3.4): backslash, comma and line breaks escaped, and semicolons too in a
 * component of a structured value (N, ORG, ADR), where they separate the components.
 */
function escapeText(value: string, component = false): string {
  return value.replace(component ? /[\\,;]/g : /[\\,]/g, (ch) => `\\${ch}`).replace(/\r\n|\r|\n/g, '\\n');
}
const escapeComponent = (value: string) => escapeText(value, true);

/**
 * Folds a content line at 75 octets (RFC 6350 §3.2): CRLF then a space, never inside a UTF-8
 * character.
 */
function fold(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    // Continuation lines start with the space, which counts.
    if (octets + size > 75) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}

/** `20260302T090000Z`: a vCard timestamp. */
const stamp = (iso: string) => `${iso.slice(0, 19).replace(/[-:]/g, '')}Z`;

/**
 * One lead as a vCard 4.0 (RFC 6350): name, organisation and title, e-mail, phone (a `tel:` URI),
 * website, LinkedIn profile (SOCIALPROFILE, RFC 9554), country, and the lead's id as UID.
 */
export function toVcard(lead: Lead): string {
  const lines = ['BEGIN:VCARD', 'VERSION:4.0', `UID:urn:uuid:${lead.id}`];
  const formatted = lead.fullName ?? lead.email ?? lead.company ?? lead.linkedinUrl ?? lead.id;
  lines.push(`FN:${escapeText(formatted)}`);
  if (lead.firstName || lead.lastName) {
    lines.push(`N:${escapeComponent(lead.lastName ?? '')};${escapeComponent(lead.firstName ?? '')};;;`);
  }
  if (lead.company) lines.push(`ORG:${escapeComponent(lead.company)}`);
  if (lead.title) lines.push(`TITLE:${escapeText(lead.title)}`);
  if (lead.email) lines.push(`EMAIL;TYPE=work:${escapeText(lead.email)}`);
  if (lead.phone) lines.push(`TEL;VALUE=uri;TYPE=work:tel:${lead.phone.replace(/[^\d+]/g, '')}`);
  if (lead.website) lines.push(`URL;TYPE=work:${lead.website}`);
  if (lead.linkedinUrl) lines.push(`SOCIALPROFILE;SERVICE-TYPE=LinkedIn:${lead.linkedinUrl}`);
  if (lead.country || lead.location) {
    // ADR: PO box; extended; street; locality; region; postal code; country.
    lines.push(
      `ADR;TYPE=work:;;;${escapeComponent(lead.location ?? '')};;;${escapeComponent(lead.country ?? '')}`,
    );
  }
  lines.push(`REV:${stamp(lead.updatedAt)}`, 'END:VCARD');
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
