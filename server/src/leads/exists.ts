import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { leads, touchpoints } from '../db/schema';

/** Whether a lead is still there: an idempotent replay of its create checks before answering. */
export async function leadExists(db: Executor, id: string): Promise<boolean> {
  return (await db.select({ id: leads.id }).from(leads).where(eq(leads.id, id)).limit(1)).length > 0;
}

/** Whether a touchpoint is still there (not taken back with Undo, its lead not deleted). */
export async function touchpointExists(db: Executor, id: string): Promise<boolean> {
  return (
    (await db.select({ id: touchpoints.id }).from(touchpoints).where(eq(touchpoints.id, id)).limit(1))
      .length > 0
  );
}
