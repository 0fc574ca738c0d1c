import { get } from 'node:http';
import { type DatabaseHandle, openDatabase } from '@leadline/server/db';
import type { Import } from '@leadline/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiServer, api, startApiServer } from '../support/api-server';
import { type SqldServer, startSqld } from '../support/sqld';

// A CSV import is run in slices, each one write transaction that claims the import with a lease.
// Here two API processes share one libSQL server (sqld); the one that started the import is killed
// (SIGKILL: nothing of it runs to an end) in the middle, and the other one's import runner takes it
// up once the claim has lapsed and finishes it: every row once, then the undo, on sqld.
const ROWS = 4000;
/** The runners look for lapsed claims every half second (the claim itself lasts 30 s). */
const env = { IMPORT_INTERVAL_MS: '500' };

let sqld: SqldServer;
let first: ApiServer;
let second: ApiServer;
let handle: DatabaseHandle;

beforeAll(async () => {
  sqld = await startSqld();
  first = await startApiServer({ databaseUrl: sqld.url, env, startTimeoutMs: 50_000 });
  second = await startApiServer({ databaseUrl: sqld.url, token: first.token, env, startTimeoutMs: 50_000 });
  handle = await openDatabase(sqld.url);
});
afterAll(async () => {
  handle?.close();
  await first?.dispose();
  await second?.dispose();
  await sqld?.dispose();
});

const FIRST = ['Ada', 'Alan', 'Grace', 'Linus', 'Edsger', 'Barbara', 'Ken', 'Dennis', 'Margaret', 'John'];
const SYLLABLES = ['ber', 'kan', 'mol', 'ris', 'tav', 'den', 'lor', 'vik', 'sen', 'gar'];
/**
 * A name that reads as a person's (no digits). Each row has a company and a domain of its own: the
 * run matches names fuzzily within a company, which would take rows of one file for one lead.
 */
const personName = (i: number) => {
  const last = [Math.floor(i / 100) % 10, Math.floor(i / 10) % 10, i % 10].map((n) => SYLLABLES[n]).join('');
  return `${FIRST[Math.floor(i / 1000) % FIRST.length]},${last[0]!.toUpperCase()}${last.slice(1)}`;
};
const csv = () =>
  `First Name,Last Name,Email,Company\r\n${Array.from(
    { length: ROWS },
    (_, i) => `${personName(i)},lead${i}@killfirm${i}.example,Killfirm ${i}\r\n`,
  ).join('')}`;

/**
 * One GET on a connection of its own. A process busy with import slices can hold its event loop
 * past the 5 s keep-alive timeout on a loaded machine; a reused idle connection is then closed
 * under a request already sent (ECONNRESET), which says nothing about the import.
 */
function getJson<T>(server: ApiServer, path: string) {
  return new Promise<{ status: number; body: T }>((resolve, reject) => {
    const request = get(
      `${server.url}${path}`,
      { agent: false, headers: { authorization: `Bearer ${server.token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T }));
        res.on('error', reject);
      },
    );
    request.on('error', reject);
  });
}

async function importOn(server: ApiServer, id: string) {
  const res = await getJson<Import>(server, `/api/imports/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function until(server: ApiServer, id: string, done: (job: Import) => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await importOn(server, id);
    if (done(job)) return job;
    if (Date.now() > deadline)
      throw new Error(`import ${id} still ${job.status}: ${JSON.stringify(job.progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The longest the process's event loop was held since the last reading (GET /api/metrics). */
const eventLoopMaxMs = async (server: ApiServer) =>
  (await getJson<{ eventLoop: { maxMs: number } }>(server, '/api/metrics')).body.eventLoop.maxMs;

const count = async (sql: string, args: (string | number)[] = []) =>
  Number((await handle.client.execute({ sql, args })).rows[0]?.[0]);

describe('an import across two API processes on sqld', () => {
  let importId = '';

  it('is finished by the other process when the one running it is killed, each row once', async () => {
    const uploaded = await fetch(`${first.url}/api/imports?fileName=kill-test.csv`, {
      method: 'POST',
      headers: { authorization: `Bearer ${first.token}`, 'content-type': 'text/csv' },
      body: csv(),
    });
    expect(uploaded.status).toBe(201);
    const job = (await uploaded.json()) as Import;
    importId = job.id;
    expect(job.dryRun).toMatchObject({ rows: ROWS, create: ROWS, invalid: 0 });
    expect((await api(first, 'POST', `/api/imports/${job.id}/start`)).status).toBe(202);

    // Mid-way: at least one slice committed by the first process, and more to do.
    const midway = await until(second, job.id, (seen) => seen.progress.done > 0, 120_000);
    await first.kill();
    await eventLoopMaxMs(second);
    expect(midway.status).toBe('running');
    const [left] = (
      await handle.client.execute({
        sql: 'select cursor, lease_owner from imports where id = ?',
        args: [job.id],
      })
    ).rows;
    const cursorAtKill = Number(left?.[0]);
    expect(cursorAtKill).toBeGreaterThan(0);
    expect(cursorAtKill).toBeLessThan(ROWS);
    expect(left?.[1]).not.toBeNull();
    console.info(`sqld import: the first process was killed with ${cursorAtKill} of ${ROWS} rows written`);

    const takeover = Date.now();
    const finished = await until(second, job.id, (seen) => seen.status !== 'running', 180_000);
    console.info(
      `sqld import: the second process finished it ${Math.round((Date.now() - takeover) / 1000)} s after the kill (the claim lasts 30 s); its event loop was held up to ${await eventLoopMaxMs(second)} ms meanwhile`,
    );
    expect(finished).toMatchObject({
      status: 'done',
      progress: { done: ROWS, total: ROWS, created: ROWS, updated: 0, skipped: 0, refused: 0 },
    });

    // Every row once: a lead each, no duplicate, every outcome recorded against its own lead.
    const leadsOfFile = `from leads where email like 'lead%@killfirm%.example'`;
    expect(await count(`select count(*) ${leadsOfFile}`)).toBe(ROWS);
    expect(await count(`select count(distinct email) ${leadsOfFile}`)).toBe(ROWS);
    expect(
      await count(
        `select count(*) from import_rows where import_id = ? and outcome = 'created' and lead_id is not null`,
        [job.id],
      ),
    ).toBe(ROWS);
    expect(await count('select count(distinct lead_id) from import_rows where import_id = ?', [job.id])).toBe(
      ROWS,
    );
    expect(
      await count(
        `select count(*) from import_rows r join leads l on l.id = r.lead_id
          where r.import_id = ? and l.email = lower(json_extract(r.cells, '$[2]'))`,
        [job.id],
      ),
    ).toBe(ROWS);
    // The killed slice left nothing behind: one stage history entry a lead, one finished event.
    expect(
      await count(
        `select count(*) from stage_changes where cause = 'import' and lead_id in (select id ${leadsOfFile})`,
      ),
    ).toBe(ROWS);
    expect(
      await count(
        `select count(*) from events where type = 'import.finished' and json_extract(data, '$.importId') = ?`,
        [job.id],
      ),
    ).toBe(1);
    expect(
      await count('select count(*) from imports where id = ? and lease_owner is null and cursor = ?', [
        job.id,
        ROWS,
      ]),
    ).toBe(1);
  }, 600_000);

  it('is undone as a whole on sqld', async () => {
    expect(importId).not.toBe('');
    const undo = await api<Import>(second, 'POST', `/api/imports/${importId}/undo`);
    expect(undo.status).toBe(202);
    const undone = await until(second, importId, (seen) => seen.status !== 'undoing', 180_000);
    expect(undone.status).toBe('undone');
    expect(await count(`select count(*) from leads where email like 'lead%@killfirm%.example'`)).toBe(0);
    expect(await count(`select count(*) from stage_changes where cause = 'import'`)).toBe(0);
    const again = await api<{ detail: string }>(second, 'POST', `/api/imports/${importId}/undo`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('undone already');
  }, 300_000);
});
