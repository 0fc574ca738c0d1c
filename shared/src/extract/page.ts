import { countryFromLocale, countryFromText } from '../normalize/country';
import { isPhoneCountry } from '../normalize/phone';
import { parseUtm } from '../normalize/utm';
import { attr, queryOne } from './dom';
import type { ExtractOptions, ExtractResult, PageKind } from './types';

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

/**
 * What kind of page a URL is, which decides the extractor that reads it.
 *
 * @example
 * pageKindOf('https://de.linkedin.com/in/anna-mueller/');                  // 'linkedin-profile'
 * pageKindOf('https://www.linkedin.com/sales/lead/ACwAAB,NAME_SEARCH,x');   // 'linkedin-sales-navigator'
 * pageKindOf('https://mail.google.com/mail/u/0/#inbox/FMfcgz');            // 'gmail'
 * pageKindOf('https://acme.com/team');                                      // 'web'
 */
export function pageKindOf(url: string): PageKind {
  const host = hostOf(url);
  const path = pathOf(url);
  if (host === 'linkedin.com' || host.endsWith('.linkedin.com')) {
    if (/^\/sales\//.test(path)) return 'linkedin-sales-navigator';
    if (/^\/company\//.test(path) || /^\/school\//.test(path)) return 'linkedin-company';
    if (/^\/(in|pub)\//.test(path)) return 'linkedin-profile';
    return 'web';
  }
  if (host === 'mail.google.com') return 'gmail';
  if (/^outlook\.(office|office365|live)\.com$/.test(host) || /^outlook\.cloud\.microsoft$/.test(host))
    return 'outlook';
  return 'web';
}

/**
 * The source a lead captured on this page carries: channel, URL and UTM tags.
 *
 * @example
 * sourceOf('https://acme.com/?utm_source=newsletter', 'web');
 * // { channel: 'web', url: 'https://acme.com/?utm_source=newsletter', utm: { source: 'newsletter' } }
 */
export function sourceOf(url: string, kind: PageKind): ExtractResult['source'] {
  const channel = kind.startsWith('linkedin')
    ? 'linkedin'
    : kind === 'gmail' || kind === 'outlook'
      ? 'email'
      : 'web';
  const utm = parseUtm(url);
  return utm ? { channel, url, utm } : { channel, url };
}

/**
 * The country local phone numbers on the page belong to: the page's locale with a region (html
 * `lang="de-DE"`, `og:locale`), then the caller's default. A bare language says nothing about the
 * country and is not used.
 */
export function pageCountry(doc: Document, options: ExtractOptions): string | undefined {
  const head = doc.head ?? doc;
  const candidates = [
    attr(doc.documentElement, 'lang'),
    attr(queryOne(head, 'meta[property="og:locale"]'), 'content'),
    attr(queryOne(head, 'meta[http-equiv="content-language" i]'), 'content'),
  ];
  for (const candidate of candidates) {
    const country = countryFromLocale(candidate);
    if (isPhoneCountry(country ?? undefined)) return country!;
  }
  const fallback = options.defaultCountry?.trim().toUpperCase();
  if (isPhoneCountry(fallback)) return fallback;
  const geo = countryFromText(attr(queryOne(head, 'meta[name="geo.country"]'), 'content'));
  return isPhoneCountry(geo ?? undefined) ? geo! : undefined;
}
