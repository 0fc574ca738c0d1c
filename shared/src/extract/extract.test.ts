import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { extractLeads } from './index';
import { pageKindOf, sourceOf } from './page';
import { selectionLead } from './selection';

const doc = (html: string) => parseHTML(html).document as unknown as Document;

describe('page kind and source', () => {
  it('tells LinkedIn, mail and web pages apart', () => {
    expect(pageKindOf('https://de.linkedin.com/in/anna/')).toBe('linkedin-profile');
    expect(pageKindOf('https://www.linkedin.com/company/acme/about/')).toBe('linkedin-company');
    expect(pageKindOf('https://www.linkedin.com/sales/lead/ACwAA,NAME_SEARCH,x')).toBe(
      'linkedin-sales-navigator',
    );
    expect(pageKindOf('https://www.linkedin.com/feed/')).toBe('web');
    expect(pageKindOf('https://mail.google.com/mail/u/0/#inbox/abc')).toBe('gmail');
    expect(pageKindOf('https://outlook.office.com/mail/inbox/id/x')).toBe('outlook');
    expect(pageKindOf('https://outlook.live.com/mail/0/')).toBe('outlook');
    expect(pageKindOf('https://acme.com/linkedin.com/in/x')).toBe('web');
  });

  it('carries channel, URL and UTM tags', () => {
    expect(sourceOf('https://www.linkedin.com/in/a?utm_source=x', 'linkedin-profile')).toEqual({
      channel: 'linkedin',
      url: 'https://www.linkedin.com/in/a?utm_source=x',
      utm: { source: 'x' },
    });
    expect(sourceOf('https://mail.google.com/mail/u/0/', 'gmail').channel).toBe('email');
  });
});

describe('selectionLead', () => {
  const ctx = { url: 'https://acme.com/', country: 'DE', options: {} };

  it('reads a selected contact block', () => {
    const lead = selectionLead(
      'Anna Müller\nHead of Growth at Acme GmbH\nanna@acme.de\nTel. 030 1234567',
      ctx,
    );
    expect(lead).toMatchObject({
      fullName: 'Anna Müller',
      title: 'Head of Growth',
      company: 'Acme GmbH',
      email: 'anna@acme.de',
      companyDomain: 'acme.de',
      phone: '+49301234567',
    });
    expect(lead?.fieldSources.title?.source).toBe('selection');
  });

  it('splits a one-line selection and refuses plain prose', () => {
    expect(selectionLead('Ben Okafor, VP Sales at Globex | ben@globex.com', ctx)).toMatchObject({
      fullName: 'Ben Okafor',
      title: 'VP Sales',
      company: 'Globex',
      email: 'ben@globex.com',
    });
    expect(selectionLead('the quick brown fox jumps over the lazy dog', ctx)).toBeNull();
    expect(selectionLead('x'.repeat(10_000), ctx)).toBeNull();
  });
});

describe('extractLeads', () => {
  it('merges the selection into the lead it describes', () => {
    const page = doc(
      '<html><body><div class="h-card"><span class="p-name">Anna Müller</span><a class="u-email" href="mailto:anna@acme.de">mail</a></div></body></html>',
    );
    const { leads } = extractLeads(page, 'https://acme.de/team', {
      selectionText: 'Anna Müller\nHead of Growth',
    });
    expect(leads).toHaveLength(1);
    expect(leads[0]).toMatchObject({
      fullName: 'Anna Müller',
      email: 'anna@acme.de',
      title: 'Head of Growth',
    });
  });

  it('never returns the rep or colleagues from the rep domains', () => {
    const page = doc(
      '<html><body><p><b>Max Rep</b> <a href="mailto:max@ourco.com">mail</a></p><div><b>Jane Doe</b> <a href="mailto:jane@ourco.com">mail</a></div><div><b>Anna Müller</b> <a href="mailto:anna@acme.de">mail</a></div></body></html>',
    );
    const { leads } = extractLeads(page, 'https://example.com/', {
      repEmails: ['MAX@ourco.com'],
      repDomains: ['ourco.com'],
    });
    expect(leads.map((l) => l.email)).toEqual(['anna@acme.de']);
  });

  it('uses the default country for local numbers only when the page gives none', () => {
    const html =
      '<html lang="en"><body><div><h3>Oliver Hale</h3><a href="tel:020 7946 0123">call</a><a href="mailto:oliver@fh.co.uk">mail</a></div></body></html>';
    expect(extractLeads(doc(html), 'https://fh.co.uk/').leads[0]?.phone).toBeUndefined();
    expect(extractLeads(doc(html), 'https://fh.co.uk/', { defaultCountry: 'GB' }).leads[0]?.phone).toBe(
      '+442079460123',
    );
  });

  it('skips a strategy that throws and never throws itself', () => {
    const page = doc(
      '<html><head><script type="application/ld+json">{"@type":"Person","name":"Anna Müller"}</script></head><body></body></html>',
    );
    const hostile = new Proxy(page, {
      get(target, key) {
        if (key === 'querySelector')
          return () => {
            throw new Error('boom');
          };
        const value = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    expect(() => extractLeads(hostile, 'https://acme.de/')).not.toThrow();
    expect(extractLeads(hostile, 'https://acme.de/').leads.map((l) => l.fullName)).toEqual(['Anna Müller']);
    expect(extractLeads(null as unknown as Document, 'https://acme.de/').leads).toEqual([]);
  });
});
