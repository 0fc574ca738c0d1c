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
import { and, eq, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { type LeadRow, toScorable } from '../db/lead-row';
import { cadences, enrolments, leads } from '../db/schema';
import { changeEnrolmentState, insertEnrolment, LIVE_STATES } from './enrol';

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

/**
 * A lead reached a stage: nurture cadences end at SQL or later, and cadences whose rule names the
 * stage enrol it (when the rule's owner and field conditions hold). Called for every stage change
 * (`recordStageChange`), whoever made it.
 */
export async function onStageReached(
  tx: Executor,
  by: { workspaceId: string; userId: string | null },
  leadId: string,
  stage: LeadStage,
  now: Date,
) {
  if (NURTURE_ENDS_AT.has(stage)) {
    const running = await tx
      .select({ enrolment: enrolments, cadence: cadences })
      .from(enrolments)
      .innerJoin(cadences, eq(cadences.id, enrolments.cadenceId))
      .where(
        and(
          eq(enrolments.leadId, leadId),
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
          reason: `Reached ${STAGE_LABELS[stage]}`,
          userId: by.userId,
        },
        now,
      );
    }
  }
  const ruled = await tx
    .select()
    .from(cadences)
    .where(
      and(
        eq(cadences.workspaceId, by.workspaceId),
        eq(cadences.archived, false),
        sql`json_extract(${cadences.rule}, '$.stage') = ${stage}`,
      ),
    );
  if (!ruled.length) return;
  const [lead] = await tx.select().from(leads).where(eq(leads.id, leadId));
  if (!lead) return;
  const ruleLead = { ...toScorable(lead), stage, ownerId: lead.ownerId };
  for (const cadence of ruled) {
    if (!cadence.rule || !matchesEnrolmentRule(cadence.rule, ruleLead, stage)) continue;
    await insertEnrolment(
      tx,
      cadence,
      lead,
      { userId: null, fallbackAssigneeId: cadence.createdBy, cause: 'rule' },
      now,
    );
  }
}
