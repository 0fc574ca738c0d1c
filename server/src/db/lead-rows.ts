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

function toLeadRow(values: unknown[]): LeadRow {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < FIELDS.length; i++) {
    const [key, column] = FIELDS[i]!;
    const value = values[i];
    row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value as never);
  }
  return row as LeadRow;
}

/** The leads matching `where` (a condition on `leads`' columns), with an optional `limit`. */
export async function selectLeads(executor: Executor, where: SQL, limit?: number): Promise<LeadRow[]> {
  const query = dialect.sqlToQuery(
    limit === undefined ? sql`${SELECT} where ${where}` : sql`${SELECT} where ${where} limit ${limit}`,
  );
  return (await readRows(executor, query)).map(toLeadRow);
}
