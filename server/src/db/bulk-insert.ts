import type { InValue } from '@libsql/client';
import { getTableColumns, getTableName, type Table } from 'drizzle-orm';
import { deferWrite, type Executor } from './client';

/**
 * Inserts rows of a table through the libSQL client, each value mapped by its drizzle column (dates
 * to milliseconds, JSON to text, booleans to 0/1): the query builder's per-value work costs more
 * than SQLite itself for the thousands of rows an import slice writes. Every column is written: a
 * value left out is NULL, not the column default (an integer primary key left out is assigned).
 * Deferred (`deferWrite`): nothing reads its result.
 */
export async function insertRows<T extends Table>(tx: Executor, table: T, rows: T['$inferInsert'][]) {
  if (!rows.length) return;
  const columns = Object.entries(getTableColumns(table));
  const perStatement = Math.max(1, Math.floor(30_000 / columns.length));
  const placeholders = `(${columns.map(() => '?').join(', ')})`;
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const args: InValue[] = [];
    for (const row of chunk) {
      for (const [key, column] of columns) {
        const value = (row as Record<string, unknown>)[key];
        args.push(value === undefined || value === null ? null : (column.mapToDriverValue(value) as InValue));
      }
    }
    await deferWrite(tx, {
      sql: `insert into "${getTableName(table)}" (${columns.map(([, column]) => `"${column.name}"`).join(', ')})
            values ${chunk.map(() => placeholders).join(', ')}`,
      params: args,
    });
  }
}
