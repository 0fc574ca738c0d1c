import type { Enrolment, Task } from '@leadline/shared';
import type { Executor } from '../db/client';
import { leadTaskRows, wireTask } from '../tasks/tasks.service';
import { leadEnrolments } from './enrol';

/** A lead's tasks and cadence enrolments (with their history): one section of the per-lead export. */
export async function leadFollowUps(
  db: Executor,
  workspaceId: string,
  leadId: string,
  now = new Date(),
): Promise<{ tasks: Task[]; enrolments: Enrolment[] }> {
  const rows = await leadTaskRows(db, workspaceId, leadId);
  const tasks = [];
  for (const row of rows) tasks.push(await wireTask(db, row, now));
  return { tasks, enrolments: await leadEnrolments(db, workspaceId, leadId) };
}
