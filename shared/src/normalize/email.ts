import { emailMatchKey } from '../identity';

const EMAIL = /^[a-z0-9._%+'-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}$/;

/** An address lower-cased, with the key two spellings of one mailbox share. */
export interface NormalizedEmail {
  email: string;
  emailMatchKey: string;
}

/**
 * Reads an e-mail address out of a `mailto:` href, a display string or a bare address, lower-cased,
 * with its match key (see `emailMatchKey`). Anything that is not one plausible address gives `null`.
 *
 * @example
 * normalizeEmail('mailto:Anna.Mueller@Acme.COM?subject=Hi');
 * // { email: 'anna.mueller@acme.com', emailMatchKey: 'anna.mueller@acme.com' }
 * normalizeEmail('Anna <a.m+crm@googlemail.com>'); // { email: 'a.m+crm@googlemail.com', emailMatchKey: 'am@gmail.com' }
 */
export function normalizeEmail(raw: unknown): NormalizedEmail | null {
  if (typeof raw !== 'string' || raw.length > 1000) return null;
  let text = raw.trim();
  if (/^mailto:/i.test(text)) {
    text = text.slice(7).split('?')[0] ?? '';
    try {
      text = decodeURIComponent(text);
    } catch {
      // keep the raw text: an undecodable href is still checked against the pattern below
    }
    text = text.split(',')[0] ?? '';
  }
  const angle = /<([^<>\s]+@[^<>\s]+)>/.exec(text);
  if (angle) text = angle[1]!;
  const email = text
    .trim()
    .replace(/^['"]|['"]$/g, '')
    .toLowerCase();
  if (email.length > 254 || !EMAIL.test(email) || email.includes('..')) return null;
  const key = emailMatchKey(email);
  return key ? { email, emailMatchKey: key } : null;
}

/**
 * Every e-mail address in a piece of text, in order, without repeats.
 *
 * @example
 * findEmails('Write to anna@acme.com or BOB@acme.com.'); // ['anna@acme.com', 'bob@acme.com']
 */
export function findEmails(text: string): string[] {
  const found: string[] = [];
  const pattern = /[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,8}/g;
  for (const match of text.matchAll(pattern)) {
    const normalized = normalizeEmail(match[0].replace(/[.'-]+$/, ''));
    if (normalized && !found.includes(normalized.email)) found.push(normalized.email);
    if (found.length >= 50) break;
  }
  return found;
}
