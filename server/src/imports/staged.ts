import { type Executor, statementRunner } from '../db/client';

export interface StagedRow {
  rowNo: number;
  line: number;
  cells: string[];
  /**
   * Before the run, the dry run's verdict on a row that repeats an earlier row of the file (the
   * run refuses it with this reason, so the two always agree); after the run, the outcome's reason.
   */
  reason: string | null;
}

/** The staged rows after `after`, in file order (through the libSQL client: no builder per row). */
export async function readStagedRows(
  db: Executor,
  importId: string,
  after: number,
  limit: number,
): Promise<StagedRow[]> {
  const { rows } = await statementRunner(db).execute({
    sql: 'select row_no, line, cells, reason from import_rows where import_id = ? and row_no > ? order by row_no limit ?',
    args: [importId, after, limit],
  });
  return rows.map((row) => ({
    rowNo: Number(row[0]),
    line: Number(row[1]),
    cells: JSON.parse(String(row[2])) as string[],
    reason: row[3] === null ? null : String(row[3]),
  }));
}
