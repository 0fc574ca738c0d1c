import { getDomain, getDomainWithoutSuffix } from 'tldts';
import { DISPOSABLE_MAIL_DOMAINS } from './disposable-mail-domains';
import { FREE_MAIL_PROVIDERS } from './free-mail-providers';

/**
 * Mailbox providers anyone can sign up to, and throw-away inboxes. An address there says nothing
 * about the person's employer, so it never yields a company domain and does not count as a business
 * e-mail in scoring.
 */
const FREE_MAIL_DOMAINS = new Set([...FREE_MAIL_PROVIDERS, ...DISPOSABLE_MAIL_DOMAINS]);

/** Providers that run the same service under many country suffixes (yahoo.com.vn, hotmail.co.th...). */
const FREE_MAIL_LABELS = new Set([
  'gmail',
  'googlemail',
  'yahoo',
  'hotmail',
  'outlook',
  'ymail',
  'gmx',
  'yandex',
  'aol',
  'mailinator',
  'yopmail',
  'guerrillamail',
]);

/**
 * Whether an e-mail domain belongs to a free or disposable mailbox provider (subdomains included).
 *
 * @example
 * isFreeMailDomain('GMAIL.com');        // true
 * isFreeMailDomain('yahoo.com.vn');     // true
 * isFreeMailDomain('mailinator.com');   // true
 * isFreeMailDomain('acme.com');         // false
 */
export function isFreeMailDomain(domain: string): boolean {
  const host = domain.trim().toLowerCase().replace(/\.$/, '').replace(/^.*@/, '');
  if (!host) return false;
  if (FREE_MAIL_DOMAINS.has(host)) return true;
  const registrable = getDomain(host);
  if (registrable && FREE_MAIL_DOMAINS.has(registrable)) return true;
  const label = getDomainWithoutSuffix(host);
  return label !== null && FREE_MAIL_LABELS.has(label);
}

/** How many domains the list holds (for tests and documentation). */
export const FREE_MAIL_DOMAIN_COUNT = FREE_MAIL_DOMAINS.size;
