// The shared list normalize/ also uses to refuse free-mail company domains: one list, one answer.
import { isFreeMailDomain } from '../normalize/free-mail-domains';
import type { FitField, FitRule, ScoringModel } from './model';
import { roundTo } from './round';
import { indexOfWords, words } from './words';

/**
 * What fit reads from a lead: the wire lead's fields, every one optional and nullable, so the
 * server can pass a row, the side panel an unsaved preview, and tests a literal.
 */
export interface ScorableLead {
  title?: string | null;
  email?: string | null;
  phone?: string | null;
  company?: string | null;
  companyDomain?: string | null;
  companySize?: number | null;
  industry?: string | null;
  country?: string | null;
  location?: string | null;
  fullName?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  linkedinUrl?: string | null;
  website?: string | null;
  dealValue?: number | null;
  bant?: {
    budget?: boolean | null;
    authority?: boolean | null;
    need?: boolean | null;
    timelineMonths?: number | null;
  } | null;
  source?: {
    channel?: string | null;
    url?: string | null;
    utm?: {
      source?: string | null;
      medium?: string | null;
      campaign?: string | null;
      term?: string | null;
      content?: string | null;
    } | null;
  } | null;
}

/** A fit rule that matched, with the points it added. */
export interface FitMatch {
  ruleId: string;
  field: FitField;
  points: number;
}

export interface FitResult {
  /** Sum of matched rules' points, clamped to 0..100 and rounded to 2 decimals. */
  fit: number;
  /** Matched rules in model order. */
  matched: FitMatch[];
}

export type FieldValue = string | number | boolean | null | undefined;

/** A typed reader per whitelisted field: no dynamic property walk over caller data. */
const READERS: Record<FitField, (lead: ScorableLead) => FieldValue> = {
  title: (lead) => lead.title,
  email: (lead) => lead.email,
  phone: (lead) => lead.phone,
  company: (lead) => lead.company,
  companyDomain: (lead) => lead.companyDomain,
  companySize: (lead) => lead.companySize,
  industry: (lead) => lead.industry,
  country: (lead) => lead.country,
  location: (lead) => lead.location,
  fullName: (lead) => lead.fullName,
  firstName: (lead) => lead.firstName,
  lastName: (lead) => lead.lastName,
  linkedinUrl: (lead) => lead.linkedinUrl,
  website: (lead) => lead.website,
  dealValue: (lead) => lead.dealValue,
  'bant.budget': (lead) => lead.bant?.budget,
  'bant.authority': (lead) => lead.bant?.authority,
  'bant.need': (lead) => lead.bant?.need,
  'bant.timelineMonths': (lead) => lead.bant?.timelineMonths,
  'source.channel': (lead) => lead.source?.channel,
  'source.url': (lead) => lead.source?.url,
  'source.utm.source': (lead) => lead.source?.utm?.source,
  'source.utm.medium': (lead) => lead.source?.utm?.medium,
  'source.utm.campaign': (lead) => lead.source?.utm?.campaign,
  'source.utm.term': (lead) => lead.source?.utm?.term,
  'source.utm.content': (lead) => lead.source?.utm?.content,
};

/**
 * The value a fit rule sees at a dotted field path (`bant.budget`, `source.channel`...).
 *
 * @example
 * readFitField({ bant: { budget: true } }, 'bant.budget'); // true
 * readFitField({}, 'title');                               // undefined
 */
export function readFitField(lead: ScorableLead, field: FitField): FieldValue {
  return READERS[field](lead);
}

/** Strings compare trimmed and case-insensitively: "Software" in a rule matches "software" in a lead. */
function sameValue(actual: FieldValue, expected: string | number | boolean): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') {
    return actual.trim().toLowerCase() === expected.trim().toLowerCase();
  }
  return actual === expected;
}

function isPresent(value: FieldValue): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  return typeof value !== 'number' || Number.isFinite(value);
}

/**
 * A business address: well formed, with a domain that is not a free-mail or disposable provider.
 *
 * @example
 * isBusinessEmail('ana@acme.io');   // true
 * isBusinessEmail('ana@gmail.com'); // false
 */
export function isBusinessEmail(email: string): boolean {
  const trimmed = email.trim();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0) return false;
  const domain = trimmed.slice(at + 1).toLowerCase();
  if (!/^([a-z0-9-]+\.)+[a-z0-9-]{2,}$/.test(domain)) return false;
  return !isFreeMailDomain(domain);
}

/**
 * One rule's test of a field value, with its phrases split into words once: a rule is compiled
 * once and then applied to many leads.
 */
function ruleTest(rule: FitRule): (value: FieldValue) => boolean {
  switch (rule.op) {
    case 'exists':
      return isPresent;
    case 'equals':
      return (value) => sameValue(value, rule.value);
    case 'in':
      return (value) => rule.values.some((candidate) => sameValue(value, candidate));
    case 'containsAny': {
      const phrases = rule.values.map(words);
      return (value) => {
        if (typeof value !== 'string') return false;
        const haystack = words(value);
        return phrases.some((phrase) => indexOfWords(haystack, phrase) >= 0);
      };
    }
    case 'gte':
      return (value) => typeof value === 'number' && value >= rule.value;
    case 'lte':
      return (value) => typeof value === 'number' && value <= rule.value;
    case 'between':
      return (value) => typeof value === 'number' && value >= rule.min && value <= rule.max;
    case 'businessEmail':
      return (value) => typeof value === 'string' && isBusinessEmail(value);
  }
}

/**
 * Whether one fit rule matches a lead. A missing field never matches, except that `exists` is
 * exactly the question "is it there" (a `false` BANT answer exists: the question was asked).
 *
 * @example
 * matchesFitRule({ title: 'VP, Sales' },
 *   { id: 'vp', field: 'title', op: 'containsAny', values: ['vp'], points: 30 }); // true
 */
export function matchesFitRule(lead: ScorableLead, rule: FitRule): boolean {
  return ruleTest(rule)(readFitField(lead, rule.field));
}

const clampFit = (sum: number) => roundTo(Math.min(100, Math.max(0, sum)), 2);

/** Distinct text values a compiled rule remembers its answer for before it starts over. */
const MEMO_LIMIT = 50_000;

export interface CompiledFit {
  /** The fields the rules read, each once: the order `fitOf` takes their values in. */
  fields: FitField[];
  /** Fit from the values of `fields`, in that order. Equals `evaluateFit(lead).fit`. */
  fitOf(values: readonly FieldValue[]): number;
  /** Fit of a lead, its fields read as `evaluateFit` reads them. Equals `evaluateFit(lead).fit`. */
  fit(lead: ScorableLead): number;
}

/**
 * The fit rules compiled for scoring many leads at once (a model change rescoring a workspace, an
 * import's slice):
 * phrases are split into words once, and each text rule remembers its answer per distinct value,
 * since titles and e-mail domains repeat across thousands of leads.
 *
 * @example
 * const compiled = compileFit(DEFAULT_SCORING_MODEL);
 * compiled.fields;                       // ['title', 'email', 'phone', ...]
 * compiled.fitOf(['Head of Sales', 'ana@acme.io']); // 45
 */
export function compileFit(model: Pick<ScoringModel, 'fitRules'>): CompiledFit {
  const fields = [...new Set(model.fitRules.map((rule) => rule.field))];
  const rules = model.fitRules.map((rule) => {
    const test = ruleTest(rule);
    const memo = new Map<string, boolean>();
    const remembered = (value: FieldValue) => {
      if (typeof value !== 'string') return test(value);
      let answer = memo.get(value);
      if (answer === undefined) {
        if (memo.size >= MEMO_LIMIT) memo.clear();
        answer = test(value);
        memo.set(value, answer);
      }
      return answer;
    };
    return { slot: fields.indexOf(rule.field), points: rule.points, test: remembered };
  });
  const fitOf = (values: readonly FieldValue[]) => {
    let sum = 0;
    for (const rule of rules) if (rule.test(values[rule.slot])) sum += rule.points;
    return clampFit(sum);
  };
  return {
    fields,
    fitOf,
    fit: (lead) => fitOf(fields.map((field) => readFitField(lead, field))),
  };
}

/**
 * Fit of a lead: the sum of the points of the rules that match, clamped to 0..100. Rounded to two
 * decimals so fractional points (0.1 + 0.2) never leave float noise that flips a grade boundary.
 *
 * @example
 * evaluateFit({ title: 'Head of Sales', email: 'ana@acme.io' }, DEFAULT_SCORING_MODEL);
 * // { fit: 45, matched: [{ ruleId: 'senior-title', field: 'title', points: 30 },
 * //                      { ruleId: 'business-email', field: 'email', points: 15 }] }
 */
export function evaluateFit(lead: ScorableLead, model: Pick<ScoringModel, 'fitRules'>): FitResult {
  const matched: FitMatch[] = [];
  let sum = 0;
  for (const rule of model.fitRules) {
    if (!matchesFitRule(lead, rule)) continue;
    matched.push({ ruleId: rule.id, field: rule.field, points: rule.points });
    sum += rule.points;
  }
  return { fit: clampFit(sum), matched };
}
