import { z } from 'zod';
import { TOUCHPOINT_TYPES, type TouchpointType } from '../touchpoint-types';
import { GRADES } from './grade';
import { words } from './words';

/**
 * The lead fields a fit rule may read, as dotted paths, with the kind of value each holds. A
 * whitelist rather than free paths: a typo in a model is a 422 naming it, not a rule that never fires.
 */
export const FIT_FIELD_KINDS = {
  title: 'string',
  email: 'string',
  phone: 'string',
  company: 'string',
  companyDomain: 'string',
  companySize: 'number',
  industry: 'string',
  country: 'string',
  location: 'string',
  fullName: 'string',
  firstName: 'string',
  lastName: 'string',
  linkedinUrl: 'string',
  website: 'string',
  dealValue: 'number',
  'bant.budget': 'boolean',
  'bant.authority': 'boolean',
  'bant.need': 'boolean',
  'bant.timelineMonths': 'number',
  'source.channel': 'string',
  'source.url': 'string',
  'source.utm.source': 'string',
  'source.utm.medium': 'string',
  'source.utm.campaign': 'string',
  'source.utm.term': 'string',
  'source.utm.content': 'string',
} as const satisfies Record<string, 'string' | 'number' | 'boolean'>;

export type FitField = keyof typeof FIT_FIELD_KINDS;
export type FitFieldKind = (typeof FIT_FIELD_KINDS)[FitField];

/** Every field a fit rule may name, in the order of {@link FIT_FIELD_KINDS}. */
export const FIT_FIELDS = Object.keys(FIT_FIELD_KINDS) as [FitField, ...FitField[]];

/** The fit rule operators of SCORING.md. */
export const FIT_OPERATORS = [
  'equals',
  'in',
  'containsAny',
  'exists',
  'gte',
  'lte',
  'between',
  'businessEmail',
] as const;
export type FitOperator = (typeof FIT_OPERATORS)[number];

const fitField = z.enum(FIT_FIELDS, {
  error: (issue) =>
    `Unknown lead field ${JSON.stringify(issue.input)}; fit rules can read: ${FIT_FIELDS.join(', ')}`,
});

const ruleId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'a rule id of letters, digits, "-", "_", "." or ":"');

/**
 * Points of a rule or a touchpoint type: negative points are allowed (a penalty rule, an
 * unsubscribe), within +-1,000, so no history of touchpoints can add up to a non-finite figure.
 */
export const MAX_POINTS = 1000;
const points = z
  .number()
  .min(-MAX_POINTS, `points must be at least -${MAX_POINTS}`)
  .max(MAX_POINTS, `points must be at most ${MAX_POINTS}`);

/** Strings in `equals`/`in` are compared trimmed and case-insensitively, so they must say something. */
const matchText = z.string().trim().min(1).max(200);
const matchWords = z
  .string()
  .max(200)
  .refine((value) => words(value).length > 0, 'a word or phrase with at least one letter or digit');

const ruleBase = { id: ruleId, field: fitField, points };

const equalsRule = z.strictObject({
  ...ruleBase,
  op: z.literal('equals'),
  value: z.union([matchText, z.number(), z.boolean()]),
});
const inRule = z.strictObject({
  ...ruleBase,
  op: z.literal('in'),
  values: z
    .array(z.union([matchText, z.number()]))
    .min(1)
    .max(500),
});
const containsAnyRule = z.strictObject({
  ...ruleBase,
  op: z.literal('containsAny'),
  values: z.array(matchWords).min(1).max(500),
});
const existsRule = z.strictObject({ ...ruleBase, op: z.literal('exists') });
const gteRule = z.strictObject({ ...ruleBase, op: z.literal('gte'), value: z.number() });
const lteRule = z.strictObject({ ...ruleBase, op: z.literal('lte'), value: z.number() });
const betweenRule = z
  .strictObject({ ...ruleBase, op: z.literal('between'), min: z.number(), max: z.number() })
  .refine((rule) => rule.min <= rule.max, { message: 'max must be at least min', path: ['max'] });
const businessEmailRule = z.strictObject({ ...ruleBase, op: z.literal('businessEmail') });

/** One fit rule: adds `points` to fit when the lead's `field` matches. */
export const fitRuleSchema = z.discriminatedUnion(
  'op',
  [equalsRule, inRule, containsAnyRule, existsRule, gteRule, lteRule, betweenRule, businessEmailRule],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `Unknown rule operator ${JSON.stringify(opOf(issue.input))}; known operators: ${FIT_OPERATORS.join(', ')}`
        : undefined,
  },
);
export type FitRule = z.infer<typeof fitRuleSchema>;

function opOf(input: unknown): unknown {
  return typeof input === 'object' && input !== null && 'op' in input ? input.op : undefined;
}

/** Which field kinds each operator can read; `null` means any. */
const OPERATOR_KINDS: Record<FitOperator, readonly FitFieldKind[] | null> = {
  equals: null,
  in: ['string', 'number'],
  containsAny: ['string'],
  exists: null,
  gte: ['number'],
  lte: ['number'],
  between: ['number'],
  businessEmail: ['string'],
};

/**
 * The checks a per-rule schema cannot make: an operator on a field it cannot read (`between` on a
 * title would silently never match), values of the wrong kind, and duplicate ids (the breakdown
 * names rules by id, so two with one id would be ambiguous to the rep).
 */
function checkRules(rules: readonly FitRule[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  rules.forEach((rule, index) => {
    const where = `fitRules[${index}] (${rule.id})`;
    const earlier = seen.get(rule.id);
    if (earlier !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'id'],
        message: `${where}: duplicate rule id ${JSON.stringify(rule.id)}, already used by fitRules[${earlier}]`,
      });
    } else seen.set(rule.id, index);

    const kind = FIT_FIELD_KINDS[rule.field];
    const allowed = OPERATOR_KINDS[rule.op];
    if (allowed && !allowed.includes(kind)) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'field'],
        message: `${where}: operator ${rule.op} cannot read ${rule.field}, a ${kind} field`,
      });
      return;
    }
    if (rule.op === 'businessEmail' && rule.field !== 'email') {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'field'],
        message: `${where}: operator businessEmail reads the email field, not ${rule.field}`,
      });
    }
    if (rule.op === 'equals' && typeof rule.value !== kind) {
      ctx.addIssue({
        code: 'custom',
        path: [index, 'value'],
        message: `${where}: ${rule.field} holds a ${kind}, so value must be a ${kind}`,
      });
    }
    if (rule.op === 'in') {
      rule.values.forEach((value, valueIndex) => {
        if (typeof value !== kind) {
          ctx.addIssue({
            code: 'custom',
            path: [index, 'values', valueIndex],
            message: `${where}: ${rule.field} holds a ${kind}, so values[${valueIndex}] must be a ${kind}`,
          });
        }
      });
    }
  });
}

const touchpointPointsShape = Object.fromEntries(
  TOUCHPOINT_TYPES.map((type) => [
    type,
    z
      .number({
        error: (issue) =>
          issue.input === undefined
            ? `touchpointPoints.${type} is missing: every known touchpoint type needs its points`
            : `touchpointPoints.${type} must be a finite number`,
      })
      .min(-MAX_POINTS, `touchpointPoints.${type} must be at least -${MAX_POINTS}`)
      .max(MAX_POINTS, `touchpointPoints.${type} must be at most ${MAX_POINTS}`),
  ]),
) as Record<TouchpointType, z.ZodNumber>;

/** Points per touchpoint type: exactly the known types, none missing and none unknown. */
export const touchpointPointsSchema = z.strictObject(touchpointPointsShape, {
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `Unknown touchpoint type${issue.keys.length > 1 ? 's' : ''} in touchpointPoints: ${issue.keys.join(', ')}; known types: ${TOUCHPOINT_TYPES.join(', ')}`
      : undefined,
});

/**
 * How engagement points map onto the score's 0..100 engagement part. `saturating` (the default
 * model's) keeps very active leads in their order; `cap` is the first version's `min(e, 100)`.
 */
export const engagementCurveSchema = z
  .discriminatedUnion(
    'kind',
    [
      z.strictObject({
        kind: z.literal('saturating'),
        halfAt: z
          .number()
          .min(0.1, 'engagementCurve.halfAt must be at least 0.1: the engagement that counts 50')
          .max(100_000, 'engagementCurve.halfAt must be at most 100,000'),
      }),
      z.strictObject({ kind: z.literal('cap') }),
    ],
    {
      error: (issue) =>
        issue.code === 'invalid_union'
          ? 'engagementCurve.kind must be "saturating" (with halfAt) or "cap"'
          : undefined,
    },
  )
  .meta({ id: 'EngagementCurve' });
export type EngagementCurve = z.infer<typeof engagementCurveSchema>;

/** Weights may be off by float noise (0.1 + 0.2), never by more. */
const WEIGHT_SUM_TOLERANCE = 1e-9;

/**
 * The scoring model document of SCORING.md, read by `GET /api/scoring-model` and replaced by
 * `PUT /api/scoring-model`. Every object is strict, so a misspelt key is refused by name.
 *
 * `halfLifeDays` must be at least one hour (1/24): the contract only says "positive", but a
 * half-life of a few milliseconds makes `(t - L) / halfLife` so large that the log-space ranking
 * key loses its precision (see forward-decay.ts); `null` switches decay off.
 *
 * @example
 * scoringModelSchema.parse(DEFAULT_SCORING_MODEL).halfLifeDays; // 30
 * scoringModelSchema.safeParse({ ...DEFAULT_SCORING_MODEL, halfLifeDays: 0 }).success; // false
 */
export const scoringModelSchema = z
  .strictObject({
    halfLifeDays: z
      .number()
      .min(1 / 24, 'halfLifeDays must be at least one hour (1/24 of a day), or null for no decay')
      .max(3650, 'halfLifeDays must be at most ten years (3650 days), or null for no decay')
      .nullable(),
    // A stored model written before curves existed has none: it keeps meaning `cap`.
    engagementCurve: engagementCurveSchema.default({ kind: 'cap' }),
    weights: z
      .strictObject({ fit: z.number().min(0).max(1), engagement: z.number().min(0).max(1) })
      .refine((weights) => Math.abs(weights.fit + weights.engagement - 1) <= WEIGHT_SUM_TOLERANCE, {
        message: 'weights.fit + weights.engagement must sum to 1',
      }),
    thresholds: z.strictObject({
      mql: z.number().min(0).max(100),
      sql: z.number().min(0).max(100),
      sqlMinGrade: z.enum(GRADES, {
        error: (issue) =>
          `thresholds.sqlMinGrade must be one of ${GRADES.join(', ')}, not ${JSON.stringify(issue.input)}`,
      }),
    }),
    touchpointPoints: touchpointPointsSchema,
    fitRules: z.array(fitRuleSchema).max(200).superRefine(checkRules),
  })
  .meta({ id: 'ScoringModel' });

export type ScoringModel = z.infer<typeof scoringModelSchema>;
/** A model as a client may send it: `engagementCurve` may be left out (it then means `cap`). */
export type ScoringModelInput = z.input<typeof scoringModelSchema>;
export type ScoringWeights = ScoringModel['weights'];
export type ScoringThresholds = ScoringModel['thresholds'];
export type TouchpointPoints = ScoringModel['touchpointPoints'];
