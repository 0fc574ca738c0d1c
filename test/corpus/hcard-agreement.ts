import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type ExtractedLead,
  extractLeads,
  nameKey,
  normalizeEmail,
  normalizeName,
  normalizePhone,
} from '@leadline/shared';
import { parseHTML } from 'linkedom';
import { corpusDir } from './corpus-path';

type Mf2Value = string | { value?: string; properties?: Record<string, Mf2Value[]> };
interface Mf2Item {
  type?: string[];
  properties: Record<string, Mf2Value[]>;
  children?: Mf2Item[];
}

export interface CardCheck {
  page: string;
  card: string;
  /** Properties compared and whether each agreed. */
  checks: { property: string; expected: string; actual: string | undefined; ok: boolean }[];
}

const text = (value: Mf2Value | undefined): string | undefined =>
  typeof value === 'string' ? value : (value?.value ?? (value?.properties?.name?.[0] as string | undefined));

/** Every h-card of the expected parse, children included. */
function cards(items: Mf2Item[]): Mf2Item[] {
  const out: Mf2Item[] = [];
  for (const item of items) {
    if (item.type?.includes('h-card')) out.push(item);
    out.push(...cards(item.children ?? []));
  }
  return out;
}

/**
 * Names compare after our own normalising (a card's "John Doe Jr." is the lead "John Doe" with
 * post-nominal "Jr.") and without spaces ("JohnDoe", the parse of a name split into parts, is "John Doe").
 */
const sameName = (actual: string, expected: string) => {
  const want = normalizeName(expected)?.fullName ?? expected;
  return nameKey(actual).replace(/ /g, '') === nameKey(want).replace(/ /g, '');
};

/**
 * Runs the extractor over each corpus h-card page and compares every card's name, e-mail, phone,
 * organisation and job title (where the card has them) with the lead that has its name.
 */
export function checkHCards(): CardCheck[] {
  const dir = corpusDir('hcard');
  const results: CardCheck[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const page = file.replace(/\.json$/, '.html');
    const expected = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { items: Mf2Item[] };
    const { document } = parseHTML(readFileSync(join(dir, page), 'utf8'));
    const { leads } = extractLeads(document as unknown as Document, `http://example.com/${page}`);
    for (const card of cards(expected.items)) {
      const name = text(card.properties.name?.[0]);
      if (!name) continue;
      const lead: ExtractedLead | undefined = leads.find((l) =>
        sameName(l.fullName ?? l.company ?? '', name),
      );
      const checks: CardCheck['checks'] = [
        { property: 'name', expected: name, actual: lead?.fullName ?? lead?.company, ok: Boolean(lead) },
      ];
      const email = text(card.properties.email?.[0]);
      if (email) {
        const want = normalizeEmail(email)?.email ?? email;
        checks.push({ property: 'email', expected: want, actual: lead?.email, ok: lead?.email === want });
      }
      const tel = text(card.properties.tel?.[0]);
      if (tel) {
        const want = normalizePhone(tel, 'US') ?? tel;
        checks.push({ property: 'tel', expected: want, actual: lead?.phone, ok: lead?.phone === want });
      }
      const org = text(card.properties.org?.[0]);
      if (org && lead?.kind === 'person')
        checks.push({ property: 'org', expected: org, actual: lead.company, ok: lead.company === org });
      const title = text(card.properties['job-title']?.[0]);
      if (title)
        checks.push({
          property: 'job-title',
          expected: title,
          actual: lead?.title,
          ok: lead?.title === title,
        });
      results.push({ page, card: name, checks });
    }
  }
  return results;
}
