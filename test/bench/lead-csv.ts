/**
 * The generated HubSpot-style lead file `pnpm bench import` and `pnpm bench load` upload: rows made
 * as they are sent (never held whole), one in ten a person a seeded workspace already knows.
 */
import { request } from 'node:http';
import { Readable } from 'node:stream';
import type { Client } from '@libsql/client';

const HEADERS =
  'First Name,Last Name,Email,Phone Number,Job Title,Company Name,Country/Region,Website URL,Create Date,Lead Source\r\n';
const TITLES = ['Head of Sales', 'VP Marketing', 'CTO', 'Account Executive', 'Founder', 'Office Manager'];
const COUNTRIES = ['Germany', 'United States', 'France', 'United Kingdom', 'Spain'];
const FIRST = ['Anna', 'Ben', 'Chloé', 'David', 'Emma', 'Farid', 'Greta', 'Hugo', 'Ines', 'Jonas'];

/** `i` in letters, so every generated name is unique and still reads as a name. */
function letters(i: number): string {
  let text = '';
  for (let n = i; ; n = Math.floor(n / 26) - 1) {
    text = String.fromCharCode(97 + (n % 26)) + text;
    if (n < 26) return text;
  }
}

const nameOf = (i: number) => `${FIRST[i % FIRST.length]},Mc${letters(i)}`;
const emailOf = (i: number) => `person${i}@company${Math.floor(i / 5)}.com`;

/** Row `i` of the file. Five people a company, each of another first name: no two read as one. */
function row(i: number): string {
  const company = Math.floor(i / 5);
  const phone = `+49 30 ${String(1_000_000 + i).slice(-7)}`;
  const day = String(1 + (i % 28)).padStart(2, '0');
  return `${nameOf(i)},${emailOf(i)},${phone},${TITLES[i % TITLES.length]},Company ${company},${COUNTRIES[i % COUNTRIES.length]},company${company}.com,2024-03-${day} 10:00,Trade Show\r\n`;
}

/** The file of `rows` rows as a byte stream. */
export function leadCsvStream(rows: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = 0;
  return new ReadableStream({
    pull(controller) {
      if (next === 0) controller.enqueue(encoder.encode(HEADERS));
      if (next >= rows) {
        controller.close();
        return;
      }
      let text = '';
      for (const end = Math.min(rows, next + 2000); next < end; next++) text += row(next);
      controller.enqueue(encoder.encode(text));
    },
  });
}

/** Inserts the leads that every tenth row of a `rows`-row file matches by e-mail. */
export async function seedKnownLeads(client: Client, workspaceId: string, rows: number) {
  const known = Math.floor(rows / 10);
  for (let start = 0; start < known; start += 500) {
    const ids = Array.from({ length: Math.min(500, known - start) }, (_, k) => (start + k) * 10);
    const now = Date.now();
    await client.execute({
      sql: `insert into leads (id, workspace_id, full_name, email, email_key, source_channel, stage, fit, created_at, updated_at)
            values ${ids.map(() => "(?, ?, ?, ?, ?, 'manual', 'new', 0, ?, ?)").join(', ')}`,
      args: ids.flatMap((i) => [
        crypto.randomUUID(),
        workspaceId,
        nameOf(i).replace(',', ' '),
        emailOf(i),
        emailOf(i),
        now,
        now,
      ]),
    });
  }
  return known;
}

/** Peak resident memory of a process (VmHWM), in MB, from /proc; null where there is no /proc. */
export async function peakRssMb(pid: number | null | undefined): Promise<number | null> {
  if (pid === undefined || pid === null) return null;
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Math.round(Number(kb) / 1024) : null;
}

/**
 * Uploads the file with node:http rather than fetch: the API answers an upload once it is staged
 * and dry-run, which for 500,000 rows on a busy machine takes longer than fetch's five minutes of
 * waiting for the headers.
 */
export function uploadLeadCsv(
  url: string,
  token: string,
  rows: number,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    Readable.fromWeb(leadCsvStream(rows) as import('node:stream/web').ReadableStream).pipe(req);
  });
}
