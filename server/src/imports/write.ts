import { compileFit, type ImportPolicy, nextAutomaticStage } from '@leadline/shared';
import { accountKeyOf } from '@leadline/shared/routing';
import { eq } from 'drizzle-orm';
import type { CadenceRow } from '../cadences/enrol';
import { cadencesRuledBy, onStagesReached } from '../cadences/stops';
import { insertRows } from '../db/bulk-insert';
import { type Executor, statementRunner } from '../db/client';
import { emitEvent, emitEvents } from '../db/events';
import { newId } from '../db/ids';
import { type LeadRow, toScorable } from '../db/lead-row';
import { leadAssignments, leads, stageChanges, touchpoints } from '../db/schema';
import { recordStageChange } from '../db/stage-changes';
import { recordLeadChanges } from '../leads/audit';
import { toLeadColumns } from '../leads/leads.mapper';
import type { Principal } from '../lib/types';
import { handTrace } from '../routing/assign';
import { activeRouting, routeLead } from '../routing/routing.service';
import { hasDueTouchpoint, rescoreLead } from '../scoring/lead-scoring';
import { activeModel } from '../scoring/model.service';
import { liveScore } from '../scoring/score-at';
import { type RowOutcome, writeUpdated } from './bulk-writes';
import { FileDuplicates } from './file-duplicates';
import { matchBatch, plannedChanges } from './match';
import type { PreparedRow } from './prepare';

export interface SliceContext {
  importId: string;
  principal: Principal;
  policy: ImportPolicy;
  campaign: string | null;
  /** The workspace's active people by folded e-mail and name. */
  owners: Map<string, string>;
}

/**
 * Writes one slice of an import in the caller's transaction: matches every valid row against the
 * leads as they are now (earlier slices included), refuses repeats within the file, creates the new
 * leads in bulk (scored, their stage and assignment recorded, routed when rules exist) and applies
 * the policy to the matches (audited and rescored one by one). `repeats` are the rows the dry run
 * found repeating an earlier row of the file, refused with its reason. Returns each row's outcome.
 */
export async function writeSlice(
  tx: Executor,
  context: SliceContext,
  rows: PreparedRow[],
  now: Date,
  repeats: ReadonlyMap<number, string> = new Map(),
) {
  const { principal } = context;
  const valid = rows.filter((row): row is PreparedRow & { ok: true } => row.ok);
  // The slice's reads at once, each a wait for a reader that requests share; all of them before the
  // slice's first deferred write, after which a read would take the write lock (optimistic-transaction.ts).
  const [matches, model, routing, ruled] = await Promise.all([
    matchBatch(
      tx,
      principal.workspaceId,
      valid.map((row) => row.lead),
      { ownImport: context.importId },
    ),
    activeModel(tx, principal.workspaceId),
    activeRouting(tx, principal.workspaceId),
    cadencesRuledBy(tx, principal.workspaceId),
  ]);
  const matchOf = new Map(valid.map((row, i) => [row.rowNo, matches[i] ?? null]));
  const earlier = await earlierRows(
    tx,
    context.importId,
    matches.flatMap((m) => (m ? [m.row.id] : [])),
  );
  const duplicates = new FileDuplicates();
  // The rules compiled once a slice: evaluateFit splits every phrase into words again for each lead.
  const fit = compileFit(model.document);
  const routed = routing.version > 0;
  const nowMs = now.getTime();
  const outcomes: RowOutcome[] = [];
  const created: { row: LeadRow; notes: string | null; byRouting: boolean }[] = [];
  const updated: { before: LeadRow; after: LeadRow }[] = [];
  for (const row of rows) {
    const refuse = (reason: string) =>
      outcomes.push({
        rowNo: row.rowNo,
        outcome: 'refused',
        reason,
        leadId: null,
        before: null,
        writtenAt: null,
      });
    if (!row.ok) {
      refuse(row.reason);
      continue;
    }
    const repeat = repeats.get(row.rowNo);
    if (repeat) {
      refuse(repeat);
      continue;
    }
    const match = matchOf.get(row.rowNo) ?? null;
    const firstRow = match ? earlier.get(match.row.id) : undefined;
    const duplicate = firstRow
      ? `Duplicate of row ${firstRow} in this file (the same lead)`
      : await duplicates.check(row.rowNo, row, match?.row.id ?? null);
    if (duplicate) {
      refuse(duplicate);
      continue;
    }
    const columns = toLeadColumns(row.lead);
    if (match) {
      const changes = context.policy === 'skip' ? {} : plannedChanges(match.row, columns, context.policy);
      if (context.policy === 'skip' || !Object.keys(changes).length) {
        const outcome = context.policy === 'skip' ? 'skipped' : 'unchanged';
        outcomes.push({
          rowNo: row.rowNo,
          outcome,
          reason: null,
          leadId: match.row.id,
          before: null,
          writtenAt: null,
        });
        continue;
      }
      const before: Record<string, unknown> = Object.fromEntries(
        Object.keys(changes).map((key) => [key, match.row[key as keyof LeadRow]]),
      );
      before.updatedAt = match.row.updatedAt.getTime();
      const after: LeadRow = { ...match.row, ...changes, updatedAt: now };
      after.accountKey = accountKeyOf(after);
      if (hasDueTouchpoint(match.row, nowMs)) {
        // A touchpoint logged ahead came due: the lead is rebuilt from all its touchpoints, alone.
        const [changed] = await tx.update(leads).set(after).where(eq(leads.id, after.id)).returning();
        await recordLeadChanges(tx, principal, match.row, changed!, now);
        await rescoreLead(tx, changed!, { kind: 'fields' }, model, now, principal.userId);
        await emitEvent(
          tx,
          principal.workspaceId,
          'lead.updated',
          changed!.id,
          { importId: context.importId },
          now,
        );
      } else {
        after.fit = fit.fit(toScorable(after));
        const score = liveScore(after, model, nowMs);
        const stage = nextAutomaticStage(after.stage, score.score, score.grade, model.document);
        if (stage !== after.stage) {
          await recordStageChange(tx, principal, after.id, after.stage, stage, 'threshold', now);
          await emitEvent(
            tx,
            principal.workspaceId,
            'lead.stage_changed',
            after.id,
            {
              from: after.stage,
              to: stage,
              cause: 'threshold',
              score: score.score,
            },
            now,
          );
          after.stage = stage;
        }
        updated.push({ before: match.row, after });
      }
      outcomes.push({
        rowNo: row.rowNo,
        outcome: 'updated',
        reason: null,
        leadId: match.row.id,
        before,
        writtenAt: now,
      });
      continue;
    }
    const ownerId = row.owner ? (context.owners.get(row.owner.trim().toLowerCase()) ?? null) : null;
    const lead = newLeadRow(principal, columns, {
      ownerId: ownerId ?? (routed ? null : principal.userId),
      campaign: context.campaign,
      createdAt: row.createdAt ?? now,
      now,
    });
    lead.fit = fit.fit(toScorable(lead));
    const score = liveScore(lead, model, nowMs);
    lead.stage = nextAutomaticStage(lead.stage, score.score, score.grade, model.document);
    created.push({ row: lead, notes: row.notes, byRouting: routed && !ownerId });
    outcomes.push({
      rowNo: row.rowNo,
      outcome: 'created',
      reason: null,
      leadId: lead.id,
      before: null,
      writtenAt: now,
    });
  }
  await insertCreated(tx, principal, created, ruled, now);
  await writeUpdated(tx, principal, updated, now);
  // Webhooks and the event stream hear of every lead the import creates or changes, as of a capture.
  await emitEvents(tx, [
    ...created.map(({ row }) => ({
      workspaceId: principal.workspaceId,
      type: 'lead.created' as const,
      leadId: row.id,
      data: { importId: context.importId },
      at: now,
    })),
    ...updated.map(({ after }) => ({
      workspaceId: principal.workspaceId,
      type: 'lead.updated' as const,
      leadId: after.id,
      data: { importId: context.importId },
      at: now,
    })),
  ]);
  for (const { row, byRouting } of created) {
    if (!byRouting) continue;
    await routeLead(
      tx,
      principal,
      row,
      liveScore(row, model, nowMs),
      'created',
      { origin: 'import', creatorId: principal.userId },
      now,
    );
  }
  return outcomes;
}

/** The row that first brought each of these leads into this import (created or matched it). */
async function earlierRows(tx: Executor, importId: string, leadIds: string[]): Promise<Map<string, number>> {
  if (!leadIds.length) return new Map();
  const { rows } = await statementRunner(tx).execute({
    sql: `select lead_id, min(row_no) from import_rows where import_id = ? and lead_id in (${leadIds.map(() => '?').join(', ')}) group by lead_id`,
    args: [importId, ...leadIds],
  });
  return new Map(rows.map((row) => [String(row[0]), Number(row[1])]));
}

function newLeadRow(
  principal: Principal,
  columns: ReturnType<typeof toLeadColumns>,
  options: { ownerId: string | null; campaign: string | null; createdAt: Date; now: Date },
): LeadRow {
  const row: LeadRow = {
    id: newId(),
    workspaceId: principal.workspaceId,
    fullName: null,
    firstName: null,
    lastName: null,
    nameKey: null,
    title: null,
    company: null,
    companyDomain: null,
    email: null,
    emailKey: null,
    phone: null,
    location: null,
    country: null,
    linkedinUrl: null,
    website: null,
    industry: null,
    companySize: null,
    bantBudget: null,
    bantAuthority: null,
    bantNeed: null,
    bantTimelineMonths: null,
    sourceChannel: 'import',
    sourceUrl: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    utmTerm: null,
    utmContent: null,
    ownerId: options.ownerId,
    accountKey: null,
    stage: 'new',
    dealValue: null,
    expectedCloseDate: null,
    closeReason: null,
    fit: 0,
    engagementPos: null,
    engagementNeg: null,
    engagementKey: null,
    pendingTouchAt: null,
    lastTouchAt: null,
    createdAt: options.createdAt,
    updatedAt: options.now,
  };
  for (const [key, value] of Object.entries(columns)) {
    if (value !== undefined) (row as Record<string, unknown>)[key] = value;
  }
  row.sourceChannel = 'import';
  row.utmCampaign ??= options.campaign;
  row.accountKey = accountKeyOf(row);
  return row;
}

/** The created leads, their audit entries, stage history, assignments and notes: a few inserts a slice. */
async function insertCreated(
  tx: Executor,
  principal: Principal,
  created: { row: LeadRow; notes: string | null; byRouting: boolean }[],
  ruled: readonly CadenceRow[],
  now: Date,
) {
  if (!created.length) return;
  const { workspaceId, userId } = principal;
  const stages = created.map(({ row }) => ({
    id: newId(),
    workspaceId,
    leadId: row.id,
    fromStage: null,
    toStage: row.stage,
    cause: 'import' as const,
    userId,
    at: row.createdAt,
  }));
  await insertRows(
    tx,
    leads,
    created.map((c) => c.row),
  );
  // No `created` audit rows: an imported lead's starting values are its import row (import_rows
  // keeps its cells and outcome), and the first change to any field records the value before it.
  await insertRows(tx, stageChanges, stages);
  // Cadences whose rule names a stage enrol the imported leads that start there, in this slice.
  await onStagesReached(
    tx,
    { workspaceId, userId },
    stages.map((stage) => ({ leadId: stage.leadId, stage: stage.toStage })),
    now,
    { created: { leads: new Map(created.map(({ row }) => [row.id, row])), ruled } },
  );
  const assignments = created
    .filter((c) => !c.byRouting)
    .map(({ row }) => ({
      id: newId(),
      workspaceId,
      leadId: row.id,
      fromOwnerId: null,
      ownerId: row.ownerId,
      teamId: null,
      cause: 'created' as const,
      byUserId: userId,
      trace:
        row.ownerId === userId
          ? handTrace('creator', row.ownerId, 'imported it (no routing rules yet)')
          : handTrace('manual', row.ownerId, 'named as the owner in the import file'),
      at: now,
    }));
  await insertRows(tx, leadAssignments, assignments);
  const notes = created.flatMap(({ row, notes }) =>
    notes
      ? [
          {
            id: newId(),
            workspaceId,
            leadId: row.id,
            userId,
            type: 'note' as const,
            occurredAt: row.createdAt,
            note: notes,
            channel: 'import' as const,
            createdAt: now,
          },
        ]
      : [],
  );
  await insertRows(tx, touchpoints, notes);
}
