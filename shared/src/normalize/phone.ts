import {
  type CountryCode,
  findPhoneNumbersInText,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js';

/** Whether an ISO 3166-1 alpha-2 code is one libphonenumber knows. */
export function isPhoneCountry(country: string | undefined): country is CountryCode {
  return typeof country === 'string' && /^[A-Z]{2}$/.test(country) && isSupportedCountry(country);
}

/**
 * A phone number in E.164. Numbers written with their country code are read as they are; local
 * numbers need `country` (the page's, or the caller's default) and give `null` without it, because
 * guessing the country would store a wrong number.
 *
 * @example
 * normalizePhone('+49 (0)30 1234 5678');      // '+493012345678'
 * normalizePhone('(403) 974-6721', 'CA');     // '+14039746721'
 * normalizePhone('030 1234567');              // null: local, and no country given
 */
export function normalizePhone(raw: unknown, country?: string): string | null {
  if (typeof raw !== 'string' || raw.length > 60) return null;
  let text = raw.trim().replace(/^tel:/i, '');
  try {
    text = decodeURIComponent(text);
  } catch {
    // an undecodable tel: href is parsed as written
  }
  // "+49 (0)30 ..." : the trunk zero in brackets is written for locals and is not dialled from abroad.
  text = text.replace(/^(\+\d{1,3})\s*\(0\)\s*/, '$1 ');
  const digits = text.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 17) return null;
  const international = text.startsWith('+') || text.startsWith('00');
  if (text.startsWith('00')) text = `+${text.slice(2)}`;
  if (!international && !isPhoneCountry(country)) return null;
  const parsed = parsePhoneNumberFromString(
    text,
    isPhoneCountry(country) ? { defaultCountry: country } : undefined,
  );
  if (!parsed?.isValid()) return null;
  return parsed.number;
}

/**
 * The phone numbers written in a piece of text, as E.164 (local ones only when `country` is given).
 *
 * @example
 * findPhones('Call +1 403 974 6721 or 030 1234567', 'DE'); // ['+14039746721', '+49301234567']
 */
export function findPhones(text: string, country?: string): string[] {
  if (text.length > 20_000) return [];
  const found: string[] = [];
  const matches = isPhoneCountry(country)
    ? findPhoneNumbersInText(text, { defaultCountry: country })
    : findPhoneNumbersInText(text);
  for (const match of matches) {
    if (match.number.isValid() && !found.includes(match.number.number)) found.push(match.number.number);
  }
  return found;
}
