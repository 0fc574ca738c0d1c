import {
  ENDING_STOPS,
  type LeadStage,
  matchesEnrolmentRule,
  NURTURE_ENDS_AT,
  STAGE_LABELS,
  STOP_CAUSE_LABELS,
  stopCauseOf,
  type TouchpointType,
} from '@leadline/shared';
import { and, eq, inArray, isNotNull, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { conditionLead, type LeadRow } from '../db/lead-row';
import { cadences, enrolments, leads } from '../db/schema';
import { type ActiveModel, activeModel } from '../scoring/model.service';
import { liveScore } from '../scoring/score-at';
import { type CadenceRow, changeEnrolmentState, insertEnrolment, LIVE_STATES } from './enrol';

/**
 * A touchpoint on a lead stops the cadences that should hear of it: a reply, a meeting or a
 * LinkedIn reply pauses or ends (as each cadence says) the lead's enrolments, and those of the
 * same company's leads in company-wide cadences; an unsubscribe or a bounce ends the lead's own.
 * Runs in the touchpoint's transaction, so nothing is created for a stopped enrolment afterwards.
 */
export async function stopCadencesOnTouch(
  tx: Executor,
  lead: Pick<LeadRow, 'id' | 'workspaceId' | 'company' | 'companyDomain' | 'fullName'>,
  type: TouchpointType,
  userId: string | null,
  now: Date,
) {
  const cause = stopCauseOf(type);
  if (!cause) return;
  const ending = ENDING_STOPS.has(cause);
  const sameCompany: SQL[] = [];
  if (lead.companyDomain) sameCompany.push(eq(leads.companyDomain, lead.companyDomain));
  if (lead.company) sameCompany.push(sql`lower(${leads.company}) = ${lead.company.toLowerCase()}`);
  const colleagues =
    sameCompany.length && !ending
      ? and(eq(cadences.companyWide, true), ne(enrolments.leadId, lead.id), or(...sameCompany))
      : undefined;
  const rows = await tx
    .select({ enrolment: enrolments, cadence: cadences })
    .from(enrolments)
    .innerJoin(cadences, eq(cadences.id, enrolments.cadenceId))
    .innerJoin(leads, eq(leads.id, enrolments.leadId))
    .where(
      and(
        eq(enrolments.workspaceId, lead.workspaceId),
        inArray(enrolments.state, [...LIVE_STATES]),
        colleagues ? or(eq(enrolments.leadId, lead.id), colleagues) : eq(enrolments.leadId, lead.id),
      ),
    );
  const label = STOP_CAUSE_LABELS[cause];
  for (const { enrolment, cadence } of rows) {
    const end = ending || cadence.onReply === 'end';
    if (!end && enrolment.state === 'paused') continue;
    const who =
      enrolment.leadId === lead.id ? '' : ` (${lead.fullName ?? 'a colleague'} at the same company)`;
    await changeEnrolmentState(
      tx,
      enrolment,
      cadence,
      {
        state: end ? 'stopped' : 'paused',
        kind: end ? 'stopped' : 'paused',
        cause,
        reason: `${label}${who}`,
        userId,
      },
      now,
    );
  }
}

/** A lead's move to a stage, as `onStagesReached` hears of it. */
export interface StageMove {
  leadId: string;
  stage: LeadStage;
}

/** Leads a statement reads at most by id (SQLite's bound-parameter limit is far above). */
const LEADS_PER_READ = 500;

/** The workspace's live cadences whose enrolment rule names one of `stages` (any stage without). */
export function cadencesRuledBy(tx: Executor, workspaceId: string, stages?: readonly LeadStage[]) {
  const stage = sql`json_extract(${cadences.rule}, '$.stage')`;
  return tx
    .select()
    .from(cadences)
    .where(
      and(
        eq(cadences.workspaceId, workspaceId),
        eq(cadences.archived, false),
        stages ? inArray(stage, [...new Set(stages)]) : isNotNull(stage),
      ),
    );
}

export interface StagesReachedOptions {
  /** The model the leads are scored under: the one in force unless the caller is switching. */
  model?: ActiveModel;
  /**
   * The moves are of leads this transaction created, as written: no enrolment of theirs can end,
   * and their rows need no reading. With `ruled` (`cadencesRuledBy`, read before the transaction's
   * first deferred write), nothing here reads, so an optimistic transaction (an import slice) stays
   * optimistic.
   */
  created?: { leads: ReadonlyMap<string, LeadRow>; ruled: readonly CadenceRow[] };
}

/**
 * Leads reached stages: nurture cadences end at SQL or later, and cadences whose rule names the
 * stage enrol each lead that meets the rule's owner and conditions (read with its live score under
 * the model). Called for every stage change (`recordStageChange`), with a whole slice of moves by
 * the rescore of a model change, whoever made them, and with an import slice's created leads; one
 * read when no cadence has a rule for the stages reached.
 */
export async function onStagesReached(
  tx: Executor,
  by: { workspaceId: string; userId: string | null },
  moves: readonly StageMove[],
  now: Date,
  { model, created }: StagesReachedOptions = {},
) {
  if (!moves.length) return;
  const ending = created ? [] : moves.filter((move) => NURTURE_ENDS_AT.has(move.stage));
  for (let start = 0; start < ending.length; start += LEADS_PER_READ) {
    const slice = ending.slice(start, start + LEADS_PER_READ);
    const stageOf = new Map(slice.map((move) => [move.leadId, move.stage]));
    const running = await tx
      .select({ enrolment: enrolments, cadence: cadences })
      .from(enrolments)
      .innerJoin(cadences, eq(cadences.id, enrolments.cadenceId))
      .where(
        and(
          inArray(enrolments.leadId, [...stageOf.keys()]),
          inArray(enrolments.state, [...LIVE_STATES]),
          eq(cadences.nurture, true),
        ),
      );
    for (const { enrolment, cadence } of running) {
      await changeEnrolmentState(
        tx,
        enrolment,
        cadence,
        {
          state: 'finished',
          kind: 'finished',
          cause: 'stage',
          reason: `Reached ${STAGE_LABELS[stageOf.get(enrolment.leadId)!]}`,
          userId: by.userId,
        },
        now,
      );
    }
  }
  const stages = moves.map((move) => move.stage);
  const ruled = created
    ? created.ruled.filter((cadence) => cadence.rule && stages.includes(cadence.rule.stage))
    : await cadencesRuledBy(tx, by.workspaceId, stages);
  if (!ruled.length) return;
  const scoring = model ?? (await activeModel(tx, by.workspaceId));
  const atMs = now.getTime();
  const wanted = moves.filter((move) => ruled.some((cadence) => cadence.rule?.stage === move.stage));
  for (let start = 0; start < wanted.length; start += LEADS_PER_READ) {
    const slice = wanted.slice(start, start + LEADS_PER_READ);
    const byId =
      created?.leads ??
      new Map(
        (
          await tx
            .select()
            .from(leads)
            .where(
              inArray(
                leads.id,
                slice.map((move) => move.leadId),
              ),
            )
        ).map((row) => [row.id, row]),
      );
    for (const move of slice) {
      const lead = byId.get(move.leadId);
      if (!lead) continue;
      const ruleLead = {
        ...conditionLead({ ...lead, stage: move.stage }, liveScore(lead, scoring, atMs)),
        ownerId: lead.ownerId,
      };
      for (const cadence of ruled) {
        if (!cadence.rule || !matchesEnrolmentRule(cadence.rule, ruleLead, move.stage)) continue;
        await insertEnrolment(
          tx,
          cadence,
          lead,
          { userId: null, fallbackAssigneeId: cadence.createdBy, cause: 'rule' },
          now,
        );
      }
    }
  }
}
