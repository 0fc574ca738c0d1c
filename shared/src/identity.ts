/**
 * Dedup keys: the normal forms two captures of one person share, whatever page they came from.
 */

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * The key two spellings of one mailbox share: lower-cased, `+tags` removed, and for Gmail the dots
 * of the local part folded and googlemail.com read as gmail.com.
 *
 * @example
 * emailMatchKey('Anna.Lena+crm@GoogleMail.com'); // 'annalena@gmail.com'
 * emailMatchKey('j.doe+x@acme.com');             // 'j.doe@acme.com'
 */
export function emailMatchKey(email: string): string | null {
  const trimmed = email.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return null;
  let local = trimmed.slice(0, at);
  let domain = trimmed.slice(at + 1);
  const plus = local.indexOf('+');
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    domain = 'gmail.com';
    local = local.replaceAll('.', '');
  }
  return `${local}@${domain}`;
}

/**
 * The canonical form of a LinkedIn profile or company URL: `https://www.linkedin.com/in/<slug>` or
 * `/company/<slug>`, whatever the country subdomain, query string or `/details/...` tail.
 * Anything that is not a LinkedIn profile or company URL gives `null`.
 *
 * @example
 * canonicalLinkedinUrl('https://de.linkedin.com/in/Anna-Mueller-42/details/experience/?trk=x');
 * // 'https://www.linkedin.com/in/anna-mueller-42'
 */
export function canonicalLinkedinUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim().startsWith('http') ? raw.trim() : `https://${raw.trim()}`);
  } catch {
    return null;
  }
  const host = url.hostname.toLowerCase();
  if (host !== 'linkedin.com' && !host.endsWith('.linkedin.com')) return null;
  const match = /^\/(in|company|pub)\/([^/?#]+)/i.exec(url.pathname);
  if (!match) return null;
  const kind = match[1]!.toLowerCase() === 'company' ? 'company' : 'in';
  let slug: string;
  try {
    slug = decodeURIComponent(match[2]!);
  } catch {
    slug = match[2]!;
  }
  slug = slug.trim().toLowerCase();
  if (!slug) return null;
  return `https://www.linkedin.com/${kind}/${encodeURIComponent(slug)}`;
}

/**
 * A person's name folded for comparison: accents removed, lower case, letters and single spaces only.
 *
 * @example
 * nameKey('  Anna-Lena  MÜLLER '); // 'anna lena muller'
 */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * How alike two names are, 0..1: the Dice coefficient over letter pairs of their folded forms, so
 * "Jon Smith" and "John Smith" score high and word order matters little.
 *
 * @example
 * nameSimilarity('Jon Smith', 'John Smith') > 0.8; // true
 */
export function nameSimilarity(a: string, b: string): number {
  const x = nameKey(a);
  const y = nameKey(b);
  if (!x || !y) return 0;
  if (x === y) return 1;
  const pairs = (s: string) => {
    const counts = new Map<string, number>();
    for (const word of s.split(' ')) {
      for (let i = 0; i < word.length - 1; i++) {
        const pair = word.slice(i, i + 2);
        counts.set(pair, (counts.get(pair) ?? 0) + 1);
      }
    }
    return counts;
  };
  const px = pairs(x);
  const py = pairs(y);
  let overlap = 0;
  let total = 0;
  for (const [pair, count] of px) {
    overlap += Math.min(count, py.get(pair) ?? 0);
    total += count;
  }
  for (const count of py.values()) total += count;
  return total === 0 ? 0 : (2 * overlap) / total;
}
