import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCORING_MODEL } from './default-model';
import {
  compileFit,
  evaluateFit,
  isBusinessEmail,
  matchesFitRule,
  readFitField,
  type ScorableLead,
} from './fit';
import type { FitRule } from './model';
import { containsPhrase } from './words';

const senior = DEFAULT_SCORING_MODEL.fitRules[0] as FitRule;

describe('containsAny: case-insensitive whole words', () => {
  it.each([
    ['VP of Sales', true],
    ['VP, Sales', true],
    ['Sales-VP', true],
    ['svp', false],
    ['MVP Developer', false],
    ['Senior Vice President, EMEA', true],
    ['Vice-President', true],
    ['Vice Chair, President', false],
    ['Head of Growth', true],
    ['Headquarters Manager', false],
    ['Directrice / Director', true],
    ['Directory Services', false],
    ['CEO & Founder', true],
    ['', false],
  ])('%j matches the senior-title rule: %s', (title, expected) => {
    expect(matchesFitRule({ title }, senior)).toBe(expected);
  });

  it('folds accents on both sides', () => {
    expect(containsPhrase('Directeur Général', 'general')).toBe(true);
    expect(containsPhrase('Directeur General', 'général')).toBe(true);
  });

  it('treats regex metacharacters in values as text (no user-supplied regex ever runs)', () => {
    const rule: FitRule = {
      id: 'x',
      field: 'title',
      op: 'containsAny',
      values: ['c++', '(a+)+$'],
      points: 1,
    };
    expect(matchesFitRule({ title: 'C developer' }, rule)).toBe(true); // "c++" is the word "c"
    expect(matchesFitRule({ title: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!' }, rule)).toBe(false);
  });

  it('does not match a missing or non-text field', () => {
    expect(matchesFitRule({}, senior)).toBe(false);
    expect(matchesFitRule({ title: null }, senior)).toBe(false);
  });
});

describe('each operator', () => {
  type RuleBody = FitRule extends infer R ? (R extends FitRule ? Omit<R, 'id' | 'points'> : never) : never;
  const rule = (body: RuleBody): FitRule => ({ id: 'r', points: 1, ...body });

  it('equals compares strings trimmed and case-insensitively, other values strictly', () => {
    expect(
      matchesFitRule(
        { industry: ' Software ' },
        rule({ field: 'industry', op: 'equals', value: 'software' }),
      ),
    ).toBe(true);
    expect(
      matchesFitRule(
        { industry: 'Software AG' },
        rule({ field: 'industry', op: 'equals', value: 'software' }),
      ),
    ).toBe(false);
    expect(
      matchesFitRule({ bant: { budget: true } }, rule({ field: 'bant.budget', op: 'equals', value: true })),
    ).toBe(true);
    expect(
      matchesFitRule({ bant: { budget: false } }, rule({ field: 'bant.budget', op: 'equals', value: true })),
    ).toBe(false);
    expect(matchesFitRule({ bant: null }, rule({ field: 'bant.budget', op: 'equals', value: true }))).toBe(
      false,
    );
  });

  it('in matches any of the values', () => {
    const countries = rule({ field: 'country', op: 'in', values: ['de', 'AT', 'CH'] });
    expect(matchesFitRule({ country: 'DE' }, countries)).toBe(true);
    expect(matchesFitRule({ country: 'FR' }, countries)).toBe(false);
    expect(matchesFitRule({}, countries)).toBe(false);
    expect(
      matchesFitRule({ companySize: 10 }, rule({ field: 'companySize', op: 'in', values: [10, 20] })),
    ).toBe(true);
  });

  it('exists: present and not blank; a false BANT answer exists', () => {
    const phone = rule({ field: 'phone', op: 'exists' });
    expect(matchesFitRule({ phone: '+49 30 1234567' }, phone)).toBe(true);
    expect(matchesFitRule({ phone: '  ' }, phone)).toBe(false);
    expect(matchesFitRule({ phone: null }, phone)).toBe(false);
    expect(matchesFitRule({ bant: { need: false } }, rule({ field: 'bant.need', op: 'exists' }))).toBe(true);
    expect(
      matchesFitRule({ bant: { timelineMonths: 0 } }, rule({ field: 'bant.timelineMonths', op: 'exists' })),
    ).toBe(true);
  });

  it('gte and lte are inclusive and need a number', () => {
    const gte = rule({ field: 'dealValue', op: 'gte', value: 1000 });
    const lte = rule({ field: 'bant.timelineMonths', op: 'lte', value: 6 });
    expect([999, 1000, 1001].map((dealValue) => matchesFitRule({ dealValue }, gte))).toEqual([
      false,
      true,
      true,
    ]);
    expect([5, 6, 7].map((timelineMonths) => matchesFitRule({ bant: { timelineMonths } }, lte))).toEqual([
      true,
      true,
      false,
    ]);
    expect(matchesFitRule({ dealValue: null }, gte)).toBe(false);
    expect(matchesFitRule({ bant: { timelineMonths: null } }, lte)).toBe(false);
  });

  it('between is inclusive at both ends', () => {
    const midMarket = DEFAULT_SCORING_MODEL.fitRules[4] as FitRule;
    expect(
      [49, 50, 51, 4999, 5000, 5001].map((companySize) => matchesFitRule({ companySize }, midMarket)),
    ).toEqual([false, true, true, true, true, false]);
  });

  it('businessEmail refuses free-mail, disposable and malformed addresses', () => {
    expect(isBusinessEmail('ana@acme.io')).toBe(true);
    expect(isBusinessEmail('Ana@Sales.ACME.co.uk')).toBe(true);
    expect(isBusinessEmail('ana@gmail.com')).toBe(false);
    expect(isBusinessEmail('ana@GoogleMail.com')).toBe(false);
    expect(isBusinessEmail('x@mailinator.com')).toBe(false);
    expect(isBusinessEmail('x@eu.mailinator.com')).toBe(false);
    expect(isBusinessEmail('ana@localhost')).toBe(false);
    expect(isBusinessEmail('@acme.io')).toBe(false);
    expect(isBusinessEmail('acme.io')).toBe(false);
  });

  it('reads nested dotted paths', () => {
    const lead: ScorableLead = { source: { channel: 'linkedin', utm: { campaign: 'q3' } } };
    expect(readFitField(lead, 'source.channel')).toBe('linkedin');
    expect(readFitField(lead, 'source.utm.campaign')).toBe('q3');
    expect(readFitField(lead, 'source.utm.term')).toBeUndefined();
  });
});

describe('evaluateFit', () => {
  it('sums the points of the matched rules in model order', () => {
    const lead: ScorableLead = {
      title: 'Head of Sales Operations',
      email: 'ana@acme.io',
      phone: '+1 555 0100',
      companySize: 300,
      bant: { budget: true, authority: false, need: true, timelineMonths: 6 },
    };
    const { fit, matched } = evaluateFit(lead, DEFAULT_SCORING_MODEL);
    expect(matched.map((match) => match.ruleId)).toEqual([
      'senior-title',
      'business-email',
      'has-phone',
      'mid-market',
      'bant-budget',
      'bant-need',
      'bant-timeline',
    ]);
    expect(fit).toBe(30 + 15 + 5 + 20 + 10 + 10 + 10);
    expect(matched[0]).toEqual({ ruleId: 'senior-title', field: 'title', points: 30 });
  });

  it('clamps to 100 and to 0', () => {
    const everything: ScorableLead = {
      title: 'VP & Team Lead',
      email: 'a@acme.io',
      phone: '1',
      companySize: 100,
      bant: { budget: true, authority: true, need: true, timelineMonths: 1 },
    };
    expect(evaluateFit(everything, DEFAULT_SCORING_MODEL).fit).toBe(100);
    const penalty: FitRule = {
      id: 'competitor',
      field: 'companyDomain',
      op: 'equals',
      value: 'rival.com',
      points: -50,
    };
    expect(evaluateFit({ companyDomain: 'rival.com' }, { fitRules: [penalty] })).toEqual({
      fit: 0,
      matched: [{ ruleId: 'competitor', field: 'companyDomain', points: -50 }],
    });
  });

  it('gives 0 and no matches for an empty lead', () => {
    expect(evaluateFit({}, DEFAULT_SCORING_MODEL)).toEqual({ fit: 0, matched: [] });
  });
});

describe('compileFit: the bulk evaluator a model change rescores with', () => {
  const titles = ['VP Sales', 'Head of IT', 'Engineer', 'Team Lead', 'MVP', 'Directeur Général'];
  const rules: FitRule[] = [
    ...DEFAULT_SCORING_MODEL.fitRules,
    { id: 'germany', field: 'country', op: 'in', values: ['DE', 'at'], points: 5 },
    { id: 'big-deal', field: 'dealValue', op: 'gte', value: 10_000, points: 7.5 },
    { id: 'general', field: 'title', op: 'containsAny', values: ['general', 'it'], points: -3 },
    { id: 'from-events', field: 'source.channel', op: 'equals', value: 'event', points: 2.25 },
  ];
  const leadArb: fc.Arbitrary<ScorableLead> = fc.record(
    {
      title: fc.option(fc.constantFrom(...titles), { nil: null }),
      email: fc.option(fc.constantFrom('a@acme.io', 'a@gmail.com', 'broken'), { nil: null }),
      phone: fc.option(fc.constantFrom('+1 555 0100', ''), { nil: null }),
      country: fc.option(fc.constantFrom('DE', 'de ', 'FR'), { nil: null }),
      companySize: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
      dealValue: fc.option(fc.integer({ min: 0, max: 20_000 }), { nil: null }),
      bant: fc.record({
        budget: fc.option(fc.boolean(), { nil: null }),
        timelineMonths: fc.option(fc.integer({ min: 0, max: 24 }), { nil: null }),
      }),
      source: fc.record({ channel: fc.constantFrom('event', 'web') }),
    },
    { requiredKeys: [] },
  );

  it('reads each field once, in rule order', () => {
    expect(compileFit({ fitRules: rules }).fields.slice(0, 3)).toEqual(['title', 'email', 'phone']);
    expect(new Set(compileFit({ fitRules: rules }).fields).size).toBe(
      compileFit({ fitRules: rules }).fields.length,
    );
  });

  it('gives the fit evaluateFit gives, lead after lead with its memory warm (property)', () => {
    fc.assert(
      fc.property(
        fc.subarray(rules, { minLength: 1 }),
        fc.array(leadArb, { maxLength: 30 }),
        (picked, batch) => {
          const compiled = compileFit({ fitRules: picked });
          for (const lead of batch) {
            const values = compiled.fields.map((field) => readFitField(lead, field));
            expect(compiled.fitOf(values)).toBe(evaluateFit(lead, { fitRules: picked }).fit);
            expect(compiled.fit(lead)).toBe(evaluateFit(lead, { fitRules: picked }).fit);
          }
        },
      ),
    );
  });
});
