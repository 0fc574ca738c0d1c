import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '@leadline/server';
import { bootstrap } from '@leadline/server/bootstrap';
import { openDatabase } from '@leadline/server/db';
import type { Import } from '@leadline/shared';
import { median, round, timeIt } from './stats';

const TOKEN = 'bench-admin-token-0123456789';
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

/** Row `i` of the generated file: one in ten is a person the workspace already knows. */
function row(i: number): string {
  // Five people a company, each of another first name: no two read as the same person.
  const company = `Company ${Math.floor(i / 5)}`;
  const phone = `+49 30 ${String(1_000_000 + i).slice(-7)}`;
  const day = String(1 + (i % 28)).padStart(2, '0');
  return `${nameOf(i)},person${i}@company${Math.floor(i / 5)}.com,${phone},${TITLES[i % TITLES.length]},${company},${COUNTRIES[i % COUNTRIES.length]},company${Math.floor(i / 5)}.com,2024-03-${day} 10:00,Trade Show\r\n`;
}

/** The file, generated as it is sent: never held whole. */
function csvStream(rows: number): ReadableStream<Uint8Array> {
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

/**
 * `pnpm bench import`: a generated HubSpot-style CSV of `rows` rows (BENCH_IMPORT_ROWS, 500,000 by
 * default; a tenth match leads seeded first) uploaded through the real app in-process (streamed,
 * staged, dry run), then run in the background and polled as the page does. Reports rows a second
 * for the upload with its dry run, the run's median over the polls, and the peak resident memory.
 */
export async function benchImport({ rows }: { rows: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-import-'));
  const report: Record<string, unknown> = { rows };
  let rssPeak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  }, 50);
  try {
    const handle = await openDatabase(`file:${join(dir, 'bench.db')}`);
    const { workspaceId } = await bootstrap(handle.db, TOKEN);
    const known = Math.floor(rows / 10);
    for (let start = 0; start < known; start += 500) {
      const ids = Array.from({ length: Math.min(500, known - start) }, (_, k) => (start + k) * 10);
      const now = Date.now();
      await handle.client.execute({
        sql: `insert into leads (id, workspace_id, full_name, email, email_key, source_channel, stage, fit, created_at, updated_at)
              values ${ids.map(() => "(?, ?, ?, ?, ?, 'manual', 'new', 0, ?, ?)").join(', ')}`,
        args: ids.flatMap((i) => [
          crypto.randomUUID(),
          workspaceId,
          nameOf(i).replace(',', ' '),
          `person${i}@company${Math.floor(i / 5)}.com`,
          `person${i}@company${Math.floor(i / 5)}.com`,
          now,
          now,
        ]),
      });
    }
    const app = createApp(handle.db);
    const auth = { authorization: `Bearer ${TOKEN}` };
    const uploadRun = await timeIt(async () => {
      const res = await app.request('/api/imports?fileName=bench.csv', {
        method: 'POST',
        headers: { ...auth, 'content-type': 'text/csv' },
        body: csvStream(rows),
        duplex: 'half',
      } as RequestInit);
      if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as Import;
    });
    const job = uploadRun.result;
    report.upload = {
      seconds: round(uploadRun.ms / 1000, 1),
      rowsPerSecond: Math.round(rows / (uploadRun.ms / 1000)),
      dryRun: {
        create: job.dryRun?.create,
        match: job.dryRun?.match,
        invalid: job.dryRun?.invalid,
        reasons: job.dryRun?.reasons.slice(0, 3),
      },
    };
    console.error(`bench: so far ${JSON.stringify(report)}`);
    const started = performance.now();
    const start = await app.request(`/api/imports/${job.id}/start`, { method: 'POST', headers: auth });
    if (start.status !== 202) throw new Error(`start answered ${start.status}: ${await start.text()}`);
    const rates: number[] = [];
    const pollMs: number[] = [];
    let last = { done: 0, at: started };
    let progress: Import;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const asked = performance.now();
      progress = (await (await app.request(`/api/imports/${job.id}`, { headers: auth })).json()) as Import;
      const at = performance.now();
      pollMs.push(at - asked);
      // A rate from one change of `done` to the next: the polls between see the same count.
      if (progress.progress.done > last.done) {
        rates.push(((progress.progress.done - last.done) / (at - last.at)) * 1000);
        last = { done: progress.progress.done, at };
      }
      if (progress.status !== 'running') break;
    }
    const seconds = (performance.now() - started) / 1000;
    report.run = {
      status: progress.status,
      seconds: round(seconds, 1),
      rowsPerSecond: Math.round(rows / seconds),
      rowsPerSecondMedian: Math.round(median(rates)),
      created: progress.progress.created,
      updated: progress.progress.updated,
      refused: progress.progress.refused,
      progressPollMedianMs: round(median(pollMs), 1),
    };
    report.rssPeakMb = Math.round(rssPeak / 1e6);
    handle.close();
    return report;
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}
