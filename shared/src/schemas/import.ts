import { z } from 'zod';
import { id, isoDateTime } from './common';

/** What a CSV column can become on a lead; `notes` gathers columns into one note, `skip` drops one. */
export const IMPORT_TARGETS = [
  'skip',
  'notes',
  'fullName',
  'firstName',
  'lastName',
  'email',
  'phone',
  'title',
  'company',
  'companyDomain',
  'website',
  'linkedinUrl',
  'location',
  'country',
  'industry',
  'companySize',
  'stage',
  'leadSource',
  'campaign',
  'createdAt',
  'owner',
  'dealValue',
] as const;
export const importTarget = z.enum(IMPORT_TARGETS);
export type ImportTarget = z.infer<typeof importTarget>;

/** What a row that matches a known lead does: nothing, fill the lead's empty fields, or overwrite them. */
export const IMPORT_POLICIES = ['skip', 'fill', 'overwrite'] as const;
export const importPolicy = z.enum(IMPORT_POLICIES);
export type ImportPolicy = z.infer<typeof importPolicy>;

export const IMPORT_STATUSES = ['staged', 'running', 'done', 'failed', 'undoing', 'undone'] as const;
export const importStatus = z.enum(IMPORT_STATUSES);
export type ImportStatus = z.infer<typeof importStatus>;

export const importChangeSchema = z.object({
  field: z.string(),
  from: z.union([z.string(), z.number(), z.null()]),
  to: z.union([z.string(), z.number(), z.null()]),
});

/** A row shown as an example of what the dry run found. */
export const importExampleSchema = z
  .object({
    row: z.number().int(),
    line: z.number().int(),
    /** The row's values by target, normalised as they would be stored. */
    values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
    leadId: id.nullable(),
    matchedBy: z.enum(['linkedinUrl', 'email', 'nameAndDomain', 'nameAndCompany']).nullable(),
    reason: z.string().nullable(),
    changes: z.array(importChangeSchema),
  })
  .meta({ id: 'ImportExample' });
export type ImportExample = z.infer<typeof importExampleSchema>;

export const importDryRunSchema = z
  .object({
    rows: z.number().int(),
    create: z.number().int(),
    /** Rows that match a lead already known (LinkedIn URL, e-mail key, name + company). */
    match: z.number().int(),
    /** Of the matches, those the policy would change, and how often each field. */
    update: z.number().int(),
    fieldUpdates: z.record(z.string(), z.number().int()),
    invalid: z.number().int(),
    reasons: z.array(z.object({ reason: z.string(), count: z.number().int() })),
    examples: z.object({
      create: z.array(importExampleSchema),
      match: z.array(importExampleSchema),
      invalid: z.array(importExampleSchema),
    }),
  })
  .meta({ id: 'ImportDryRun' });
export type ImportDryRun = z.infer<typeof importDryRunSchema>;

export const importProgressSchema = z.object({
  done: z.number().int(),
  total: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  refused: z.number().int(),
  /** Rows a second since the run started; null before it has. */
  rowsPerSecond: z.number().nullable(),
  secondsLeft: z.number().nullable(),
});

export const importSchema = z
  .object({
    id,
    fileName: z.string(),
    campaign: z.string().nullable(),
    status: importStatus,
    encoding: z.string(),
    delimiter: z.string(),
    headers: z.array(z.string()),
    mapping: z.array(importTarget),
    /** What the header recognition proposes, whatever mapping is chosen now. */
    suggestedMapping: z.array(importTarget),
    /** Whether `mapping` came from the mapping saved for these headers last time. */
    mappingSaved: z.boolean(),
    policy: importPolicy,
    dryRun: importDryRunSchema.nullable(),
    progress: importProgressSchema,
    error: z.string().nullable(),
    createdBy: id,
    createdAt: isoDateTime,
    startedAt: isoDateTime.nullable(),
    finishedAt: isoDateTime.nullable(),
    undoneAt: isoDateTime.nullable(),
  })
  .meta({ id: 'Import' });
export type Import = z.infer<typeof importSchema>;

export const importListSchema = z
  .object({ imports: z.array(importSchema.omit({ dryRun: true })) })
  .meta({ id: 'ImportList' });

export const importUpdateSchema = z
  .object({
    mapping: z.array(importTarget).max(500).optional(),
    policy: importPolicy.optional(),
    campaign: z.string().trim().max(200).nullable().optional(),
  })
  .strict()
  .meta({ id: 'ImportUpdate' });
export type ImportUpdate = z.infer<typeof importUpdateSchema>;

export const importUploadQuerySchema = z.object({
  fileName: z.string().trim().min(1).max(255).optional(),
  campaign: z.string().trim().max(200).optional(),
});
