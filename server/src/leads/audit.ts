import type { LeadAuditEntry } from '@leadline/shared';
import { and, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { newId } from '../db/ids';
import type { LeadRow } from '../db/lead-row';
import { leadAudit, stageChanges } from '../db/schema';
import type { Actor } from '../lib/types';

/** The columns a person can change, by the wire field they appear as (stage: see `stage_changes`). */
const AUDITED = {
  fullName: 'fullName',
  firstName: 'firstName',
  lastName: 'lastName',
  title: 'title',
  company: 'company',
  companyDomain: 'companyDomain',
  email: 'email',
  phone: 'phone',
  location: 'location',
  country: 'country',
  linkedinUrl: 'linkedinUrl',
  website: 'website',
  industry: 'industry',
  companySize: 'companySize',
  bantBudget: 'bant.budget',
  bantAuthority: 'bant.authority',
  bantNeed: 'bant.need',
  bantTimelineMonths: 'bant.timelineMonths',
  ownerId: 'ownerId',
  dealValue: 'dealValue',
  sourceChannel: 'source.channel',
  sourceUrl: 'source.url',
} as const satisfies Partial<Record<keyof LeadRow, string>>;

type AuditedColumn = keyof typeof AUDITED;

/**
 * Records, in the caller's transaction, each audited field that differs between `before` (null: the
 * lead was just created) and `after`, as made by `principal` at `at` (`sla`: by the SLA sweep).
 */
export async function recordLeadChanges(
  db: Executor,
  principal: Actor,
  before: LeadRow | null,
  after: LeadRow,
  at: Date,
  cause: 'rep' | 'sla' = 'rep',
) {
  const rows = leadChangeRows(principal, before, after, at, cause);
  if (rows.length) await db.insert(leadAudit).values(rows);
}

/** The audit rows of one change, for a caller that writes many leads' rows in one insert (an import). */
export function leadChangeRows(
  principal: Actor,
  before: LeadRow | null,
  after: LeadRow,
  at: Date,
  cause: 'rep' | 'sla' = 'rep',
) {
  return (Object.keys(AUDITED) as AuditedColumn[])
    .filter((column) => (before ? before[column] !== after[column] : after[column] !== null))
    .map((column) => ({
      id: newId(),
      workspaceId: principal.workspaceId,
      leadId: after.id,
      field: AUDITED[column],
      before: before ? before[column] : null,
      after: after[column],
      cause: before ? cause : ('created' as const),
      userId: principal.userId,
      at,
    }));
}

/** A lead's whole history of changes, newest first: its field changes and its stage moves. */
export async function leadHistory(
  db: Executor,
  workspaceId: string,
  leadId: string,
): Promise<LeadAuditEntry[]> {
  const [fields, stages] = await Promise.all([
    db
      .select()
      .from(leadAudit)
      .where(and(eq(leadAudit.workspaceId, workspaceId), eq(leadAudit.leadId, leadId))),
    db
      .select()
      .from(stageChanges)
      .where(and(eq(stageChanges.workspaceId, workspaceId), eq(stageChanges.leadId, leadId))),
  ]);
  const entries: (LeadAuditEntry & { ms: number })[] = [
    ...fields.map((row) => ({
      id: row.id,
      field: row.field,
      before: row.before ?? null,
      after: row.after ?? null,
      cause: row.cause,
      userId: row.userId,
      at: row.at.toISOString(),
      ms: row.at.getTime(),
    })),
    ...stages.map((row) => ({
      id: row.id,
      field: 'stage',
      before: row.fromStage,
      after: row.toStage,
      cause: row.cause,
      userId: row.userId,
      at: row.at.toISOString(),
      ms: row.at.getTime(),
    })),
  ];
  return entries.sort((a, b) => b.ms - a.ms || (a.id < b.id ? 1 : -1)).map(({ ms, ...entry }) => entry);
}
