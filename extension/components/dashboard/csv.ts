import { csvCell } from '@leadline/shared';

export { csvCell };

export interface CsvColumn<Row> {
  label: string;
  /** The header in the CSV when it differs from the table's (say, to name the unit of a raw value). */
  csvLabel?: string;
  value: (row: Row) => string | number | null | undefined;
}

/** A CSV document with a header row, CRLF line ends (RFC 4180). */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((column) => csvCell(column.csvLabel ?? column.label)).join(',')];
  for (const row of rows) lines.push(columns.map((column) => csvCell(column.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Saves `csv` as a download named `filename` (a UTF-8 BOM so spreadsheets read accents right). */
export function downloadCsv(filename: string, csv: string, doc: Document = document) {
  const url = URL.createObjectURL(new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = filename;
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
