import { endOfLocalDay, endOfLocalWeek, type Task } from '@leadline/shared';
import { and, eq, inArray, lt, lte, type SQL, sql } from 'drizzle-orm';
import { authorize } from '../auth/permissions';
import type { Executor } from '../db/client';
import { leads, tasks } from '../db/schema';
import { findLead } from '../leads/leads.service';
import { ProblemException } from '../lib/problem';
import type { Principal } from '../lib/types';
import { type ActiveModel, activeModel } from '../scoring/model.service';
import { userCalendar } from './calendar';
import {
  isOpen,
  leadColumns,
  OPEN_TASK,
  scoresOf,
  type TaskQuery,
  type TaskRow,
  toWireTask,
} from './tasks.service';

/**
 * A queue of tasks: overdue first, then the rest by when they show, each group with the hottest
 * lead first (its live score now). `today` and `week` end at the assignee's local midnight.
 */
export async function listTasks(
  db: Executor,
  principal: Principal,
  query: TaskQuery,
  now = new Date(),
): Promise<{ items: Task[]; total: number; overdue: number }> {
  const { workspaceId } = principal;
  const filters: SQL[] = [eq(tasks.workspaceId, workspaceId)];
  let assignee: string | null = null;
  if (query.assignee === 'me') assignee = principal.userId;
  else if (query.assignee !== 'any') assignee = query.assignee;
  if (query.leadId) {
    const lead = await findLead(db, workspaceId, query.leadId);
    authorize(principal, 'lead.read', { ownerId: lead.ownerId });
    filters.push(eq(tasks.leadId, lead.id));
  } else if (principal.role === 'rep' && assignee !== principal.userId) {
    throw new ProblemException(
      'forbidden',
      "A rep may list only their own tasks, or one lead's tasks [task.manage]",
      undefined,
      { action: 'task.manage' },
    );
  }
  if (assignee) filters.push(eq(tasks.assigneeId, assignee));
  // Literal, not bound: SQLite uses the partial index (state in ('open', 'snoozed')) only then.
  if (query.state === 'open') filters.push(OPEN_TASK);
  if (query.due !== 'any') {
    const calendar = await userCalendar(db, workspaceId, assignee ?? principal.userId);
    const bound =
      query.due === 'overdue'
        ? now
        : query.due === 'today'
          ? endOfLocalDay(calendar, now)
          : endOfLocalWeek(calendar, now);
    filters.push(query.due === 'overdue' ? lt(tasks.showAt, bound) : lte(tasks.showAt, bound));
  }
  const model = await activeModel(db, workspaceId);
  const atMs = now.getTime();
  const overdue = sql<number>`(${tasks.showAt} < ${atMs})`;
  // Unary `+`: the ranked read is driven by the assignee's open-task index, not the leads' pending one.
  const dueTouch = sql`+${leads.pendingTouchAt} <= ${atMs}`;
  const where = and(...filters);
  const staleLeads = db
    .select({ id: leads.id })
    .from(leads)
    .where(and(eq(leads.workspaceId, workspaceId), lte(leads.pendingTouchAt, now)));
  // Ranked in SQL by the live score's own formula (scoresInSql), hottest first within overdue and
  // the rest; only the page is read as rows. Leads with a touchpoint that came due but is not
  // folded yet (their stored key is stale, and the timer folds them soon) are few: scored apart.
  const [ranked, stale, [counts]] = await Promise.all([
    db
      .select({ id: tasks.id })
      .from(tasks)
      .innerJoin(leads, eq(leads.id, tasks.leadId))
      .where(and(where, sql`not coalesce(${dueTouch}, 0)`))
      .orderBy(sql`${overdue} desc`, sql`${rawScoreSql(model, atMs)} desc`, tasks.showAt, tasks.id)
      .limit(query.limit),
    db
      .select({ id: tasks.id })
      .from(tasks)
      // Driven by the workspace's few leads with a due touchpoint (their pending index), not by a
      // join over every task in the queue.
      .where(and(where, inArray(tasks.leadId, staleLeads))),
    db
      .select({ total: sql<number>`count(*)`, overdue: sql<number>`coalesce(sum(${overdue}), 0)` })
      .from(tasks)
      .where(where),
  ]);
  const ids = [...ranked, ...stale].map((row) => row.id);
  const rows = ids.length
    ? await db
        .select({ task: tasks, lead: leadColumns })
        .from(tasks)
        .innerJoin(leads, eq(leads.id, tasks.leadId))
        .where(inArray(tasks.id, ids))
    : [];
  const scores = await scoresOf(
    db,
    rows.map((row) => row.lead),
    model,
    now,
  );
  const overdueOf = (row: TaskRow) => isOpen(row) && row.showAt.getTime() < atMs;
  const sorted = rows
    .map((row) => ({ ...row, raw: scores.get(row.lead.id)!.raw, overdue: overdueOf(row.task) }))
    .sort(
      (a, b) =>
        Number(b.overdue) - Number(a.overdue) ||
        b.raw - a.raw ||
        a.task.showAt.getTime() - b.task.showAt.getTime() ||
        (a.task.id < b.task.id ? -1 : 1),
    );
  return {
    items: sorted
      .slice(0, query.limit)
      .map((row) => toWireTask(row.task, row.lead, scores.get(row.lead.id)!.score, now)),
    total: Number(counts?.total ?? 0),
    overdue: Number(counts?.overdue ?? 0),
  };
}

/**
 * The unrounded live score of `rawScoreAt` as SQL over the lead's stored fit and engagement key at
 * `atMs`: fit and engagement weighted, engagement decayed from its key and through the model's
 * curve (`power` exists in libSQL, embedded and sqld).
 */
function rawScoreSql(model: ActiveModel, atMs: number): SQL {
  const { weights, engagementCurve } = model.document;
  const decay = model.halfLifeMs === null ? 0 : (atMs - model.landmarkMs) / model.halfLifeMs;
  const engagement = sql`coalesce(power(2.0, ${leads.engagementKey} - ${decay}), 0.0)`;
  const curve =
    engagementCurve.kind === 'cap'
      ? sql`min(${engagement}, 100.0)`
      : sql`100.0 * (1.0 - power(2.0, -(${engagement}) / ${engagementCurve.halfAt}))`;
  return sql`(${weights.fit} * ${leads.fit} + ${weights.engagement} * ${curve})`;
}
