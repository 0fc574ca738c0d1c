import { getPublicSuffix } from 'tldts';

/** Country names as pages print them (English and the local name), folded to lower case. */
const COUNTRY_NAMES: Record<string, string> = {
  germany: 'DE',
  deutschland: 'DE',
  allemagne: 'DE',
  alemania: 'DE',
  austria: 'AT',
  österreich: 'AT',
  switzerland: 'CH',
  schweiz: 'CH',
  suisse: 'CH',
  svizzera: 'CH',
  france: 'FR',
  frankreich: 'FR',
  spain: 'ES',
  españa: 'ES',
  spanien: 'ES',
  espagne: 'ES',
  italy: 'IT',
  italia: 'IT',
  italien: 'IT',
  italie: 'IT',
  portugal: 'PT',
  netherlands: 'NL',
  'the netherlands': 'NL',
  nederland: 'NL',
  niederlande: 'NL',
  'pays-bas': 'NL',
  belgium: 'BE',
  belgië: 'BE',
  belgique: 'BE',
  belgien: 'BE',
  luxembourg: 'LU',
  denmark: 'DK',
  danmark: 'DK',
  sweden: 'SE',
  sverige: 'SE',
  norway: 'NO',
  norge: 'NO',
  finland: 'FI',
  suomi: 'FI',
  ireland: 'IE',
  'united kingdom': 'GB',
  uk: 'GB',
  'great britain': 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'vereinigtes königreich': 'GB',
  'royaume-uni': 'GB',
  'reino unido': 'GB',
  poland: 'PL',
  polska: 'PL',
  'czech republic': 'CZ',
  czechia: 'CZ',
  slovakia: 'SK',
  hungary: 'HU',
  romania: 'RO',
  bulgaria: 'BG',
  greece: 'GR',
  croatia: 'HR',
  slovenia: 'SI',
  estonia: 'EE',
  latvia: 'LV',
  lithuania: 'LT',
  'united states': 'US',
  'united states of america': 'US',
  usa: 'US',
  us: 'US',
  'vereinigte staaten': 'US',
  'états-unis': 'US',
  'estados unidos': 'US',
  canada: 'CA',
  kanada: 'CA',
  mexico: 'MX',
  méxico: 'MX',
  brazil: 'BR',
  brasil: 'BR',
  argentina: 'AR',
  chile: 'CL',
  colombia: 'CO',
  peru: 'PE',
  perú: 'PE',
  australia: 'AU',
  'new zealand': 'NZ',
  india: 'IN',
  china: 'CN',
  japan: 'JP',
  'south korea': 'KR',
  korea: 'KR',
  singapore: 'SG',
  'hong kong': 'HK',
  taiwan: 'TW',
  israel: 'IL',
  turkey: 'TR',
  türkiye: 'TR',
  'united arab emirates': 'AE',
  uae: 'AE',
  'saudi arabia': 'SA',
  'south africa': 'ZA',
  nigeria: 'NG',
  kenya: 'KE',
  egypt: 'EG',
  ukraine: 'UA',
  russia: 'RU',
  indonesia: 'ID',
  malaysia: 'MY',
  philippines: 'PH',
  thailand: 'TH',
  vietnam: 'VN',
  pakistan: 'PK',
};

/** US state and Canadian province codes, which end US/CA addresses ("Houston, TX"). */
const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC'.split(
    ' ',
  ),
);

/**
 * The country of a locale with a region ("de-DE", "fr_CA"); a bare language ("de", "en") gives
 * `null`, since a language is spoken in many countries.
 *
 * @example
 * countryFromLocale('de_DE'); // 'DE'
 * countryFromLocale('en');    // null
 */
export function countryFromLocale(locale: string | null | undefined): string | null {
  if (!locale) return null;
  const match = /^[a-z]{2,3}(?:[-_][A-Za-z]{4})?[-_]([A-Za-z]{2})\b/.exec(locale.trim());
  return match ? match[1]!.toUpperCase() : null;
}

/**
 * The ISO 3166-1 alpha-2 code of a country written as a code or a name, or ending an address
 * ("Berlin, Germany", "Houston, Texas, United States").
 *
 * @example
 * countryFromText('Berlin, Deutschland'); // 'DE'
 * countryFromText('FR');                  // 'FR'
 * countryFromText('Greater Boston');      // null
 */
export function countryFromText(text: string | null | undefined): string | null {
  if (!text || text.length > 300) return null;
  const trimmed = text.trim();
  if (/^[A-Z]{2}$/.test(trimmed)) return trimmed === 'UK' ? 'GB' : trimmed;
  const parts = trimmed.split(/[,·|]/).map((p) => p.trim().toLowerCase());
  for (let i = parts.length - 1; i >= 0; i--) {
    const found = COUNTRY_NAMES[parts[i]!];
    if (found) return found;
  }
  const last = trimmed.split(/[,\s]+/).filter(Boolean);
  const tail = last[last.length - 1] ?? '';
  const beforeZip = /^\d{5}(-\d{4})?$/.test(tail) ? (last[last.length - 2] ?? '') : tail;
  if (last.length > 1 && US_STATES.has(beforeZip)) return 'US';
  return null;
}

/**
 * The country a country-code top-level domain names ("acme.de" → DE); generic ones give `null`.
 *
 * @example
 * countryFromDomain('mail.acme.co.uk'); // 'GB'
 * countryFromDomain('acme.com');        // null
 */
export function countryFromDomain(domain: string | null | undefined): string | null {
  if (!domain) return null;
  const suffix = getPublicSuffix(domain.toLowerCase());
  if (!suffix) return null;
  const tld = suffix.slice(suffix.lastIndexOf('.') + 1);
  if (
    tld.length !== 2 ||
    ['io', 'ai', 'co', 'me', 'tv', 'fm', 'ly', 'gg', 'cc', 'to', 'ws', 'app'].includes(tld)
  )
    return null;
  return tld === 'uk' ? 'GB' : tld.toUpperCase();
}
