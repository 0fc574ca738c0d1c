import { z } from 'zod';
import { id, isoDateTime } from './common';

const auditValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One change to one field of a lead: who made it, when, from what to what. */
export const leadAuditEntrySchema = z
  .object({
    id,
    /** The wire field: `title`, `ownerId`, `dealValue`, `bant.budget`, `stage`... */
    field: z.string(),
    before: auditValue,
    after: auditValue,
    /** `created`: the lead's first values; `rep`: a person's change; `threshold`: the score moved the stage; `sla`: an SLA breach moved the owner. */
    cause: z.enum(['created', 'rep', 'threshold', 'import', 'recycle', 'sla']),
    /** Who made it (for a threshold move: whose write set it off); null when nobody is known. */
    userId: z.string().nullable(),
    at: isoDateTime,
  })
  .meta({ id: 'LeadAuditEntry' });
export type LeadAuditEntry = z.infer<typeof leadAuditEntrySchema>;

export const leadAuditSchema = z
  .object({ leadId: id, items: z.array(leadAuditEntrySchema) })
  .meta({ id: 'LeadAudit' });
export type LeadAudit = z.infer<typeof leadAuditSchema>;
