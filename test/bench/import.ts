import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '@leadline/server/bootstrap';
import { newId, openDatabase } from '@leadline/server/db';
import type { Import } from '@leadline/shared';
import { createClient } from '@libsql/client';
import { BUILT_SERVER, startApiServer } from '../support/api-server';
import { peakRssMb, seedKnownLeads, uploadLeadCsv } from './lead-csv';
import { median, round, timeIt } from './stats';

const TOKEN = 'bench-import-admin-token-0123456789abcdef';

/**
 * The floor an import is measured against: the same number of lead rows, with the columns an
 * imported lead fills, inserted 500 a transaction into a fresh database of the same schema (every
 * index and trigger), through the same worker-thread pool. No parsing, matching, scoring, history
 * or outcomes: what this schema costs to take rows at all.
 */
async function insertFloor(dir: string, rows: number) {
  const handle = await openDatabase(`file:${join(dir, 'floor.db')}`);
  const { workspaceId } = await bootstrap(handle.db, `${TOKEN}-floor`);
  const columns = [
    'id',
    'workspace_id',
    'full_name',
    'first_name',
    'last_name',
    'name_key',
    'title',
    'company',
    'company_domain',
    'email',
    'email_key',
    'phone',
    'country',
    'website',
    'source_channel',
    'account_key',
    'stage',
    'fit',
    'created_at',
    'updated_at',
  ];
  const run = await timeIt(async () => {
    for (let start = 0; start < rows; start += 500) {
      const now = Date.now();
      const chunk = Array.from({ length: Math.min(500, rows - start) }, (_, k) => start + k);
      await handle.db.transaction(() =>
        handle.client.execute({
          sql: `insert into leads (${columns.join(', ')}) values ${chunk.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ')}`,
          args: chunk.flatMap((i) => [
            newId(now),
            workspaceId,
            `Anna Mc${i}`,
            'Anna',
            `Mc${i}`,
            `anna mc${i}`,
            'Head of Sales',
            `Company ${Math.floor(i / 5)}`,
            `company${Math.floor(i / 5)}.com`,
            `person${i}@company${Math.floor(i / 5)}.com`,
            `person${i}@company${Math.floor(i / 5)}.com`,
            `+4930${1_000_000 + i}`,
            'DE',
            `https://company${Math.floor(i / 5)}.com`,
            'import',
            `company${Math.floor(i / 5)}.com`,
            'new',
            40,
            now,
            now,
          ]),
        }),
      );
    }
  });
  handle.close();
  return Math.round(rows / (run.ms / 1000));
}

/**
 * `pnpm bench import`: a generated HubSpot-style CSV of `rows` rows (BENCH_IMPORT_ROWS, 500,000 by
 * default; a tenth match leads seeded first) uploaded over HTTP to the real API process (streamed,
 * staged, dry run), then run in the background and polled as the page does. Reports rows a second
 * for the upload with its dry run and for the run (overall and the median between progress
 * changes), the API process's peak resident memory (VmHWM), and a bare insert of as many lead rows
 * into the same schema, measured in the same run, as the floor the run's rate is a share of.
 */
export async function benchImport({ rows }: { rows: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-import-'));
  const databaseUrl = `file:${join(dir, 'bench.db')}`;
  const report: Record<string, unknown> = { rows };
  const built = existsSync(BUILT_SERVER);
  const server = await startApiServer({
    databaseUrl,
    token: TOKEN,
    built,
    startTimeoutMs: 120_000,
    env: process.env.BENCH_API_NODE_OPTIONS ? { NODE_OPTIONS: process.env.BENCH_API_NODE_OPTIONS } : {},
    nodeArgs: process.env.BENCH_API_NODE_ARGS?.split(/\s+/).filter(Boolean),
  });
  report.server = built ? 'node dist/index.js' : 'tsx src/index.ts';
  try {
    const client = createClient({ url: databaseUrl });
    const [workspace] = (await client.execute('select id from workspaces limit 1')).rows;
    report.knownLeads = await seedKnownLeads(client, String(workspace!.id), rows);
    client.close();
    report.rssAfterStartMb = await peakRssMb(server.pid());
    const auth = { authorization: `Bearer ${TOKEN}` };
    const uploadRun = await timeIt(async () => {
      const res = await uploadLeadCsv(`${server.url}/api/imports?fileName=bench.csv`, TOKEN, rows);
      if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.body}`);
      return JSON.parse(res.body) as Import;
    });
    const job = uploadRun.result;
    report.upload = {
      seconds: round(uploadRun.ms / 1000, 1),
      rowsPerSecond: Math.round(rows / (uploadRun.ms / 1000)),
      dryRun: { create: job.dryRun?.create, match: job.dryRun?.match, invalid: job.dryRun?.invalid },
      rssPeakMb: await peakRssMb(server.pid()),
    };
    console.error(`bench: so far ${JSON.stringify(report)}`);
    const started = performance.now();
    const start = await fetch(`${server.url}/api/imports/${job.id}/start`, { method: 'POST', headers: auth });
    if (start.status !== 202) throw new Error(`start answered ${start.status}: ${await start.text()}`);
    const rates: number[] = [];
    const pollMs: number[] = [];
    let last = { done: 0, at: started };
    let progress: Import;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      const asked = performance.now();
      progress = (await (
        await fetch(`${server.url}/api/imports/${job.id}`, { headers: auth })
      ).json()) as Import;
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
    const rowsPerSecond = Math.round(rows / seconds);
    report.run = {
      status: progress.status,
      seconds: round(seconds, 1),
      rowsPerSecond,
      rowsPerSecondMedian: Math.round(median(rates)),
      created: progress.progress.created,
      updated: progress.progress.updated,
      refused: progress.progress.refused,
      progressPollMedianMs: round(median(pollMs), 1),
    };
    report.apiRssPeakMb = await peakRssMb(server.pid());
    const floor = await insertFloor(dir, rows);
    report.floor = { what: 'bare insert of as many lead rows, 500 a transaction', rowsPerSecond: floor };
    report.runVsFloor = round(rowsPerSecond / floor, 2);
    return report;
  } finally {
    await server.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}
