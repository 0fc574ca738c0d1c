import { z } from 'zod';
import { id, isoDateTime, text } from './common';

export const LEAD_STAGES = [
  'new',
  'mql',
  'sql',
  'opportunity',
  'won',
  'lost',
  'nurture',
  'disqualified',
] as const;
export const leadStage = z.enum(LEAD_STAGES);
export type LeadStage = z.infer<typeof leadStage>;

/**
 * What a rep reads for each stage, in funnel order (the side panel's badges, the dashboard).
 *
 * @example
 * STAGE_LABELS.mql; // 'MQL'
 */
export const STAGE_LABELS: Readonly<Record<LeadStage, string>> = {
  new: 'New',
  mql: 'MQL',
  sql: 'SQL',
  opportunity: 'Opportunity',
  won: 'Won',
  lost: 'Lost',
  nurture: 'Nurture',
  disqualified: 'Disqualified',
};

/** Stages that close a deal: a lead in one has left the pipeline (and the hot list). */
export const CLOSED_STAGES: readonly LeadStage[] = ['won', 'lost'];

export const SOURCE_CHANNELS = ['linkedin', 'email', 'web', 'manual', 'import', 'referral', 'event'] as const;
export const sourceChannel = z.enum(SOURCE_CHANNELS);
export type SourceChannel = z.infer<typeof sourceChannel>;

export const utmSchema = z
  .object({
    source: text(200).optional(),
    medium: text(200).optional(),
    campaign: text(200).optional(),
    term: text(200).optional(),
    content: text(200).optional(),
  })
  .strict();

export const sourceSchema = z
  .object({
    channel: sourceChannel,
    url: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .optional(),
    utm: utmSchema.optional(),
  })
  .strict();
export type LeadSource = z.infer<typeof sourceSchema>;

export const bantSchema = z
  .object({
    budget: z.boolean().nullable().optional(),
    authority: z.boolean().nullable().optional(),
    need: z.boolean().nullable().optional(),
    timelineMonths: z.number().int().min(0).max(120).nullable().optional(),
  })
  .strict();
export type Bant = z.infer<typeof bantSchema>;

const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);

/** The fields a client may write on a lead. */
const leadFields = {
  fullName: text(200).optional(),
  firstName: text(100).optional(),
  lastName: text(100).optional(),
  title: text(200).optional(),
  company: text(200).optional(),
  companyDomain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'a bare domain such as acme.com')
    .optional(),
  email: z.string().trim().toLowerCase().max(320).pipe(z.email()).optional(),
  phone: text(40).optional(),
  location: text(200).optional(),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code such as DE')
    .optional(),
  linkedinUrl: httpUrl.optional(),
  website: httpUrl.optional(),
  industry: text(200).optional(),
  companySize: z.number().int().min(1).max(10_000_000).optional(),
  bant: bantSchema.optional(),
  ownerId: id.optional(),
  stage: leadStage.optional(),
  dealValue: z.number().min(0).max(1e12).optional(),
  /** The day the rep expects the deal to close (a calendar date, no time). */
  expectedCloseDate: z.iso.date().optional(),
  /** Why the deal was won or lost: one of the workspace's reasons, or "Other: ..." in the rep's words. */
  closeReason: text(300).optional(),
};

const needsIdentity = (lead: { fullName?: string; email?: string; linkedinUrl?: string }) =>
  Boolean(lead.fullName || lead.email || lead.linkedinUrl);

export const leadCreateSchema = z
  .object({ ...leadFields, source: sourceSchema.optional() })
  .strict()
  .refine(needsIdentity, {
    message: 'A lead needs at least one of fullName, email or linkedinUrl',
    path: ['fullName'],
  })
  .meta({ id: 'LeadCreate' });
export type LeadCreate = z.infer<typeof leadCreateSchema>;

/** PATCH: any writable field; `null` clears a field. */
export const leadPatchSchema = z
  .object(
    Object.fromEntries(
      Object.entries(leadFields).map(([key, schema]) => [key, key === 'stage' ? schema : schema.nullable()]),
    ) as {
      [K in keyof typeof leadFields]: K extends 'stage'
        ? (typeof leadFields)[K]
        : z.ZodNullable<(typeof leadFields)[K]>;
    },
  )
  .strict()
  .meta({ id: 'LeadPatch' });
export type LeadPatch = z.infer<typeof leadPatchSchema>;

export const leadSchema = z
  .object({
    id,
    fullName: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    title: z.string().nullable(),
    company: z.string().nullable(),
    companyDomain: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    location: z.string().nullable(),
    country: z.string().nullable(),
    linkedinUrl: z.string().nullable(),
    website: z.string().nullable(),
    industry: z.string().nullable(),
    companySize: z.number().nullable(),
    bant: z.object({
      budget: z.boolean().nullable(),
      authority: z.boolean().nullable(),
      need: z.boolean().nullable(),
      timelineMonths: z.number().nullable(),
    }),
    source: z.object({
      channel: sourceChannel,
      url: z.string().nullable(),
      utm: z.object({
        source: z.string().nullable(),
        medium: z.string().nullable(),
        campaign: z.string().nullable(),
        term: z.string().nullable(),
        content: z.string().nullable(),
      }),
    }),
    ownerId: z.string().nullable(),
    stage: leadStage,
    dealValue: z.number().nullable(),
    expectedCloseDate: z.string().nullable(),
    closeReason: z.string().nullable(),
    score: z.number(),
    fit: z.number(),
    engagement: z.number(),
    grade: z.enum(['A', 'B', 'C', 'D', 'F']),
    lastTouchAt: isoDateTime.nullable(),
    createdAt: isoDateTime,
    updatedAt: isoDateTime,
  })
  .meta({ id: 'Lead' });
export type Lead = z.infer<typeof leadSchema>;

export const LEAD_SORTS = ['-score', '-createdAt', '-lastTouchAt'] as const;

export const leadListQuerySchema = z.object({
  stage: leadStage.optional(),
  /** `true`: open leads only (neither won nor lost), what "Hot leads" shows. */
  open: z.enum(['true', 'false']).optional(),
  /** `true`: each lead comes with its most urgent next step (the hot list's rows). */
  withNextStep: z.enum(['true', 'false']).optional(),
  owner: z.string().max(64).optional(),
  /** `true`: leads nobody has touched yet (no touchpoint has happened): with `owner`, "assigned to me, not yet touched". */
  untouched: z.enum(['true', 'false']).optional(),
  channel: sourceChannel.optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(LEAD_SORTS).default('-createdAt'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});
export type LeadListQuery = z.infer<typeof leadListQuerySchema>;

/** A list row's most urgent next step (`withNextStep=true`), as in the lead's score response. */
const topNextStepSchema = z.object({
  id: z.string(),
  title: z.string(),
  reason: z.string(),
  suggestedTouchpoint: z.string().nullable(),
});

export const leadListSchema = z
  .object({
    items: z.array(leadSchema.extend({ topNextStep: topNextStepSchema.nullable().optional() })),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'LeadList' });

export const leadMatchQuerySchema = z
  .object({
    email: z.string().trim().max(320).optional(),
    linkedinUrl: z.string().trim().max(2048).optional(),
    fullName: z.string().trim().max(200).optional(),
    companyDomain: z.string().trim().max(253).optional(),
    /** The company's name, for pages that name the employer but not its domain (LinkedIn). */
    company: z.string().trim().max(200).optional(),
  })
  .refine((q) => q.email || q.linkedinUrl || (q.fullName && (q.companyDomain || q.company)), {
    message: 'Give email, linkedinUrl, or fullName together with companyDomain or company',
  });

export const MATCH_REASONS = ['linkedinUrl', 'email', 'nameAndDomain', 'nameAndCompany'] as const;
export const leadMatchSchema = z
  .object({
    match: z
      .object({
        lead: leadSchema,
        reason: z.enum(MATCH_REASONS),
        /** 1 for exact keys; the name similarity for a fuzzy name + domain match (confirm before merging). */
        confidence: z.number().min(0).max(1),
        needsConfirmation: z.boolean(),
      })
      .nullable(),
  })
  .meta({ id: 'LeadMatch' });
export type LeadMatch = z.infer<typeof leadMatchSchema>;
