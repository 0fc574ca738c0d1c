import { z } from 'zod';
import { LEAD_STAGES } from '../schemas/lead';
import { type FieldValue, matchesFitRule, readFitField, type ScorableLead } from '../scoring/fit';
import { GRADES } from '../scoring/grade';
import {
  FIT_FIELD_KINDS,
  FIT_OPERATORS,
  type FitField,
  type FitOperator,
  type FitRule,
} from '../scoring/model';

/**
 * Conditions over a lead, in the fit rules' vocabulary and operators (SCORING.md), with the fields
 * that rules other than fit need: the region of the country, the seniority of the title, the live
 * score, fit and grade, and the stage. Routing rules use them ("country in DE, AT, CH"); cadences can
 * use the same ("when a lead becomes MQL and seniority is vp").
 */
export const CONDITION_FIELD_KINDS = {
  ...FIT_FIELD_KINDS,
  region: 'string',
  seniority: 'string',
  score: 'number',
  fit: 'number',
  grade: 'string',
  stage: 'string',
} as const satisfies Record<string, 'string' | 'number' | 'boolean'>;

export type ConditionField = keyof typeof CONDITION_FIELD_KINDS;
export const CONDITION_FIELDS = Object.keys(CONDITION_FIELD_KINDS) as [ConditionField, ...ConditionField[]];

/** What a condition reads: the scorable lead, with its live figures and stage when known. */
export interface ConditionLead extends ScorableLead {
  score?: number | null;
  fit?: number | null;
  grade?: string | null;
  stage?: string | null;
}

/** Regions by ISO country code: a rule says `region equals DACH` rather than listing countries. */
const REGIONS: Record<string, readonly string[]> = {
  DACH: ['DE', 'AT', 'CH', 'LI'],
  Nordics: ['SE', 'NO', 'DK', 'FI', 'IS'],
  Benelux: ['BE', 'NL', 'LU'],
  UKI: ['GB', 'IE'],
  Southern: ['FR', 'ES', 'IT', 'PT', 'GR', 'MC', 'AD'],
  CEE: ['PL', 'CZ', 'SK', 'HU', 'RO', 'BG', 'HR', 'SI', 'RS', 'EE', 'LV', 'LT', 'UA'],
  NA: ['US', 'CA'],
  LATAM: ['MX', 'BR', 'AR', 'CL', 'CO', 'PE', 'UY', 'EC', 'VE', 'CR', 'PA'],
  APAC: ['JP', 'CN', 'IN', 'SG', 'AU', 'NZ', 'KR', 'HK', 'TW', 'ID', 'MY', 'TH', 'VN', 'PH'],
  MEA: ['AE', 'SA', 'IL', 'ZA', 'EG', 'TR', 'QA', 'KE', 'NG', 'MA'],
};
export const REGION_NAMES = Object.keys(REGIONS);

/** The region of an ISO country code, or null when none of the list holds it. */
export function regionOf(country: string | null | undefined): string | null {
  if (!country) return null;
  const code = country.trim().toUpperCase();
  for (const [region, codes] of Object.entries(REGIONS)) if (codes.includes(code)) return region;
  return null;
}

export const SENIORITIES = ['c-level', 'vp', 'director', 'head', 'manager', 'individual'] as const;
const SENIORITY_WORDS: [(typeof SENIORITIES)[number], RegExp][] = [
  [
    'c-level',
    /\b(chief|ceo|cto|cfo|coo|cmo|cro|cio|founder|co-founder|owner|president|gesch[äa]ftsf[üu]hrer|managing director)\b/i,
  ],
  ['vp', /\b(vp|svp|evp|vice[- ]president)\b/i],
  ['director', /\b(director|directeur|direktor)\b/i],
  ['head', /\b(head|leiter|leiterin|lead)\b/i],
  ['manager', /\b(manager|managerin|responsable)\b/i],
];

/** The seniority a title says (c-level, vp, director, head, manager), else individual; null without a title. */
export function seniorityOf(title: string | null | undefined): string | null {
  if (!title?.trim()) return null;
  return SENIORITY_WORDS.find(([, pattern]) => pattern.test(title))?.[0] ?? 'individual';
}

/** The value a condition sees at `field`. */
export function readConditionField(lead: ConditionLead, field: ConditionField): FieldValue {
  switch (field) {
    case 'region':
      return regionOf(lead.country);
    case 'seniority':
      return seniorityOf(lead.title);
    case 'score':
      return lead.score;
    case 'fit':
      return lead.fit;
    case 'grade':
      return lead.grade;
    case 'stage':
      return lead.stage;
    default:
      return readFitField(lead, field);
  }
}

const conditionField = z.enum(CONDITION_FIELDS, {
  error: (issue) =>
    `Unknown lead field ${JSON.stringify(issue.input)}; conditions can read: ${CONDITION_FIELDS.join(', ')}`,
});
const matchText = z.string().trim().min(1).max(200);
const base = { field: conditionField };

export const conditionSchema = z
  .discriminatedUnion(
    'op',
    [
      z.strictObject({
        ...base,
        op: z.literal('equals'),
        value: z.union([matchText, z.number(), z.boolean()]),
      }),
      z.strictObject({
        ...base,
        op: z.literal('in'),
        values: z
          .array(z.union([matchText, z.number()]))
          .min(1)
          .max(500),
      }),
      z.strictObject({ ...base, op: z.literal('containsAny'), values: z.array(matchText).min(1).max(500) }),
      z.strictObject({ ...base, op: z.literal('exists') }),
      z.strictObject({ ...base, op: z.literal('gte'), value: z.number() }),
      z.strictObject({ ...base, op: z.literal('lte'), value: z.number() }),
      z
        .strictObject({ ...base, op: z.literal('between'), min: z.number(), max: z.number() })
        .refine((c) => c.min <= c.max, { message: 'max must be at least min', path: ['max'] }),
      z.strictObject({ ...base, op: z.literal('businessEmail') }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? `Unknown operator; known operators: ${FIT_OPERATORS.join(', ')}`
          : undefined,
    },
  )
  .superRefine((condition, ctx) => {
    const kind = CONDITION_FIELD_KINDS[condition.field];
    const fits: Record<FitOperator, readonly string[]> = {
      equals: ['string', 'number', 'boolean'],
      in: ['string', 'number'],
      containsAny: ['string'],
      exists: ['string', 'number', 'boolean'],
      gte: ['number'],
      lte: ['number'],
      between: ['number'],
      businessEmail: ['string'],
    };
    if (!fits[condition.op].includes(kind)) {
      ctx.addIssue({
        code: 'custom',
        path: ['op'],
        message: `operator ${condition.op} does not fit ${condition.field}, a ${kind} field`,
      });
    } else if (condition.op === 'businessEmail' && condition.field !== 'email') {
      ctx.addIssue({ code: 'custom', path: ['field'], message: 'businessEmail reads the email field' });
    } else if (condition.op === 'equals' && typeof condition.value !== kind) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${condition.field} holds a ${kind}` });
    }
    const known: Partial<Record<ConditionField, readonly string[]>> = {
      stage: LEAD_STAGES,
      grade: GRADES,
      region: REGION_NAMES,
      seniority: SENIORITIES,
    };
    const allowed = known[condition.field];
    const given =
      condition.op === 'equals' ? [condition.value] : condition.op === 'in' ? condition.values : [];
    given.forEach((value, i) => {
      if (allowed && !allowed.some((a) => a.toLowerCase() === String(value).toLowerCase())) {
        ctx.addIssue({
          code: 'custom',
          path: condition.op === 'in' ? ['values', i] : ['value'],
          message: `${condition.field} is one of ${allowed.join(', ')}`,
        });
      }
    });
  })
  .meta({ id: 'Condition' });
export type Condition = z.infer<typeof conditionSchema>;

/** The fit field of each kind a condition on a non-fit field is tested through (the operators read only the value). */
const CARRIER: Record<'string' | 'number' | 'boolean', FitField> = {
  string: 'title',
  number: 'companySize',
  boolean: 'bant.budget',
};

/**
 * Whether a lead meets a condition, by the fit rules' own matcher (`matchesFitRule`): the same
 * trimming, case folding and word matching, so "in DE, AT" means the same in fit and in routing.
 */
export function matchesCondition(lead: ConditionLead, condition: Condition): boolean {
  const { field, ...test } = condition;
  const rule = { ...test, id: 'condition', points: 0 } as Omit<FitRule, 'field'>;
  if (field in FIT_FIELD_KINDS) return matchesFitRule(lead, { ...rule, field: field as FitField } as FitRule);
  const kind = CONDITION_FIELD_KINDS[field];
  const carrier = CARRIER[kind];
  const value = readConditionField(lead, field);
  const carried: ScorableLead =
    carrier === 'title'
      ? { title: value as string | null }
      : carrier === 'companySize'
        ? { companySize: value as number | null }
        : { bant: { budget: value as boolean | null } };
  return matchesFitRule(carried, { ...rule, field: carrier } as FitRule);
}

/** Whether a lead meets every condition (none: always). */
export function matchesAll(lead: ConditionLead, conditions: readonly Condition[]): boolean {
  return conditions.every((condition) => matchesCondition(lead, condition));
}
