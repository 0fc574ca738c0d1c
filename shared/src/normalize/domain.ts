import { getDomain } from 'tldts';
import { isFreeMailDomain } from './free-mail-domains';

/**
 * Sites that host people's and companies' profiles: a link there is not the company's own website.
 */
const PROFILE_HOSTS = new Set([
  'linkedin.com',
  'xing.com',
  'facebook.com',
  'fb.com',
  'twitter.com',
  'x.com',
  'instagram.com',
  'youtube.com',
  'tiktok.com',
  'github.com',
  'gitlab.com',
  'medium.com',
  'about.me',
  'linktr.ee',
  'wikipedia.org',
  'crunchbase.com',
  'google.com',
  'goo.gl',
  'bit.ly',
  'wordpress.com',
  'blogspot.com',
  'substack.com',
  'calendly.com',
]);

/**
 * The registrable domain ("acme.co.uk") of a URL, host name or e-mail address; `null` for IP
 * addresses, `localhost` and anything unparsable.
 *
 * @example
 * registrableDomain('https://shop.acme.co.uk/contact'); // 'acme.co.uk'
 * registrableDomain('anna@mail.acme.com');              // 'acme.com'
 */
export function registrableDomain(value: string): string | null {
  const input = value.trim().toLowerCase();
  if (!input || input.length > 2048) return null;
  const host = input.includes('@') && !input.includes('/') ? input.slice(input.lastIndexOf('@') + 1) : input;
  const domain = getDomain(host);
  return domain && /^([a-z0-9-]+\.)+[a-z]{2,}$/.test(domain) ? domain : null;
}

/**
 * The employer's domain an e-mail address reveals: `null` for free-mail and disposable providers.
 *
 * @example
 * companyDomainFromEmail('anna@sales.acme.de'); // 'acme.de'
 * companyDomainFromEmail('anna@gmail.com');     // null
 */
export function companyDomainFromEmail(email: string): string | null {
  const domain = registrableDomain(email);
  if (!domain || isFreeMailDomain(domain)) return null;
  return domain;
}

/**
 * The company domain a website URL reveals; `null` for profile and link-sharing hosts (LinkedIn,
 * GitHub, bit.ly...) and for free-mail providers' sites.
 *
 * @example
 * companyDomainFromWebsite('https://www.acme.io/about'); // 'acme.io'
 * companyDomainFromWebsite('https://github.com/acme');   // null
 */
export function companyDomainFromWebsite(url: string): string | null {
  const domain = registrableDomain(url);
  if (!domain || PROFILE_HOSTS.has(domain) || isFreeMailDomain(domain)) return null;
  return domain;
}

/**
 * An absolute http(s) URL for a website written as a link, a bare host ("www.acme.com") or a path
 * relative to `base`; query string and fragment are dropped (they carry tracking, not identity).
 *
 * @example
 * normalizeWebsite('www.acme.com');                  // 'https://www.acme.com/'
 * normalizeWebsite('/team', 'https://acme.com/x?y'); // 'https://acme.com/team'
 */
export function normalizeWebsite(raw: unknown, base?: string): string | null {
  if (typeof raw !== 'string') return null;
  let text = raw.trim();
  if (!text || text.length > 2048 || /\s/.test(text)) return null;
  if (/^www\./i.test(text) || (/^[a-z0-9-]+(\.[a-z0-9-]+)+(\/|$)/i.test(text) && !base))
    text = `https://${text}`;
  let url: URL;
  try {
    url = base ? new URL(text, base) : new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (!registrableDomain(url.hostname)) return null;
  url.hash = '';
  url.search = '';
  url.username = '';
  url.password = '';
  return url.href;
}
