import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrap } from '@leadline/server/bootstrap';
import { openDatabase } from '@leadline/server/db';
import Database from 'libsql';
import { BUILT_SERVER, startApiServer } from '../support/api-server';
import { seed } from './scoring';
import { median, round } from './stats';

const TOKEN = 'bench-export-admin-token-0123456789';
/** Rows between two progress marks: each mark records the rate since the last one and the RSS. */
const MARK_ROWS = 100_000;

/** A process's resident memory now and its peak so far (VmHWM), in MB, from /proc. */
function memoryOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: Math.round(kb('VmRSS') / 1024), hwmMb: Math.round(kb('VmHWM') / 1024) };
}

interface Mark {
  rows: number;
  rowsPerSecond: number;
  serverRssMb: number;
}

/**
 * Reads `url` as a client downloading the file would (node:http, no body kept), counting lines, and
 * at every MARK_ROWS rows the rate since the last mark and the server's resident memory.
 */
function download(url: string, pid: number) {
  return new Promise<{ ms: number; bytes: number; lines: number; marks: Mark[]; peakRssMb: number }>(
    (resolve, reject) => {
      const started = performance.now();
      let bytes = 0;
      let lines = 0;
      let peakRssMb = memoryOf(pid).rssMb;
      let lastMark = { at: started, lines: 0 };
      const marks: Mark[] = [];
      const request = get(url, { headers: { authorization: `Bearer ${TOKEN}` } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(new Error(`export answered ${res.statusCode}`));
          return;
        }
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.byteLength;
          for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
          if (lines - lastMark.lines >= MARK_ROWS) {
            const now = performance.now();
            const { rssMb } = memoryOf(pid);
            peakRssMb = Math.max(peakRssMb, rssMb);
            marks.push({
              rows: lines - 1,
              rowsPerSecond: Math.round((lines - lastMark.lines) / ((now - lastMark.at) / 1000)),
              serverRssMb: rssMb,
            });
            lastMark = { at: now, lines };
          }
        });
        res.on('end', () => {
          peakRssMb = Math.max(peakRssMb, memoryOf(pid).rssMb);
          resolve({ ms: performance.now() - started, bytes, lines, marks, peakRssMb });
        });
        res.on('error', reject);
      });
      request.on('error', reject);
    },
  );
}

/**
 * The floor: the same rows read in id order, a page at a time, straight from SQLite (the `libsql`
 * driver in this thread, rows as arrays), nothing converted or formatted.
 */
function floorRead(file: string) {
  // A busy timeout: the seeding handle's worker threads may still be closing the file.
  const db = new Database(file, { timeout: 10_000 });
  try {
    const page = db.prepare('select * from leads where id > ? order by id limit 1000').raw(true);
    const started = performance.now();
    let after = '';
    let rows = 0;
    for (;;) {
      const got = page.all(after) as unknown[][];
      if (!got.length) break;
      rows += got.length;
      after = String(got.at(-1)![0]);
    }
    return { rows, ms: performance.now() - started };
  } finally {
    db.close();
  }
}

/**
 * Seeds `leads` leads into a fresh libSQL file, starts the API process on it (the built server,
 * `node dist/index.js`, when there is one; `server` another bundle, such as a build of another
 * commit for a before/after on the same file) and downloads `GET /api/exports/leads.csv` (every column,
 * then five; each lead scored at the moment of export) over HTTP as a client would: time, rows a
 * second (overall, and the median of each 100,000 rows), and the server process's memory from
 * /proc: resident at start, at each 100,000 rows, its peak (constant memory: it should not grow
 * with the export). Alongside, the floor: the same rows read from the file with nothing formatted.
 * With `keep`, the seeded file is that path and stays (seeding 1,000,000 leads takes minutes), and a
 * file already there is used as it is.
 */
export async function benchExport({
  leads,
  seed: seedValue,
  keep,
  server: bundle,
}: {
  leads: number;
  seed: number;
  keep?: string;
  server?: string;
}) {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-export-'));
  const file = keep ?? join(dir, 'bench.db');
  const built = existsSync(bundle ?? BUILT_SERVER);
  const report: Record<string, unknown> = {
    leads,
    server: built
      ? `node ${bundle ?? 'server/dist/index.js'}`
      : 'tsx src/index.ts (run pnpm --filter @leadline/server build first)',
  };
  try {
    if (!keep || !existsSync(keep)) {
      const handle = await openDatabase(`file:${file}`);
      try {
        const { workspaceId, adminUserId } = await bootstrap(handle.db, TOKEN);
        const seeding = performance.now();
        await seed(handle.client, workspaceId, adminUserId, {
          leads,
          touchpointsPerLead: 0,
          seed: seedValue,
        });
        await handle.client.execute('analyze');
        report.seedSeconds = round((performance.now() - seeding) / 1000, 1);
      } finally {
        handle.close();
      }
    }
    const floor = floorRead(file);
    report.leads = floor.rows;
    report.floor = {
      seconds: round(floor.ms / 1000, 1),
      rowsPerSecond: Math.round(floor.rows / (floor.ms / 1000)),
    };
    const server = await startApiServer({
      databaseUrl: `file:${file}`,
      token: TOKEN,
      built,
      bundle,
      startTimeoutMs: 120_000,
    });
    try {
      const pid = server.pid()!;
      report.serverRssAtStartMb = memoryOf(pid).rssMb;
      for (const [name, query] of [
        ['csvAllColumns', ''],
        ['csvFiveColumns', '?columns=fullName,email,company,score,stage'],
      ] as const) {
        const run = await download(`${server.url}/api/exports/leads.csv${query}`, pid);
        const seconds = run.ms / 1000;
        report[name] = {
          seconds: round(seconds, 1),
          rows: run.lines - 1,
          rowsPerSecond: Math.round((run.lines - 1) / seconds),
          medianRowsPerSecondPer100k: run.marks.length
            ? median(run.marks.map((mark) => mark.rowsPerSecond))
            : null,
          megabytes: round(run.bytes / 1e6, 1),
          serverRssPeakMb: run.peakRssMb,
          serverHwmMb: memoryOf(pid).hwmMb,
          marks: run.marks,
          againstFloor: round(seconds / (floor.ms / 1000), 2),
        };
        console.error(`bench: so far ${JSON.stringify(report)}`);
      }
    } finally {
      await server.dispose();
    }
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
