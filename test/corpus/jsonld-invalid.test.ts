import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractLeads, parseJsonLd } from '@leadline/shared';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { corpusDir } from './corpus-path';

const dir = corpusDir('jsonld-invalid');
const pages = readdirSync(dir)
  .filter((f) => f.endsWith('.html'))
  .sort();

/** The text of every JSON-LD script of a page, as a browser would hand it to us. */
function scripts(html: string): string[] {
  const { document } = parseHTML(html);
  return Array.from(document.querySelectorAll('script'))
    .filter((s) => /ld\+json/.test(s.getAttribute('type') ?? ''))
    .map((s) => s.textContent ?? '');
}

describe('malformed JSON-LD corpus (scrapinghub/extruct, BSD-3-Clause)', () => {
  it('has the five samples', () => {
    expect(pages).toHaveLength(5);
  });

  for (const page of pages) {
    it(`${page}: recovers what a tolerant parser recovers`, () => {
      const html = readFileSync(join(dir, page), 'utf8');
      const expected = JSON.parse(
        readFileSync(join(dir, page.replace(/\.html$/, '.jsonld')), 'utf8'),
      ) as unknown[];
      const recovered = scripts(html).flatMap(parseJsonLd);
      expect(recovered).toEqual(expected);
    });

    it(`${page}: extraction does not throw`, () => {
      const { document } = parseHTML(readFileSync(join(dir, page), 'utf8'));
      expect(() =>
        extractLeads(document as unknown as Document, `https://example.com/${page}`),
      ).not.toThrow();
    });
  }

  it('reads the Person agent of an action whose block starts with a JS comment', () => {
    const { document } = parseHTML(readFileSync(join(dir, 'AllocateAction.001.html'), 'utf8'));
    const { leads } = extractLeads(document as unknown as Document, 'https://example.com/a');
    expect(leads.map((l) => l.fullName)).toEqual(['John']);
  });
});
