import { type WorkCalendar, workCalendar } from '@leadline/shared/working-time';
import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { users } from '../db/schema';
import { ProblemException } from '../lib/problem';

/** A person's working time (zone and hours): tasks fall due on their working days. */
export async function userCalendar(db: Executor, workspaceId: string, userId: string): Promise<WorkCalendar> {
  const [row] = await db
    .select({ timeZone: users.timeZone, workingHours: users.workingHours })
    .from(users)
    .where(and(eq(users.workspaceId, workspaceId), eq(users.id, userId)));
  if (!row) {
    throw new ProblemException('validation', `assigneeId: no user ${userId} in this workspace`, [
      { path: ['assigneeId'], message: `No user ${userId} in this workspace`, code: 'custom' },
    ]);
  }
  return workCalendar(row.timeZone, row.workingHours);
}

/** The working time of several people at once, by id (the engine's batch). */
export async function userCalendars(
  db: Executor,
  userIds: readonly string[],
): Promise<Map<string, WorkCalendar>> {
  const calendars = new Map<string, WorkCalendar>();
  if (!userIds.length) return calendars;
  const rows = await db
    .select({ id: users.id, timeZone: users.timeZone, workingHours: users.workingHours })
    .from(users)
    .where(inArray(users.id, [...new Set(userIds)]));
  for (const row of rows) calendars.set(row.id, workCalendar(row.timeZone, row.workingHours));
  return calendars;
}
