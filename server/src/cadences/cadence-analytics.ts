import type { CadenceAnalytics } from '@leadline/shared';
import { and, eq, gte, lt, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { cadences, enrolmentHistory, enrolments, tasks, users } from '../db/schema';

const DAY = 86_400_000;
const REPLY_CAUSES = ['reply', 'linkedin_reply'];

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 1000 : null);

/**
 * Per cadence: enrolments by state and by what stopped them, reply and meeting rates per step (a
 * reply counts for the latest step created before it), the median days to the first reply; per
 * rep: tasks done on time or late, skipped, overdue and open. Enrolments and tasks created in
 * [from, to) when given.
 */
export async function cadenceAnalytics(
  db: Executor,
  workspaceId: string,
  range: { from?: Date; to?: Date },
  now = new Date(),
): Promise<CadenceAnalytics> {
  const enrolledIn = and(
    eq(enrolments.workspaceId, workspaceId),
    range.from ? gte(enrolments.enrolledAt, range.from) : undefined,
    range.to ? lt(enrolments.enrolledAt, range.to) : undefined,
  );
  const [cadenceRows, states, stops, reached, repTasks] = await Promise.all([
    db.select().from(cadences).where(eq(cadences.workspaceId, workspaceId)),
    db
      .select({ cadenceId: enrolments.cadenceId, state: enrolments.state, n: sql<number>`count(*)` })
      .from(enrolments)
      .where(enrolledIn)
      .groupBy(enrolments.cadenceId, enrolments.state),
    // Each enrolment's first stop by a reply or a meeting: its cause, its step and how long it took.
    db
      .select({
        cadenceId: enrolments.cadenceId,
        enrolmentId: enrolments.id,
        cause: enrolmentHistory.cause,
        stepIndex: enrolmentHistory.stepIndex,
        at: sql<number>`min(${enrolmentHistory.at})`,
        enrolledAt: enrolments.enrolledAt,
      })
      .from(enrolmentHistory)
      .innerJoin(enrolments, eq(enrolments.id, enrolmentHistory.enrolmentId))
      .where(
        and(
          enrolledIn,
          sql`${enrolmentHistory.kind} in ('paused', 'stopped')`,
          sql`${enrolmentHistory.cause} in ('reply', 'linkedin_reply', 'meeting')`,
        ),
      )
      .groupBy(enrolments.id, enrolmentHistory.cause),
    db
      .select({
        cadenceId: enrolments.cadenceId,
        stepIndex: enrolmentHistory.stepIndex,
        n: sql<number>`count(*)`,
      })
      .from(enrolmentHistory)
      .innerJoin(enrolments, eq(enrolments.id, enrolmentHistory.enrolmentId))
      .where(and(enrolledIn, eq(enrolmentHistory.kind, 'step_created')))
      .groupBy(enrolments.cadenceId, enrolmentHistory.stepIndex),
    db
      .select({
        userId: tasks.assigneeId,
        name: users.name,
        doneOnTime: sql<number>`coalesce(sum(${tasks.state} = 'done' and ${tasks.completedAt} <= ${tasks.dueAt}), 0)`,
        doneLate: sql<number>`coalesce(sum(${tasks.state} = 'done' and ${tasks.completedAt} > ${tasks.dueAt}), 0)`,
        skipped: sql<number>`coalesce(sum(${tasks.state} = 'skipped'), 0)`,
        overdue: sql<number>`coalesce(sum(${tasks.state} in ('open', 'snoozed') and ${tasks.showAt} < ${now.getTime()}), 0)`,
        open: sql<number>`coalesce(sum(${tasks.state} in ('open', 'snoozed')), 0)`,
      })
      .from(tasks)
      .innerJoin(users, eq(users.id, tasks.assigneeId))
      .where(
        and(
          eq(tasks.workspaceId, workspaceId),
          range.from ? gte(tasks.createdAt, range.from) : undefined,
          range.to ? lt(tasks.createdAt, range.to) : undefined,
        ),
      )
      .groupBy(tasks.assigneeId, users.name)
      .orderBy(users.name),
  ]);

  const result: CadenceAnalytics = {
    cadences: cadenceRows
      .map((cadence) => {
        const count = (state: string) =>
          Number(states.find((row) => row.cadenceId === cadence.id && row.state === state)?.n ?? 0);
        const enrolled = states
          .filter((row) => row.cadenceId === cadence.id)
          .reduce((sum, row) => sum + Number(row.n), 0);
        const own = stops.filter((row) => row.cadenceId === cadence.id);
        const replies = own.filter((row) => REPLY_CAUSES.includes(row.cause ?? ''));
        const meetings = own.filter((row) => row.cause === 'meeting');
        // A stop records the step it waited for next: the reply answers the latest task before it
        // (a wait creates nothing to answer).
        const stepOf = (row: { stepIndex: number | null }) => {
          let index = Math.min(cadence.steps.length, row.stepIndex ?? 1) - 1;
          while (index > 0 && cadence.steps[index]?.type === 'wait') index--;
          return Math.max(0, index);
        };
        const firstReply = new Map<string, number>();
        for (const row of replies) {
          const days = (Number(row.at) - row.enrolledAt.getTime()) / DAY;
          firstReply.set(row.enrolmentId, Math.min(firstReply.get(row.enrolmentId) ?? days, days));
        }
        const days = median([...firstReply.values()]);
        return {
          cadenceId: cadence.id,
          name: cadence.name,
          archived: cadence.archived,
          enrolled,
          active: count('active'),
          paused: count('paused'),
          finished: count('finished'),
          stoppedByReply: new Set(replies.map((row) => row.enrolmentId)).size,
          stoppedByMeeting: new Set(meetings.map((row) => row.enrolmentId)).size,
          medianDaysToFirstReply: days === null ? null : Math.round(days * 10) / 10,
          steps: cadence.steps.map((step, index) => {
            const reach = Number(
              reached.find((row) => row.cadenceId === cadence.id && row.stepIndex === index)?.n ?? 0,
            );
            const stepReplies = new Set(
              replies.filter((row) => stepOf(row) === index).map((r) => r.enrolmentId),
            ).size;
            const stepMeetings = new Set(
              meetings.filter((row) => stepOf(row) === index).map((r) => r.enrolmentId),
            ).size;
            return {
              index,
              type: step.type,
              reached: reach,
              replies: stepReplies,
              meetings: stepMeetings,
              replyRate: ratio(stepReplies, reach),
              meetingRate: ratio(stepMeetings, reach),
            };
          }),
        };
      })
      .filter((cadence) => !cadence.archived || cadence.enrolled > 0),
    reps: repTasks.map((row) => ({
      userId: row.userId,
      name: row.name,
      doneOnTime: Number(row.doneOnTime),
      doneLate: Number(row.doneLate),
      skipped: Number(row.skipped),
      overdue: Number(row.overdue),
      open: Number(row.open),
    })),
  };
  return result;
}
