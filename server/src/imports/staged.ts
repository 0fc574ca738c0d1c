import { type Executor, statementRunner } from '../db/client';

export interface StagedRow {
  rowNo: number;
  line: number;
  cells: string[];
}

/** The staged rows after `after`, in file order (through the libSQL client: no builder per row). */
export async function readStagedRows(
  db: Executor,
  importId: string,
  after: number,
  limit: number,
): Promise<StagedRow[]> {
  const { rows } = await statementRunner(db).execute({
    sql: 'select row_no, line, cells from import_rows where import_id = ? and row_no > ? order by row_no limit ?',
    args: [importId, after, limit],
  });
  return rows.map((row) => ({
    rowNo: Number(row[0]),
    line: Number(row[1]),
    cells: JSON.parse(String(row[2])) as string[],
  }));
}
