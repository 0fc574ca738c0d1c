import { type CsvColumn, downloadCsv, toCsv } from './csv';

export interface Column<Row> extends CsvColumn<Row> {
  /** What the table shows; the CSV keeps the raw value. */
  render?: (row: Row) => string;
  numeric?: boolean;
  /** The lead list behind this cell, if it has one: the cell becomes a link to it. */
  href?: (row: Row) => string | null;
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
  href?: (row: Row) => string | null,
): Column<Row> {
  return { label, csvLabel, value, render: (row) => format(value(row)), numeric: true, href };
}

/**
 * A labelled table with a CSV download of exactly its rows and columns. The first column stays in
 * view when the table scrolls sideways; `rowHref` makes it a link to the leads behind the row.
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  filename,
  rowKey,
  rowHref,
  testId,
}: {
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  /** The CSV download's name; without one the table has no download (its page offers its own). */
  filename?: string;
  rowKey: (row: Row, index: number) => string;
  rowHref?: (row: Row) => string | null;
  testId?: string;
}) {
  return (
    <div className="table-block">
      {filename && (
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
      )}
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
                  const href = (c === 0 ? rowHref : column.href)?.(row) ?? null;
                  const content = href ? (
                    <a href={href} target="_blank" rel="noopener">
                      {text}
                    </a>
                  ) : (
                    text
                  );
                  return c === 0 ? (
                    <th key={column.label} scope="row">
                      {content}
                    </th>
                  ) : (
                    <td key={column.label} className={column.numeric ? 'num' : undefined}>
                      {content}
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
