import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCompanySize } from './company-size';
import { countryFromDomain, countryFromLocale, countryFromText } from './country';
import {
  companyDomainFromEmail,
  companyDomainFromWebsite,
  normalizeWebsite,
  registrableDomain,
} from './domain';
import { findEmails, normalizeEmail } from './email';
import { FREE_MAIL_DOMAIN_COUNT, isFreeMailDomain } from './free-mail-domains';
import { normalizeName } from './name';
import { findPhones, normalizePhone } from './phone';
import { cleanField, toPlainText } from './text';
import { parseUtm } from './utm';

describe('normalizeName', () => {
  it('strips emoji, honorifics and post-nominals and keeps them aside', () => {
    expect(normalizeName('Dr. Anna-Lena Müller, MBA 🚀')).toEqual({
      fullName: 'Anna-Lena Müller',
      firstName: 'Anna-Lena',
      lastName: 'Müller',
      honorific: 'Dr.',
      postNominals: 'MBA',
    });
    expect(normalizeName('Prof. Dr. Stefan Weiß')).toMatchObject({
      fullName: 'Stefan Weiß',
      honorific: 'Prof. Dr.',
    });
    expect(normalizeName('Aiko Tanaka PhD, CFA')).toMatchObject({
      fullName: 'Aiko Tanaka',
      postNominals: 'PhD, CFA',
    });
    expect(normalizeName('Dipl.-Ing. Jens Albers')).toMatchObject({
      fullName: 'Jens Albers',
      honorific: 'Dipl.-Ing.',
    });
  });

  it('drops pronouns and taglines, turns "Last, First" round and fixes shouting', () => {
    expect(normalizeName('Lucía Fernández (Ella) | RevOps')?.fullName).toBe('Lucía Fernández');
    expect(normalizeName('Meyers, Albert')).toMatchObject({
      fullName: 'Albert Meyers',
      firstName: 'Albert',
      lastName: 'Meyers',
    });
    expect(normalizeName('BERT MEYERS')?.fullName).toBe('Bert Meyers');
    expect(normalizeName("marcus o'neil")?.fullName).toBe("Marcus O'Neil");
    expect(normalizeName('Ludwig van Beethoven')).toMatchObject({
      firstName: 'Ludwig',
      lastName: 'van Beethoven',
    });
  });

  it('refuses what is not a name', () => {
    for (const bad of [
      '',
      '   ',
      'R2-D2 Unit',
      "Robert'); DROP TABLE leads;--",
      'a'.repeat(201),
      'x'.repeat(100_000),
      'Contact us for a free quote today and save money now',
      'anna@acme.com',
      '🚀🚀',
    ]) {
      expect(normalizeName(bad), bad.slice(0, 30)).toBeNull();
    }
    expect(normalizeName(42)).toBeNull();
  });

  it('never returns markup, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (raw) => {
        const name = normalizeName(`<b>${raw}</b><script>x</script>`);
        if (name) expect(name.fullName).not.toMatch(/[<>]/);
      }),
    );
  });
});

describe('cleanField and toPlainText', () => {
  it('turns markup into text and caps the length', () => {
    expect(toPlainText('<img src=x onerror=alert(1)>Head of <b>Security</b> &amp; Risk')).toBe(
      'Head of Security & Risk',
    );
    expect(cleanField('  Head of\n Growth ')).toBe('Head of Growth');
    expect(cleanField('x'.repeat(201))).toBeUndefined();
    expect(cleanField({ name: 'x' })).toBeUndefined();
  });
});

describe('e-mail', () => {
  it('lower-cases, reads mailto: and display forms, and keys Gmail variants together', () => {
    expect(normalizeEmail('mailto:Anna.Mueller@Acme.DE?subject=Hi')).toEqual({
      email: 'anna.mueller@acme.de',
      emailMatchKey: 'anna.mueller@acme.de',
    });
    expect(normalizeEmail('Anna <A.M+crm@GoogleMail.com>')).toEqual({
      email: 'a.m+crm@googlemail.com',
      emailMatchKey: 'am@gmail.com',
    });
    expect(normalizeEmail('not an address')).toBeNull();
    expect(normalizeEmail('a@b')).toBeNull();
    expect(findEmails('Mail anna@acme.com, or ANNA@acme.com.')).toEqual(['anna@acme.com']);
  });
});

describe('phone', () => {
  it('gives E.164, reading local numbers only with a country', () => {
    expect(normalizePhone('+49 (0)30 1234 5678')).toBe('+493012345678');
    expect(normalizePhone('tel:+1-312-555-0187')).toBe('+13125550187');
    expect(normalizePhone('0211 123 45 60', 'DE')).toBe('+492111234560');
    expect(normalizePhone('0211 123 45 60')).toBeNull();
    expect(normalizePhone('x6721', 'US')).toBeNull();
    expect(normalizePhone('12', 'US')).toBeNull();
    expect(findPhones('Call +1 403 974 6721 or 030 1234567', 'DE')).toEqual(['+14039746721', '+49301234567']);
  });
});

describe('domains and free mail', () => {
  it('finds the registrable domain', () => {
    expect(registrableDomain('https://shop.acme.co.uk/x')).toBe('acme.co.uk');
    expect(registrableDomain('anna@mail.acme.com')).toBe('acme.com');
    expect(registrableDomain('http://172.17.1.2/')).toBeNull();
  });

  it('never takes a company domain from free-mail, disposable or profile hosts', () => {
    expect(companyDomainFromEmail('anna@sales.acme.de')).toBe('acme.de');
    for (const email of [
      'a@gmail.com',
      'a@googlemail.com',
      'a@yahoo.com.vn',
      'a@web.de',
      'a@mailinator.com',
      'a@proton.me',
    ]) {
      expect(companyDomainFromEmail(email), email).toBeNull();
    }
    expect(companyDomainFromWebsite('https://www.linkedin.com/company/acme')).toBeNull();
    expect(companyDomainFromWebsite('https://github.com/acme')).toBeNull();
    expect(companyDomainFromWebsite('https://www.acme.io/about')).toBe('acme.io');
  });

  it('keeps a list of a few hundred providers', () => {
    expect(FREE_MAIL_DOMAIN_COUNT).toBeGreaterThan(300);
    expect(isFreeMailDomain('GMAIL.com')).toBe(true);
    expect(isFreeMailDomain('eu.mailinator.com')).toBe(true);
    expect(isFreeMailDomain('acme.com')).toBe(false);
  });

  it('normalises websites', () => {
    expect(normalizeWebsite('www.acme.com')).toBe('https://www.acme.com/');
    expect(normalizeWebsite('/team', 'https://acme.com/x?y=1')).toBe('https://acme.com/team');
    expect(normalizeWebsite('https://acme.com/?utm_source=x#top')).toBe('https://acme.com/');
    expect(normalizeWebsite('javascript:alert(1)')).toBeNull();
  });
});

describe('company size, country, UTM', () => {
  it('takes the lower bound of a head-count range', () => {
    expect(parseCompanySize('51-200 employees')).toBe(51);
    expect(parseCompanySize('10,001+ employees')).toBe(10001);
    expect(parseCompanySize('1.001–5.000 Beschäftigte')).toBe(1001);
    expect(parseCompanySize('Software Development')).toBeNull();
    expect(parseCompanySize(0)).toBeNull();
  });

  it('reads countries from locales, addresses and domains', () => {
    expect(countryFromLocale('de_DE')).toBe('DE');
    expect(countryFromLocale('en')).toBeNull();
    expect(countryFromText('München, Bayern, Deutschland')).toBe('DE');
    expect(countryFromText('Houston, TX 77002')).toBe('US');
    expect(countryFromText('Greater Boston')).toBeNull();
    expect(countryFromDomain('mail.acme.co.uk')).toBe('GB');
    expect(countryFromDomain('acme.io')).toBeNull();
  });

  it('reads UTM tags, also from a fragment', () => {
    expect(parseUtm('https://acme.com/?utm_source=linkedin&utm_campaign=q3&x=1')).toEqual({
      source: 'linkedin',
      campaign: 'q3',
    });
    expect(parseUtm('https://app.example/#/signup?utm_medium=email')).toEqual({ medium: 'email' });
    expect(parseUtm('https://acme.com/')).toBeUndefined();
    expect(parseUtm('nope')).toBeUndefined();
  });
});
