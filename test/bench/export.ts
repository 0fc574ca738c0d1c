import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '@leadline/server';
import { bootstrap } from '@leadline/server/bootstrap';
import { openDatabase } from '@leadline/server/db';
import { seed } from './scoring';
import { round, timeIt } from './stats';

const TOKEN = 'bench-admin-token-0123456789';

/**
 * Seeds `leads` leads into a fresh libSQL file, then streams `GET /api/exports/leads.csv` (every
 * column, each lead scored at the moment of export) through the real app in-process, reading it as
 * a client would: time, rows a second, and the process's resident memory while it streams (constant
 * memory: the RSS should not grow with the export).
 */
export async function benchExport({ leads, seed: seedValue }: { leads: number; seed: number }) {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-export-'));
  const report: Record<string, unknown> = { leads };
  try {
    const handle = await openDatabase(`file:${join(dir, 'bench.db')}`);
    const { workspaceId, adminUserId } = await bootstrap(handle.db, TOKEN);
    const seeding = await timeIt(() =>
      seed(handle.client, workspaceId, adminUserId, { leads, touchpointsPerLead: 0, seed: seedValue }),
    );
    report.seedSeconds = round(seeding.ms / 1000, 1);
    const app = createApp(handle.db);
    for (const [name, query] of [
      ['csvAllColumns', ''],
      ['csvFiveColumns', '?columns=fullName,email,company,score,stage'],
    ] as const) {
      global.gc?.();
      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      let bytes = 0;
      let lines = 0;
      const run = await timeIt(async () => {
        const res = await app.request(`/api/exports/leads.csv${query}`, {
          headers: { authorization: `Bearer ${TOKEN}` },
        });
        if (!res.ok || !res.body) throw new Error(`export answered ${res.status}`);
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.byteLength;
          for (const byte of chunk) if (byte === 10) lines++;
          rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        }
      });
      report[name] = {
        seconds: round(run.ms / 1000, 1),
        rowsPerSecond: Math.round((lines - 1) / (run.ms / 1000)),
        rows: lines - 1,
        megabytes: round(bytes / 1e6, 1),
        rssBeforeMb: Math.round(rssBefore / 1e6),
        rssPeakMb: Math.round(rssPeak / 1e6),
      };
      console.error(`bench: so far ${JSON.stringify(report)}`);
    }
    handle.close();
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
