import { MAX_FIELD_LENGTH, toPlainText } from './text';

/** A person's name split the way a CRM stores it, with what normalising removed kept aside. */
export interface NormalizedName {
  fullName: string;
  firstName?: string;
  lastName?: string;
  honorific?: string;
  postNominals?: string;
}

const HONORIFICS = new Set([
  'dr',
  'prof',
  'professor',
  'mr',
  'mrs',
  'ms',
  'mx',
  'miss',
  'sir',
  'dame',
  'herr',
  'frau',
  'mme',
  'mlle',
  'sr',
  'sra',
  'srta',
  'dott',
  'dott.ssa',
  'ing',
  'dipl.-ing',
  'dipl.-kfm',
  'dipl.-kff',
  'mag',
  'univ.-prof',
  'dr.-ing',
  'dr.med',
  'dr. med',
  'dr.rer.nat',
  'priv.-doz',
  'rev',
  'hon',
]);

const POST_NOMINALS = new Set([
  'mba',
  'emba',
  'phd',
  'ph.d',
  'dphil',
  'msc',
  'm.sc',
  'bsc',
  'b.sc',
  'ba',
  'b.a',
  'ma',
  'm.a',
  'md',
  'm.d',
  'meng',
  'beng',
  'llm',
  'll.m',
  'llb',
  'jd',
  'cpa',
  'cfa',
  'cfp',
  'pmp',
  'cissp',
  'cisa',
  'acca',
  'fca',
  'aca',
  'frcs',
  'pe',
  'p.eng',
  'rn',
  'dds',
  'esq',
  'jr',
  'sr',
  'ii',
  'iii',
  'iv',
  'mba.',
]);

/** Words that belong to the family name that follows them ("Ludwig van Beethoven"). */
const PARTICLES = new Set([
  'van',
  'von',
  'de',
  'der',
  'den',
  'du',
  'da',
  'di',
  'dos',
  'das',
  'del',
  'della',
  'la',
  'le',
  'ten',
  'ter',
  'zu',
  'bin',
  'al',
  'mac',
]);

const NAME_TOKEN = /^[\p{L}\p{M}][\p{L}\p{M}'’.-]*$/u;
// Emoji, pictographs, dingbats and flags: decoration, never part of a name.
const DECORATION = /\p{Extended_Pictographic}|\p{So}|[\u{1F1E6}-\u{1F1FF}]|\u200d|\ufe0f|\u20e3/gu;

const bare = (token: string) => token.toLowerCase().replace(/\.$/, '');

function isPostNominalGroup(part: string): boolean {
  const tokens = part.split(/[\s,]+/).filter(Boolean);
  return tokens.length > 0 && tokens.every((t) => POST_NOMINALS.has(bare(t)));
}

function fixCase(token: string): string {
  const letters = token.replace(/[^\p{L}]/gu, '');
  if (letters.length < 2) return token;
  const allUpper = letters === letters.toUpperCase();
  const allLower = letters === letters.toLowerCase();
  if (!allUpper && !allLower) return token;
  if (PARTICLES.has(token.toLowerCase())) return token.toLowerCase();
  return token
    .toLowerCase()
    .replace(/(^|[-'’\s])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/**
 * Cleans and splits a person's name: markup, emoji, pronouns in brackets and taglines after `|` go;
 * leading honorifics and trailing post-nominals are kept aside; "Last, First" is turned round;
 * ALL-CAPS or all-lower-case names get title case. Anything that does not look like a name
 * (digits, symbols, more than six words, over 200 characters) gives `null` rather than a guess.
 *
 * @example
 * normalizeName('Dr. Anna-Lena Müller, MBA 🚀');
 * // { fullName: 'Anna-Lena Müller', firstName: 'Anna-Lena', lastName: 'Müller',
 * //   honorific: 'Dr.', postNominals: 'MBA' }
 * normalizeName('Meyers, Albert'); // { fullName: 'Albert Meyers', firstName: 'Albert', lastName: 'Meyers' }
 */
export function normalizeName(raw: unknown): NormalizedName | null {
  if (typeof raw !== 'string' || raw.length > MAX_FIELD_LENGTH * 4) return null;
  let text = toPlainText(raw).replace(DECORATION, ' ');
  if (!text || text.length > MAX_FIELD_LENGTH) return null;
  // Taglines and pronouns: "Anna Müller | Growth", "Anna Müller (she/her)".
  text = text.split(/\s[|•·–—]\s|\s-\s|\|/)[0] ?? '';
  text = text.replace(/\([^)]{0,80}\)|\[[^\]]{0,80}\]/g, ' ');
  text = text.replace(/\s+/g, ' ').trim();
  if (!text) return null;

  const postNominals: string[] = [];
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  let main = parts.shift() ?? '';
  for (const part of parts) {
    if (isPostNominalGroup(part)) {
      postNominals.push(...part.split(/\s+/));
    } else if (!main.includes(' ') && /^[\p{L}\p{M}'’.-]+(?: [\p{L}\p{M}'’.-]+){0,2}$/u.test(part)) {
      // "Meyers, Albert": the family name came first.
      main = `${part} ${main}`;
    } else {
      return null;
    }
  }

  let tokens = main.split(' ').filter(Boolean);
  const honorifics: string[] = [];
  // German academic degrees written before the name ("Dipl.-Kffr.", "Dr.-Ing.", "Mag.") are titles too.
  const isHonorific = (token: string) =>
    HONORIFICS.has(bare(token)) || /^(dipl\.-|dr\.-|mag\.|univ\.-)/i.test(token);
  while (tokens.length > 1 && isHonorific(tokens[0]!)) honorifics.push(tokens.shift()!);
  const trailing: string[] = [];
  while (
    tokens.length > 1 &&
    POST_NOMINALS.has(bare(tokens[tokens.length - 1]!)) &&
    !/^[A-Z][a-z]+$/.test(tokens[tokens.length - 1]!)
  ) {
    trailing.unshift(tokens.pop()!);
  }
  postNominals.unshift(...trailing);

  if (tokens.length === 0 || tokens.length > 6) return null;
  if (!tokens.every((t) => NAME_TOKEN.test(t))) return null;
  if (!tokens.some((t) => t.replace(/[^\p{L}]/gu, '').length >= 2)) return null;
  tokens = tokens.map(fixCase);

  let lastStart = tokens.length - 1;
  while (lastStart > 1 && PARTICLES.has(tokens[lastStart - 1]!.toLowerCase())) lastStart--;
  const fullName = tokens.join(' ');
  const result: NormalizedName = { fullName };
  if (tokens.length === 1) {
    result.firstName = tokens[0]!;
  } else {
    result.firstName = tokens.slice(0, lastStart).join(' ');
    result.lastName = tokens.slice(lastStart).join(' ');
  }
  if (honorifics.length) result.honorific = honorifics.join(' ');
  if (postNominals.length) result.postNominals = postNominals.join(', ');
  return result;
}
