import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { eq } from 'drizzle-orm';
import { type Database, statementRunner } from '../db/client';
import { newId } from '../db/ids';
import { imports } from '../db/schema';
import { ProblemException } from '../lib/problem';
import type { Principal } from '../lib/types';
import { assertLooksLikeCsv, detectDelimiter, detectEncoding } from './detect';

export const UPLOAD_LIMITS = {
  maxBytes: 100 * 1024 * 1024,
  maxRows: 500_000,
  maxColumns: 500,
  /** A row longer than this is not a row of a lead list: a file with no line breaks, or not CSV. */
  maxRowChars: 1024 * 1024,
};
export type UploadLimits = typeof UPLOAD_LIMITS;

/** Rows staged per write transaction. */
const STAGE_BATCH = 1000;
const SAMPLE_BYTES = 64 * 1024;

const invalid = (detail: string) => new ProblemException('validation', detail);

/** Reads the body, counting bytes, with the first `SAMPLE_BYTES` handed back first. */
async function openBody(body: ReadableStream<Uint8Array>, maxBytes: number) {
  const reader = body.getReader();
  let bytes = 0;
  const read = async (): Promise<Uint8Array | null> => {
    const { done, value } = await reader.read();
    if (done) return null;
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new ProblemException('payload-too-large', `The file is over ${maxBytes / 1024 / 1024} MB`);
    }
    return value;
  };
  const parts: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  while (size < SAMPLE_BYTES) {
    const chunk = await read();
    if (!chunk) {
      ended = true;
      break;
    }
    parts.push(chunk);
    size += chunk.byteLength;
  }
  const sample = Buffer.concat(parts);
  return { sample, ended, read, bytes: () => bytes };
}

/** Where csv-parse stopped, as a line number of the file. */
const lineOf = (error: CsvError) => (error as CsvError & { lines?: number }).lines ?? 0;

function describeCsvError(error: CsvError, limits: UploadLimits): ProblemException {
  const line = lineOf(error);
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return invalid(
        `A quoted field that starts before line ${line} is never closed: the file ends inside it`,
      );
    case 'CSV_MAX_RECORD_SIZE':
      return invalid(
        `The row starting near line ${line + 1} is over ${limits.maxRowChars / 1024 / 1024} MB: this is not a list of rows (a file without line breaks, or not CSV)`,
      );
    case 'CSV_INVALID_CLOSING_QUOTE':
      return invalid(`Line ${line}: a quote closes a field but more text follows it in the same field`);
    default:
      return invalid(`The file could not be read as CSV (line ${line}): ${error.message}`);
  }
}

/**
 * Streams an uploaded CSV into the database: the encoding and delimiter detected from its first
 * bytes, parsed by csv-parse, its rows staged in `import_rows` a thousand per transaction (the file
 * is never held whole). Any refusal deletes what was staged, so nothing of a bad file stays.
 * Returns the new import's id.
 */
export async function stageUpload(
  db: Database,
  principal: Principal,
  body: ReadableStream<Uint8Array>,
  meta: { fileName: string; campaign: string | null },
  limits: UploadLimits = UPLOAD_LIMITS,
  now = new Date(),
): Promise<string> {
  const file = await openBody(body, limits.maxBytes);
  if (file.sample.byteLength === 0) throw invalid('The file is empty');
  const encoding = detectEncoding(file.sample);
  const decoder = new TextDecoder(encoding);
  const first = decoder.decode(file.sample, { stream: !file.ended });
  if (!first.trim()) throw invalid('The file is empty: it holds no text');
  assertLooksLikeCsv(first);
  const delimiter = detectDelimiter(first);
  async function* text() {
    yield first;
    if (file.ended) return;
    for (let chunk = await file.read(); chunk; chunk = await file.read()) {
      yield decoder.decode(chunk, { stream: true });
    }
    yield decoder.decode();
  }
  const parser = parse({
    delimiter,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    max_record_size: limits.maxRowChars,
    info: true,
  });
  const source = Readable.from(text());
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);

  const id = newId();
  let created = false;
  let rows = 0;
  let batch: { rowNo: number; line: number; cells: string[] }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const staged = batch;
    batch = [];
    await db.transaction(async (tx) => {
      await statementRunner(tx).execute({
        sql: `insert into import_rows (import_id, row_no, line, cells) values ${staged.map(() => '(?, ?, ?, ?)').join(', ')}`,
        args: staged.flatMap((row) => [id, row.rowNo, row.line, JSON.stringify(row.cells)]),
      });
    });
  };
  try {
    // Lines are counted here (csv-parse counts a CR LF inside quotes as two): every record before
    // this one, with the line breaks inside its quoted fields, and the empty lines it skipped.
    let linesBefore = 0;
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { empty_lines: number };
    }>) {
      const startLine = linesBefore + info.empty_lines + 1;
      linesBefore += 1 + record.reduce((n, cell) => n + countLineBreaks(cell), 0);
      if (!created) {
        if (record.length > limits.maxColumns) {
          throw invalid(`The header row has ${record.length} columns; at most ${limits.maxColumns} are read`);
        }
        const headers = record.map((cell, i) => cell.trim() || `Column ${i + 1}`);
        await db.transaction((tx) =>
          tx.insert(imports).values({
            id,
            workspaceId: principal.workspaceId,
            createdBy: principal.userId,
            fileName: meta.fileName,
            campaign: meta.campaign,
            encoding,
            delimiter,
            headers,
            mapping: [],
            status: 'staged',
            totalRows: 0,
            createdAt: now,
          }),
        );
        created = true;
        continue;
      }
      if (record.every((cell) => !cell.trim())) continue;
      rows++;
      if (rows > limits.maxRows) {
        throw new ProblemException(
          'payload-too-large',
          `The file has more than ${limits.maxRows.toLocaleString('en')} rows; split it into several imports`,
        );
      }
      batch.push({ rowNo: rows, line: startLine, cells: record });
      if (batch.length >= STAGE_BATCH) await flush();
    }
    if (!created) throw invalid('The file is empty: it has no header row');
    if (!rows) throw invalid('The file has a header row but no rows below it');
    await flush();
    await db.transaction((tx) => tx.update(imports).set({ totalRows: rows }).where(eq(imports.id, id)));
    return id;
  } catch (error) {
    source.destroy();
    if (created) await discardImport(db, id);
    if (error instanceof CsvError) throw describeCsvError(error, limits);
    throw error;
  }
}

function countLineBreaks(cell: string): number {
  return cell.includes('\n') || cell.includes('\r') ? (cell.match(/\r\n|\r|\n/g)?.length ?? 0) : 0;
}

/** Deletes an import and its staged rows, a few thousand rows per transaction. */
export async function discardImport(db: Database, id: string) {
  for (;;) {
    const result = await db.transaction((tx) =>
      statementRunner(tx).execute({
        sql: 'delete from import_rows where rowid in (select rowid from import_rows where import_id = ? limit 5000)',
        args: [id],
      }),
    );
    if (result.rowsAffected < 5000) break;
  }
  await db.transaction((tx) => tx.delete(imports).where(eq(imports.id, id)));
}
