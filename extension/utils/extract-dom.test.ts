import { describe, expect, it, vi } from 'vitest';
import { extractDocument } from './extract-dom';

const page = {} as Document;
const url = 'https://example.com/team';

describe('extractDocument', () => {
  it('reports a broken extractor as an unreadable page, and logs the error', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken = new TypeError("Cannot read properties of null (reading 'textContent')");
    try {
      const reading = extractDocument(page, url, {}, () => {
        throw broken;
      });
      expect(reading).toEqual({ ok: false, url, error: broken.message });
      expect(logged).toHaveBeenCalledWith(expect.stringContaining(url), broken);
    } finally {
      logged.mockRestore();
    }
  });

  it('hands back the result of an extractor that worked, even with nobody on the page', () => {
    const empty = { pageKind: 'web' as const, leads: [], source: { channel: 'web' as const, url } };
    expect(extractDocument(page, url, {}, () => empty)).toEqual({ ok: true, result: empty });
  });
});
