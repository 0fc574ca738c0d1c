import { OUTBOUND_TOUCHPOINT_TYPES } from '@leadline/shared';
import { type RoutingTrace, type SlaBreach, slaBreachLine } from '@leadline/shared/routing';
import { and, asc, eq, lte, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { conditionLead } from '../db/lead-row';
import { leadAssignments, leads, teams, users } from '../db/schema';
import type { Actor } from '../lib/types';
import { assignLead, handTrace } from './assign';
import { decideFor } from './routing.service';

/**
 * Assignments one write transaction settles: each breach is a routing decision (the state read in
 * the transaction) and its writes, a few milliseconds, so a small batch keeps other writers waiting
 * well under the API's 2 s lock wait.
 */
export const SLA_BATCH = 20;

export interface SlaPassResult {
  /** Assignments whose SLA came due and this sweep settled. */
  settled: number;
  /** Touched in time. */
  met: number;
  /** The lead moved on before the deadline (another owner, closed, deleted). */
  moot: number;
  /** Missed: routed again without the owner. */
  reassigned: number;
  /** Missed: given to the team's manager. */
  escalated: number;
  /** Due assignments another sweep settled first. */
  lost: number;
  batches: number;
}

interface Due {
  id: string;
  workspaceId: string;
  leadId: string;
  ownerId: string | null;
  slaDueAt: Date | null;
  trace: unknown;
}

const OUTBOUND = sql.join(
  [...OUTBOUND_TOUCHPOINT_TYPES].map((type) => sql`${type}`),
  sql`, `,
);

/**
 * One pass of the SLA sweep at `now` (injectable: tests drive the clock). Each assignment whose SLA
 * deadline has passed is settled once: `met` when the lead had an outbound touch since it was
 * assigned, `moot` when the lead has moved on (a later assignment, another owner, closed), else
 * `breached`: routed again by the rules in force without the owner who missed it, or escalated to
 * the placing rule's team's manager, and recorded as an `sla_breach` / `sla_escalation` assignment.
 * The outcome is claimed by a conditional update (`sla_outcome is null`) in the transaction that
 * writes the reassignment, so two API processes never breach an assignment twice.
 */
export async function runSlaPass(
  db: Database,
  now = new Date(),
  options: { batchSize?: number; maxBatches?: number } = {},
): Promise<SlaPassResult> {
  const batchSize = options.batchSize ?? SLA_BATCH;
  const maxBatches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  const result: SlaPassResult = {
    settled: 0,
    met: 0,
    moot: 0,
    reassigned: 0,
    escalated: 0,
    lost: 0,
    batches: 0,
  };
  while (result.batches < maxBatches) {
    const due: Due[] = await db
      .select({
        id: leadAssignments.id,
        workspaceId: leadAssignments.workspaceId,
        leadId: leadAssignments.leadId,
        ownerId: leadAssignments.ownerId,
        slaDueAt: leadAssignments.slaDueAt,
        trace: leadAssignments.trace,
      })
      .from(leadAssignments)
      // Spelled as the partial index's condition, so SQLite reads the sweep's queue from it alone.
      .where(
        and(
          sql`${leadAssignments.slaDueAt} is not null and ${leadAssignments.slaOutcome} is null`,
          lte(leadAssignments.slaDueAt, now),
        ),
      )
      .orderBy(asc(leadAssignments.slaDueAt), asc(leadAssignments.id))
      .limit(batchSize);
    if (!due.length) break;
    result.batches++;
    const outcome = await db.transaction(async (tx) => {
      const claimed = await claim(
        tx,
        due.map((row) => row.id),
        now,
      );
      const counts = { met: 0, moot: 0, reassigned: 0, escalated: 0 };
      for (const row of due) {
        const settled = claimed.get(row.id);
        if (settled === 'met' || settled === 'moot') counts[settled]++;
        if (settled === 'breached') counts[await breach(tx, row, now)]++;
      }
      return { ...counts, claimed: claimed.size };
    });
    result.settled += outcome.claimed;
    result.lost += due.length - outcome.claimed;
    result.met += outcome.met;
    result.moot += outcome.moot;
    result.reassigned += outcome.reassigned;
    result.escalated += outcome.escalated;
    if (due.length < batchSize) break;
  }
  return result;
}

/**
 * Settles the due assignments still unsettled, each by what holds now, in one conditional update;
 * the rows it returns are the claims this sweep won (another sweep's are already settled).
 */
async function claim(tx: Executor, ids: readonly string[], now: Date): Promise<Map<string, string>> {
  const nowMs = now.getTime();
  const rows = await tx.all<{ id: string; outcome: string }>(sql`
    update lead_assignments set
      sla_settled_at = ${nowMs},
      sla_outcome = case
        when exists (
          select 1 from lead_assignments n
          where n.lead_id = lead_assignments.lead_id and n.id <> lead_assignments.id
            and (n.at > lead_assignments.at or (n.at = lead_assignments.at and n.rowid > lead_assignments.rowid))
        ) then 'moot'
        when not exists (
          select 1 from leads l
          where l.id = lead_assignments.lead_id and l.owner_id is lead_assignments.owner_id
            and l.stage not in ('won', 'lost')
        ) then 'moot'
        when exists (
          select 1 from touchpoints t
          where t.lead_id = lead_assignments.lead_id and t.type in (${OUTBOUND})
            and t.occurred_at >= lead_assignments.at and t.occurred_at <= ${nowMs}
        ) then 'met'
        else 'breached'
      end
    where id in (${sql.join(
      ids.map((id) => sql`${id}`),
      sql`, `,
    )}) and sla_outcome is null and sla_due_at <= ${nowMs}
    returning id, sla_outcome as outcome`);
  return new Map(rows.map((row) => [row.id, row.outcome]));
}

/** Why an escalation cannot reach a manager, or the manager it reaches. */
async function managerFor(
  tx: Executor,
  trace: RoutingTrace,
  previousOwnerId: string,
): Promise<{ managerId: string } | { fellBack: string }> {
  if (!trace.teamId) return { fellBack: 'the rule does not send leads to a team' };
  const [team] = await tx
    .select({ managerId: teams.managerId, deactivatedAt: users.deactivatedAt })
    .from(teams)
    .leftJoin(users, eq(users.id, teams.managerId))
    .where(eq(teams.id, trace.teamId));
  if (!team?.managerId) return { fellBack: 'the team has no manager' };
  if (team.deactivatedAt) return { fellBack: "the team's manager is deactivated" };
  if (team.managerId === previousOwnerId) return { fellBack: 'the manager is the owner who missed it' };
  return { managerId: team.managerId };
}

/** A claimed breach: the lead routed again without its owner, or given to the manager, recorded. */
async function breach(tx: Executor, row: Due, now: Date): Promise<'reassigned' | 'escalated'> {
  const trace = row.trace as RoutingTrace;
  const previousOwnerId = row.ownerId!;
  const [lead] = await tx.select().from(leads).where(eq(leads.id, row.leadId));
  const [owner] = await tx.select({ name: users.name }).from(users).where(eq(users.id, previousOwnerId));
  const sla = trace.sla!;
  const escalation = sla.onBreach === 'escalate' ? await managerFor(tx, trace, previousOwnerId) : null;
  const breachInfo: SlaBreach = {
    assignmentId: row.id,
    ruleId: trace.ruleId ?? '',
    ruleName: trace.ruleName ?? '',
    minutes: sla.minutes,
    onBreach: sla.onBreach,
    deadline: row.slaDueAt!.toISOString(),
    previousOwnerId,
    previousOwnerName: owner?.name ?? previousOwnerId,
    fellBack: escalation && 'fellBack' in escalation ? `escalation fell back: ${escalation.fellBack}` : null,
  };
  const actor: Actor = { workspaceId: row.workspaceId, userId: null };
  if (escalation && 'managerId' in escalation) {
    const escalated: RoutingTrace = {
      version: trace.version,
      via: 'escalation',
      ruleId: trace.ruleId,
      ruleName: trace.ruleName,
      strategy: 'person',
      // No team: the manager's lead does not count in the team's round-robin shares.
      teamId: null,
      passed: [],
      candidates: [{ userId: escalation.managerId, skipped: null }],
      ownerId: escalation.managerId,
      summary: slaBreachLine(breachInfo, 'sla_escalation'),
      breach: breachInfo,
    };
    await assignLead(tx, actor, lead!, escalation.managerId, 'sla_escalation', now, escalated);
    return 'escalated';
  }
  const decided = await decideFor(
    tx,
    row.workspaceId,
    { row: lead!, fields: conditionLead(lead!), accountKey: lead!.accountKey },
    // `api`: the capturer's claim does not apply to a lead routed again.
    { origin: 'api', creatorId: previousOwnerId, exclude: [previousOwnerId] },
    now,
  );
  const placed = decided ?? handTrace('manual', null, 'no routing in force: the unassigned queue');
  const line = slaBreachLine(breachInfo, 'sla_breach');
  await assignLead(tx, actor, lead!, placed.ownerId, 'sla_breach', now, {
    ...placed,
    summary: `${line}; then ${placed.summary}`,
    breach: breachInfo,
  });
  return 'reassigned';
}

/** The sweep on a timer in the API process; returns its stop. Overlapping passes are not started. */
export function startSlaSweeper(db: Database, intervalMs: number, clock: () => Date = () => new Date()) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runSlaPass(db, clock());
    } catch (error) {
      console.error('SLA sweep:', error);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
