import { deferWrite, type Executor } from '../db/client';
import type { LeadRow } from '../db/lead-row';
import { leads } from '../db/schema';
import { leadChangeRows } from '../leads/audit';
import type { Principal } from '../lib/types';
import { UPDATABLE } from './match';

export interface RowOutcome {
  rowNo: number;
  outcome: 'created' | 'updated' | 'unchanged' | 'skipped' | 'refused';
  reason: string | null;
  leadId: string | null;
  before: Record<string, unknown> | null;
  writtenAt: Date | null;
}

/*
 * Every write of this module is deferred (`deferWrite`, and `insertRows` in db/bulk-insert.ts):
 * nothing reads its result, so on the embedded file it travels with the transaction's next
 * statement or its end, and an optimistic slice (run.ts) sends them all with its one message to
 * the writer.
 */

/** Audit rows through the libSQL client: thousands a slice, where the query builder costs most. */
export async function insertAudit(tx: Executor, rows: ReturnType<typeof leadChangeRows>) {
  const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));
  for (let start = 0; start < rows.length; start += 1000) {
    const chunk = rows.slice(start, start + 1000);
    await deferWrite(tx, {
      sql: `insert into lead_audit (id, workspace_id, lead_id, field, before, after, cause, user_id, at)
            values ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
      params: chunk.flatMap((r) => [
        r.id,
        r.workspaceId,
        r.leadId,
        r.field,
        json(r.before),
        json(r.after),
        r.cause,
        r.userId,
        r.at.getTime(),
      ]),
    });
  }
}

/** The columns a matched lead's update writes, every one of them (unchanged ones keep their value). */
const WRITTEN = [...UPDATABLE, 'nameKey', 'emailKey', 'accountKey', 'fit', 'stage'] as const;

/** The matched leads' new columns in one statement a chunk, and their audit entries. */
export async function writeUpdated(
  tx: Executor,
  principal: Principal,
  updated: { before: LeadRow; after: LeadRow }[],
  now: Date,
) {
  if (!updated.length) return;
  const names = WRITTEN.map((column) => leads[column].name);
  for (let start = 0; start < updated.length; start += 100) {
    const chunk = updated.slice(start, start + 100);
    await deferWrite(tx, {
      sql: `with v(id, ${names.join(', ')}) as (values ${chunk.map(() => `(?, ${names.map(() => '?').join(', ')})`).join(', ')})
            update leads set ${names.map((name) => `${name} = v.${name}`).join(', ')}, updated_at = ?
            from v where leads.id = v.id`,
      params: [
        ...chunk.flatMap(({ after }) => [after.id, ...WRITTEN.map((column) => after[column])]),
        now.getTime(),
      ],
    });
  }
  await insertAudit(
    tx,
    updated.flatMap(({ before, after }) => leadChangeRows(principal, before, after, now)),
  );
}

/** Records each row's outcome in one statement. */
export async function recordOutcomes(tx: Executor, importId: string, outcomes: RowOutcome[]) {
  for (let start = 0; start < outcomes.length; start += 500) {
    const chunk = outcomes.slice(start, start + 500);
    await deferWrite(tx, {
      sql: `with v(row_no, outcome, reason, lead_id, before, written_at) as (values ${chunk.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')})
            update import_rows set outcome = v.outcome, reason = v.reason, lead_id = v.lead_id, before = v.before,
              written_at = v.written_at
            from v where import_rows.import_id = ? and import_rows.row_no = v.row_no`,
      params: [
        ...chunk.flatMap((o) => [
          o.rowNo,
          o.outcome,
          o.reason,
          o.leadId,
          o.before ? JSON.stringify(o.before) : null,
          o.writtenAt ? o.writtenAt.getTime() : null,
        ]),
        importId,
      ],
    });
  }
}
