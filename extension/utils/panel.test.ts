import { describe, expect, it } from 'vitest';
import { captureOf } from './panel';

describe('captureOf', () => {
  const url = 'https://example.com/team';

  it('keeps a page the extractor broke on as unreadable, with nobody on it', () => {
    const capture = captureOf(7, { ok: false, url, error: 'boom' }, 'on-demand');
    expect(capture).toMatchObject({ tabId: 7, via: 'on-demand', unreadable: 'boom', result: { leads: [] } });
    expect(capture.result.source.url).toBe(url);
  });

  it('keeps an empty page as read, with no error', () => {
    const result = { pageKind: 'web' as const, leads: [], source: { channel: 'web' as const, url } };
    const capture = captureOf(7, { ok: true, result }, 'content-script');
    expect(capture.result).toBe(result);
    expect(capture).not.toHaveProperty('unreadable');
  });
});
