import { z } from 'zod';
import { leadListQuerySchema } from './lead';

/** The columns a leads CSV export may have, in their default order (all of them). */
export const LEAD_EXPORT_COLUMNS = [
  'id',
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
  'score',
  'grade',
  'fit',
  'engagement',
  'ownerId',
  'ownerName',
  'sourceChannel',
  'sourceUrl',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'utmTerm',
  'utmContent',
  'dealValue',
  'expectedCloseDate',
  'closeReason',
  'bantBudget',
  'bantAuthority',
  'bantNeed',
  'bantTimelineMonths',
  'lastTouchAt',
  'createdAt',
  'updatedAt',
] as const;
export type LeadExportColumn = (typeof LEAD_EXPORT_COLUMNS)[number];

const COLUMN_SET = new Set<string>(LEAD_EXPORT_COLUMNS);

/** The lead list's filters (stage, open, owner, channel, q), the columns, and the moment to score at. */
export const leadExportQuerySchema = leadListQuerySchema
  .pick({ stage: true, open: true, owner: true, channel: true, q: true })
  .extend({
    /** Comma-separated, in the order wanted; all columns when absent. */
    columns: z
      .string()
      .max(2000)
      .optional()
      .transform((value, ctx) => {
        if (value === undefined) return [...LEAD_EXPORT_COLUMNS];
        const names = value
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean);
        const unknown = names.filter((name) => !COLUMN_SET.has(name));
        if (unknown.length || !names.length) {
          ctx.addIssue({
            code: 'custom',
            message: unknown.length
              ? `unknown column ${unknown.map((name) => JSON.stringify(name)).join(', ')}; the columns are ${LEAD_EXPORT_COLUMNS.join(', ')}`
              : 'name at least one column',
          });
          return z.NEVER;
        }
        return [...new Set(names)] as LeadExportColumn[];
      })
      .meta({ description: `Comma-separated columns: ${LEAD_EXPORT_COLUMNS.join(', ')}`, type: 'string' }),
    /** Score as of this moment (default: now). */
    at: z.iso.datetime({ offset: true }).optional(),
  });
export type LeadExportQuery = z.infer<typeof leadExportQuerySchema>;
