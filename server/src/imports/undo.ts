import { and, eq, inArray } from 'drizzle-orm';
import { type Database, type Executor, statementRunner } from '../db/client';
import { emitEvent, emitEvents } from '../db/events';
import { events, imports, leads } from '../db/schema';
import { recordLeadChanges } from '../leads/audit';
import { ProblemException } from '../lib/problem';
import type { Principal } from '../lib/types';
import { rescoreLead } from '../scoring/lead-scoring';
import { activeModel } from '../scoring/model.service';

type ImportRow = typeof imports.$inferSelect;
type Claim = (tx: Executor, job: ImportRow, owner: string, now: Date) => Promise<boolean>;

/**
 * The first lead of the import someone has changed since (edited, moved, reassigned, deleted, a
 * touchpoint logged), with how many are; null when none is. Undoing then would lose their work.
 */
export async function touchedLead(db: Executor, importId: string) {
  const touched = `from import_rows r left join leads l on l.id = r.lead_id
     where r.import_id = ? and r.outcome in ('created', 'updated')
       and (l.id is null or l.updated_at <> r.written_at
            or exists (select 1 from touchpoints t where t.lead_id = r.lead_id and t.created_at > r.written_at))`;
  const runner = statementRunner(db);
  const { rows } = await runner.execute({
    sql: `select r.row_no, r.lead_id, l.id, coalesce(l.full_name, l.email, l.linkedin_url), l.updated_at <> r.written_at ${touched} limit 1`,
    args: [importId],
  });
  const first = rows[0];
  if (!first) return null;
  const { rows: count } = await runner.execute({ sql: `select count(*) ${touched}`, args: [importId] });
  const how =
    first[2] === null ? 'was deleted' : Number(first[4]) ? 'was changed' : 'has a touchpoint logged';
  return {
    rowNo: Number(first[0]),
    leadId: String(first[1]),
    name: first[3] === null ? null : String(first[3]),
    how,
    count: Number(count[0]?.[0] ?? 0),
  };
}

/** Checks that the import may be undone now and marks it `undoing` (the runner does the rest). */
export async function requestUndo(db: Database, principal: Principal, id: string) {
  return db.transaction(async (tx) => {
    const [job] = await tx
      .select()
      .from(imports)
      .where(and(eq(imports.workspaceId, principal.workspaceId), eq(imports.id, id)));
    if (!job) throw new ProblemException('not-found', `No import ${id} in this workspace`);
    if (job.status !== 'done' && job.status !== 'failed') {
      const why = {
        staged: 'it has not been started: nothing was written',
        running: 'it is still running; undo it once it is done',
        undoing: 'it is being undone already',
        undone: 'it was undone already',
      }[job.status];
      throw new ProblemException('conflict', `This import cannot be undone: ${why}`);
    }
    const touched = await touchedLead(tx, id);
    if (touched) {
      const others = touched.count > 1 ? ` (and ${touched.count - 1} more of its leads)` : '';
      throw new ProblemException(
        'conflict',
        `This import cannot be undone: its lead ${touched.name ?? touched.leadId} (row ${touched.rowNo}) ${touched.how} since it was imported${others}`,
        undefined,
        { leadId: touched.leadId, touchedLeads: touched.count },
      );
    }
    await tx
      .update(imports)
      .set({ status: 'undoing', cursor: 0, leaseOwner: null, leaseUntil: null })
      .where(eq(imports.id, id));
  });
}

/**
 * One slice of an undo: the slice's created leads deleted (their touchpoints, history and tasks go
 * with them by foreign keys, their events here), its updated leads given back the columns they had,
 * audited and rescored. A lead touched since is left as it is. False once the undo is done.
 */
export async function undoSlice(
  db: Database,
  job: ImportRow,
  principal: Principal,
  owner: string,
  sliceSize: number,
  claim: Claim,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const now = new Date();
    if (!(await claim(tx, job, owner, now))) return false;
    const runner = statementRunner(tx);
    const { rows } = await runner.execute({
      sql: `select row_no, outcome, lead_id, before, written_at from import_rows
            where import_id = ? and row_no > ? and outcome in ('created', 'updated') order by row_no limit ?`,
      args: [job.id, job.cursor, sliceSize],
    });
    const created = rows.filter((row) => row[1] === 'created');
    if (created.length) {
      const ids = created.map((row) => String(row[2]));
      await tx.delete(events).where(inArray(events.leadId, ids));
      await runner.execute({
        sql: `delete from leads where id in (${ids.map(() => '?').join(', ')})`,
        args: ids,
      });
      // As a deleted lead: its own events go, and one says it was removed (by the undo).
      await emitEvents(
        tx,
        ids.map((leadId) => ({
          workspaceId: job.workspaceId,
          type: 'lead.deleted' as const,
          leadId,
          data: { importId: job.id, undo: true },
          at: now,
        })),
      );
    }
    const model = rows.some((row) => row[1] === 'updated') ? await activeModel(tx, job.workspaceId) : null;
    for (const row of rows) {
      if (row[1] !== 'updated' || !model) continue;
      const leadId = String(row[2]);
      const { updatedAt, ...columns } = JSON.parse(String(row[3])) as Record<string, unknown>;
      const [current] = await tx.select().from(leads).where(eq(leads.id, leadId));
      if (!current || current.updatedAt.getTime() !== Number(row[4])) continue;
      const [reverted] = await tx
        .update(leads)
        .set({ ...columns, updatedAt: new Date(Number(updatedAt)) })
        .where(eq(leads.id, leadId))
        .returning();
      await recordLeadChanges(tx, principal, current, reverted!, now);
      await rescoreLead(tx, reverted!, { kind: 'fields' }, model, now, principal.userId);
      await emitEvent(tx, job.workspaceId, 'lead.updated', leadId, { importId: job.id, undo: true }, now);
    }
    if (rows.length === sliceSize) {
      await tx
        .update(imports)
        .set({ cursor: Number(rows.at(-1)![0]) })
        .where(eq(imports.id, job.id));
      return true;
    }
    await tx
      .update(imports)
      .set({ status: 'undone', undoneAt: now, cursor: job.totalRows, leaseOwner: null, leaseUntil: null })
      .where(eq(imports.id, job.id));
    return false;
  });
}
