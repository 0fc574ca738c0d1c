import { registrableDomain } from '../normalize/domain';

/** Legal forms folded away from a company name: "Acme GmbH" and "ACME Inc." are one account. */
const LEGAL_SUFFIXES = new Set([
  'ab',
  'ag',
  'as',
  'asa',
  'bv',
  'bvba',
  'co',
  'company',
  'corp',
  'corporation',
  'eg',
  'ev',
  'gbr',
  'gmbh',
  'holding',
  'inc',
  'incorporated',
  'kg',
  'kgaa',
  'limited',
  'llc',
  'llp',
  'lp',
  'ltd',
  'nv',
  'oy',
  'oyj',
  'plc',
  'pty',
  'sa',
  'sarl',
  'sas',
  'se',
  'spa',
  'sl',
  'srl',
  'ug',
]);

/** A company name without case, punctuation and trailing legal forms ("Acme GmbH & Co. KG" → "acme"). */
export function foldCompanyName(name: string): string | null {
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  while (words.length > 1 && LEGAL_SUFFIXES.has(words.at(-1)!)) words.pop();
  const folded = words.join(' ');
  return folded || null;
}

/**
 * The account a lead belongs to, for "account ownership first": its company's registrable domain,
 * else its folded company name (`name:acme`), else null.
 */
export function accountKeyOf(lead: {
  companyDomain?: string | null;
  company?: string | null;
}): string | null {
  const domain = lead.companyDomain ? registrableDomain(lead.companyDomain) : null;
  if (domain) return domain;
  const name = lead.company ? foldCompanyName(lead.company) : null;
  return name ? `name:${name}` : null;
}
