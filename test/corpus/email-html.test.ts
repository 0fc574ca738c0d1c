import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockText, detectSignature, extractLeads } from '@leadline/shared';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { corpusDir } from './corpus-path';

const dir = corpusDir('email-html');
const replies = readdirSync(dir)
  .filter((f) => f.endsWith('.html'))
  .sort();

/** Some samples are body fragments; a browser would put them in a body. */
function documentOf(file: string): Document {
  const raw = readFileSync(join(dir, file), 'utf8');
  const html = /<html/i.test(raw) ? raw : `<!DOCTYPE html><html><body>${raw}</body></html>`;
  return parseHTML(html).document as unknown as Document;
}

/**
 * HTML replies as nine real clients render them (mailgun/talon, Apache-2.0). Each is "Hi. I am fine.
 * Thanks, Alex" above a quoted message signed "Thanks, Sasha.": the quote, whatever its header
 * looks like in that client and language, must never be read as the writer's signature.
 */
describe('HTML replies corpus', () => {
  it('has the nine clients', () => {
    expect(replies).toHaveLength(9);
  });

  for (const file of replies) {
    it(`${file}: the signature is the writer's "Thanks, Alex", not the quoted one`, () => {
      const document = documentOf(file);
      expect(() => extractLeads(document, `https://example.com/${file}`)).not.toThrow();
      const text = blockText(document.body ?? document.documentElement);
      const lines = text.split('\n');
      const found = detectSignature(text).lines.map((i) => lines[i]);
      expect(found).toEqual(['Thanks,', 'Alex']);
    });
  }
});
