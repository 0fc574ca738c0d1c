import { ProblemException } from '../lib/problem';

/** The encodings an upload is read in; TextDecoder names. */
export type FileEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';
export type Delimiter = ',' | ';' | '\t';

/** Files that are not text, by their first bytes, with what to tell the user. */
const MAGIC: [number[], string][] = [
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive or an Excel workbook (.xlsx): save it as CSV first'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel workbook (.xls): save it as CSV first'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image'],
  [[0x1f, 0x8b], 'a gzip archive'],
];

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);

function notCsv(what: string): never {
  throw new ProblemException('unsupported-media-type', `This file is not CSV text: it is ${what}`);
}

/**
 * The encoding of a file from its first bytes: a byte order mark says it; else a UTF-16 file without
 * one shows every other byte zero; else UTF-8 when the sample decodes as UTF-8, Windows-1252 (what
 * Excel writes on Windows) when it does not. A file that is binary is refused here.
 */
export function detectEncoding(sample: Uint8Array): FileEncoding {
  for (const [magic, what] of MAGIC) if (startsWith(sample, magic)) notCsv(what);
  if (startsWith(sample, [0xef, 0xbb, 0xbf])) return 'utf-8';
  if (startsWith(sample, [0xff, 0xfe])) return 'utf-16le';
  if (startsWith(sample, [0xfe, 0xff])) return 'utf-16be';
  const pairs = Math.min(sample.length >> 1, 2048);
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < pairs; i++) {
    if (sample[2 * i] === 0) zeroEven++;
    if (sample[2 * i + 1] === 0) zeroOdd++;
  }
  if (pairs >= 4 && zeroOdd > pairs * 0.4 && zeroEven === 0) return 'utf-16le';
  if (pairs >= 4 && zeroEven > pairs * 0.4 && zeroOdd === 0) return 'utf-16be';
  let control = 0;
  for (const byte of sample.subarray(0, 8192)) {
    if (byte === 0) notCsv('binary data (it holds NUL bytes)');
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control++;
  }
  if (control > 8) notCsv('binary data (it holds control characters)');
  try {
    // `stream: true`: a character cut at the end of the sample is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

/** Refuses decoded text that is plainly another format (JSON, HTML, XML). */
export function assertLooksLikeCsv(text: string) {
  const start = text.trimStart().slice(0, 200).toLowerCase();
  if (start.startsWith('{') || start.startsWith('[{')) notCsv('JSON');
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) notCsv('an HTML page');
  if (start.startsWith('<?xml')) notCsv('XML');
}

/**
 * The delimiter of a CSV from its first lines: the one of comma, semicolon and tab that splits the
 * header into the most columns and splits the next lines into as many (quoted text not counted).
 */
export function detectDelimiter(text: string): Delimiter {
  const lines = splitLines(text.slice(0, 64 * 1024), 20);
  let best: { delimiter: Delimiter; score: number } = { delimiter: ',', score: 0 };
  for (const delimiter of [',', ';', '\t'] as const) {
    const counts = lines.map((line) => countOutsideQuotes(line, delimiter));
    const header = counts[0] ?? 0;
    if (!header) continue;
    const consistent = counts.slice(1).filter((count) => count === header).length;
    const score = header * (1 + consistent);
    if (score > best.score) best = { delimiter, score };
  }
  return best.delimiter;
}

function splitLines(text: string, max: number): string[] {
  const lines: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length && lines.length < max; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '\n' && !quoted) {
      lines.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (lines.length < max && start < text.length) lines.push(text.slice(start));
  return lines;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let quoted = false;
  let count = 0;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) count++;
  }
  return count;
}
