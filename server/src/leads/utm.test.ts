import type { Lead } from '@leadline/shared';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test-utils';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

describe('UTM tags from the page URL', () => {
  it('reads them from a single-page app fragment (#/...?utm_) as @leadline/shared parseUtm does', async () => {
    const res = await t.post('/api/leads', {
      fullName: 'Fran Fragment',
      source: {
        channel: 'web',
        url: 'https://acme.example/app#/pricing?utm_source=linkedin&utm_campaign=q3',
      },
    });
    expect(res.status).toBe(201);
    const lead = (await res.json()) as Lead;
    expect(lead.source.utm).toMatchObject({ source: 'linkedin', campaign: 'q3' });
  });

  it('prefers the query over the fragment, and tags the client sent over both', async () => {
    const fromUrl = (await (
      await t.post('/api/leads', {
        fullName: 'Quinn Query',
        source: {
          channel: 'web',
          url: 'https://acme.example/?utm_source=news#/x?utm_source=other&utm_medium=mail',
        },
      })
    ).json()) as Lead;
    expect(fromUrl.source.utm).toMatchObject({ source: 'news', medium: 'mail' });
    const sent = (await (
      await t.post('/api/leads', {
        fullName: 'Sam Sent',
        source: {
          channel: 'web',
          url: 'https://acme.example/#/x?utm_source=other',
          utm: { source: 'given' },
        },
      })
    ).json()) as Lead;
    expect(sent.source.utm.source).toBe('given');
  });
});
