import { type CsvColumn, downloadCsv, toCsv } from './csv';

export interface Column<Row> extends CsvColumn<Row> {
  /** What the table shows; the CSV keeps the raw value. */
  render?: (row: Row) => string;
  numeric?: boolean;
}

/**
 * A right-aligned number column: the CSV keeps the raw value, the table shows it through `format`.
 * `csvLabel` names the CSV header when it differs (say, to give the unit of the raw value).
 */
export function numberColumn<Row>(
  label: string,
  value: (row: Row) => number | null | undefined,
  format: (value: number | null | undefined) => string,
  csvLabel?: string,
): Column<Row> {
  return { label, csvLabel, value, render: (row) => format(value(row)), numeric: true };
}

/** A labelled table with a CSV download of exactly its rows and columns. */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  filename,
  rowKey,
  testId,
}: {
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  filename: string;
  rowKey: (row: Row, index: number) => string;
  testId?: string;
}) {
  return (
    <div className="table-block">
      <div className="table-tools">
        <button
          type="button"
          className="button button-quiet"
          onClick={() => downloadCsv(filename, toCsv(columns, rows))}
          aria-label={`Download ${caption} as CSV`}
        >
          ⤓ CSV
        </button>
      </div>
      <div className="table-scroll">
        <table data-testid={testId}>
          <caption>{caption}</caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column.label} scope="col" className={column.numeric ? 'num' : undefined}>
                  {column.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={rowKey(row, index)}>
                {columns.map((column, c) => {
                  const text = column.render ? column.render(row) : String(column.value(row) ?? '–');
                  return c === 0 ? (
                    <th key={column.label} scope="row">
                      {text}
                    </th>
                  ) : (
                    <td key={column.label} className={column.numeric ? 'num' : undefined}>
                      {text}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
