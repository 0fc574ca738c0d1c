import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { type Executor, readRows } from './client';
import type { LeadRow } from './lead-row';
import { leads } from './schema';

/*
 * Whole lead rows, read without drizzle's select builder and result mapping, for the reads every
 * panel request makes (the lead it opens or logs a touch on, the hot list's winners, the match).
 * drizzle builds the 44-column selection again for each query and maps each value of each row
 * through a chain of `is()` checks: under `pnpm bench load` that was 17% of the request thread's
 * time, more than any code of ours. Here the selection is written once, the rows come from the
 * reader as plain arrays (`readRows`) and each value goes through its column's own decoder, as
 * drizzle's mapping does (null stays null).
 */

const FIELDS = Object.entries(getTableColumns(leads)) as [keyof LeadRow, (typeof leads)['id']][];
const SELECT = sql.raw(`select ${FIELDS.map(([, column]) => `"${column.name}"`).join(', ')} from "leads"`);
const dialect = new SQLiteAsyncDialect();

/** A stored value of a lead column as drizzle maps it (a moment as a Date, a flag as a boolean). */
export function fromDriver(column: (typeof leads)['id'], value: unknown): unknown {
  return value === null || value === undefined ? null : column.mapFromDriverValue(value as never);
}

function toLeadRow(values: unknown[]): LeadRow {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < FIELDS.length; i++) {
    const [key, column] = FIELDS[i]!;
    row[key] = fromDriver(column, values[i]);
  }
  return row as LeadRow;
}

/** The leads matching `where` (a condition on `leads`' columns, as `and(...)` gives it), up to `limit`. */
export async function selectLeads(
  executor: Executor,
  where: SQL | undefined,
  limit?: number,
): Promise<LeadRow[]> {
  const parts = [SELECT];
  if (where) parts.push(sql`where ${where}`);
  if (limit !== undefined) parts.push(sql`limit ${limit}`);
  return (await readRows(executor, dialect.sqlToQuery(sql.join(parts, sql` `)))).map(toLeadRow);
}
