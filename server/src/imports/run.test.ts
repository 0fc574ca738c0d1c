import type { Import } from '@leadline/shared';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emitEvent } from '../db/events';
import { events, imports, leads } from '../db/schema';
import { createTestApp, type TestApp } from '../test-utils';
import { startImport } from './imports.service';
import { runImport } from './run';
import { invite, settled, upload, uploaded } from './test-helpers';

let t: TestApp;
let managerId: string;
let knownId: string;
beforeEach(async () => {
  t = await createTestApp();
  managerId = (await invite(t, 'Mona Manager', 'manager', 'manager@example.com')).person.id;
  const known = await t.post('/api/leads', { email: 'john.smith@globex.com', fullName: 'John Smith' });
  knownId = ((await known.json()) as { id: string }).id;
});
afterEach(() => t.close());

/** The admin as a principal, to start an import without the HTTP route. */
const admin = () => ({
  userId: t.adminUserId,
  workspaceId: t.workspaceId,
  role: 'admin' as const,
  tokenId: '',
  repsSeeOnlyOwnLeads: false,
});

const leadRows = () => t.db.select().from(leads).where(eq(leads.sourceChannel, 'import'));

async function runToEnd(job: Import) {
  const res = await t.post(`/api/imports/${job.id}/start`, {});
  expect(res.status).toBe(202);
  return settled(t, job.id);
}

describe('the background run', () => {
  it('creates and updates leads as the dry run said, keeps every outcome, and announces the end', async () => {
    const job = await uploaded(t, 'hubspot-contacts.csv', '&campaign=Spring%20fair');
    const done = await runToEnd(job);
    expect(done).toMatchObject({
      status: 'done',
      progress: { done: 4, total: 4, created: 2, updated: 1, skipped: 0, refused: 1, secondsLeft: 0 },
    });
    const created = await leadRows();
    expect(created.map((row) => row.fullName).sort()).toEqual(['Anna Müller', 'Chloé Dubois']);
    const anna = created.find((row) => row.fullName === 'Anna Müller')!;
    expect(anna).toMatchObject({
      ownerId: managerId,
      phone: '+493012345678',
      companyDomain: 'acme.de',
      utmSource: 'Organic Search',
      utmCampaign: 'Spring fair',
      stage: 'new',
    });
    expect(anna.createdAt.toISOString()).toBe('2024-03-01T09:15:00.000Z');
    expect(anna.fit).toBeGreaterThan(0);
    const chloe = created.find((row) => row.fullName === 'Chloé Dubois')!;
    // "Nobody Known" is no one here and no routing rules exist: the importer gets the lead.
    expect(chloe).toMatchObject({ ownerId: t.adminUserId, stage: 'disqualified', phone: '+33142685300' });
    const [john] = await t.db.select().from(leads).where(eq(leads.id, knownId));
    expect(john).toMatchObject({ title: 'VP Marketing', company: 'Globex', sourceChannel: 'manual' });

    const outcomes = await t.client.execute(
      `select row_no, outcome, reason, lead_id is not null from import_rows where import_id = '${job.id}' order by row_no`,
    );
    expect(outcomes.rows.map((row) => [row[0], row[1], row[2], row[3]])).toEqual([
      [1, 'created', null, 1],
      [2, 'updated', null, 1],
      [3, 'created', null, 1],
      [4, 'refused', '"not-an-email" is not an e-mail address', 0],
    ]);
    const finished = await t.db.select().from(events).where(eq(events.type, 'import.finished'));
    expect(finished.map((event) => event.data)).toEqual([
      {
        importId: job.id,
        fileName: 'hubspot-contacts.csv',
        rows: 4,
        created: 2,
        updated: 1,
        skipped: 0,
        refused: 1,
      },
    ]);
    // Webhooks and the event stream hear of each lead as of a capture: created twice, updated once.
    const leadEvents = await t.client.execute({
      sql: "select type, lead_id, data from events where type like 'lead.%' and data ->> 'importId' is not null order by id",
      args: [],
    });
    expect(leadEvents.rows.map((row) => [row[0], row[1], JSON.parse(String(row[2]))])).toEqual([
      ['lead.created', anna.id, { importId: job.id }],
      ['lead.created', chloe.id, { importId: job.id }],
      ['lead.updated', knownId, { importId: job.id }],
    ]);
    const notes = await t.client.execute(
      `select note from touchpoints where lead_id = '${anna.id}' and type = 'note'`,
    );
    expect(String(notes.rows[0]?.[0])).toBe('Lifecycle Stage: Lead');
  });

  it('reads on the heavy reader, dry run and run alike, never in front of the panel', async () => {
    const pool = t.client as unknown as { reads: number[] };
    const heavy = () => pool.reads.at(-1)!;
    const panel = () => pool.reads.slice(0, -1).reduce((sum, n) => sum + n, 0);
    let [heavyBefore, panelBefore] = [heavy(), panel()];
    const job = await uploaded(t, 'hubspot-contacts.csv');
    // The dry run read the staged rows and matched them there (5 reads here); the request's own
    // reads (its token, the import and its saved mapping) stay on the panel's reader (3 here; 8
    // with the dry run there). The bound leaves room for a background round (webhooks, runner).
    expect(heavy() - heavyBefore).toBeGreaterThanOrEqual(2);
    expect(panel() - panelBefore).toBeLessThanOrEqual(6);
    [heavyBefore, panelBefore] = [heavy(), panel()];
    await startImport(t.db, admin(), job.id);
    await runImport(t.db, job.id);
    expect((await settled(t, job.id)).status).toBe('done');
    // 11 reads of the run there; on the panel's reader, the token and the import asked for once
    // (2 here, 13 with the run there), and room for a background round.
    expect(heavy() - heavyBefore).toBeGreaterThanOrEqual(3);
    expect(panel() - panelBefore).toBeLessThanOrEqual(6);
  });

  it('gives the refused rows back as CSV with the reason in a column', async () => {
    const job = await uploaded(t, 'wrong-columns.csv');
    await runToEnd(job);
    const res = await t.get(`/api/imports/${job.id}/errors.csv`);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes).split('\r\n')).toEqual([
      'First Name,Last Name,Email,Company,Row,Line,Error',
      'Grace,Hopper,grace@navy.mil,,2,3,This row has 3 columns; the header has 4',
      'Alan,Turing,alan@bletchley.uk,Bletchley,Extra,3,4,This row has 5 columns; the header has 4',
      '',
    ]);
  });

  it('skips matches under the skip policy and saves the mapping for the next file with these headers', async () => {
    const job = await uploaded(t, 'pipedrive-people.csv');
    const mapping = job.mapping.map((target) => (target === 'notes' ? 'skip' : target));
    await t.request('PUT', `/api/imports/${job.id}`, { body: { mapping, policy: 'skip' } });
    expect((await runToEnd(job)).progress).toMatchObject({ created: 2, refused: 0 });
    const again = await uploaded(t, 'pipedrive-people.csv');
    expect(again).toMatchObject({ mappingSaved: true, mapping });
    expect(again.dryRun).toMatchObject({ create: 0, match: 2 });
    const done = await runToEnd({ ...again });
    expect(done.progress).toMatchObject({ created: 0, skipped: 2 });
  });

  it('refuses exactly the rows the dry run refused, whatever the slices: look-alike names at one company are new leads', async () => {
    const csv = [
      'Full Name,Email,Company Domain',
      'Jonathan Miller,jonathan@initech.com,initech.com',
      'Jonathon Miller,jmiller@initech.com,initech.com',
      'Jonathan Miller,jonathan@initech.com,initech.com',
      'Jonathan Millers,,initech.com',
      'Jonathan Millers,,initech.com',
    ].join('\n');
    const res = await upload(t, csv, 'initech.csv');
    expect(res.status).toBe(201);
    const job = (await res.json()) as Import;
    expect(job.dryRun).toMatchObject({ create: 3, match: 0, invalid: 2 });
    await startImport(t.db, admin(), job.id);
    // One row a slice: each row is matched against the leads the earlier slices created.
    await runImport(t.db, job.id, { sliceSize: 1, owner: 'one-by-one' });
    const outcomes = await t.client.execute({
      sql: 'select row_no, outcome, reason from import_rows where import_id = ? order by row_no',
      args: [job.id],
    });
    expect(outcomes.rows.map((row) => [row[0], row[1], row[2]])).toEqual([
      [1, 'created', null],
      [2, 'created', null],
      [3, 'refused', 'Duplicate of row 1 in this file (the same e-mail)'],
      [4, 'created', null],
      [5, 'refused', 'Duplicate of row 4 in this file (the same name and company)'],
    ]);
    expect((await leadRows()).map((row) => row.fullName).sort()).toEqual([
      'Jonathan Miller',
      'Jonathan Millers',
      'Jonathon Miller',
    ]);
  });

  it('resumes after a stop from the last slice, and a second process never takes a claimed slice', async () => {
    const job = await uploaded(t, 'quoted-newlines.csv');
    await startImport(t.db, admin(), job.id);
    await runImport(t.db, job.id, { sliceSize: 1, slices: 1, owner: 'process-a' });
    const [afterKill] = await t.db.select().from(imports).where(eq(imports.id, job.id));
    expect(afterKill).toMatchObject({ status: 'running', cursor: 1, created: 1, leaseOwner: 'process-a' });
    // Process B while A's claim holds: nothing.
    await runImport(t.db, job.id, { sliceSize: 1, owner: 'process-b' });
    expect((await t.db.select().from(imports).where(eq(imports.id, job.id)))[0]?.cursor).toBe(1);
    // A's claim lapses (it was killed): B takes over from row 2.
    await t.db.transaction((tx) =>
      tx
        .update(imports)
        .set({ leaseUntil: new Date(0) })
        .where(eq(imports.id, job.id)),
    );
    await runImport(t.db, job.id, { sliceSize: 1, owner: 'process-b' });
    const [resumed] = await t.db.select().from(imports).where(eq(imports.id, job.id));
    expect(resumed).toMatchObject({ status: 'done', cursor: 3, created: 3, refused: 0 });
    expect((await leadRows()).length).toBe(3);
  });
  it('writes each row once when two processes start on the same slices at the same moment', async () => {
    const job = await uploaded(t, 'hubspot-contacts.csv');
    await startImport(t.db, admin(), job.id);
    // Both read the import free and build the same slice outside the lock (optimistic slices):
    // one commits, the other's check finds the import moved on and it writes nothing of it.
    await Promise.all([
      runImport(t.db, job.id, { sliceSize: 2, owner: 'process-a' }),
      runImport(t.db, job.id, { sliceSize: 2, owner: 'process-b' }),
      runImport(t.db, job.id, { sliceSize: 2, owner: 'process-a' }),
    ]);
    const [done] = await t.db.select().from(imports).where(eq(imports.id, job.id));
    expect(done).toMatchObject({ status: 'done', cursor: job.progress.total });
    expect(done!.created + done!.updated + done!.skipped + done!.refused).toBe(job.progress.total);
    expect((await leadRows()).length).toBe(done!.created);
    const finished = await t.db.select().from(events).where(eq(events.type, 'import.finished'));
    expect(finished).toHaveLength(1);
    const created = await t.db.select().from(events).where(eq(events.type, 'lead.created'));
    expect(new Set(created.map((event) => event.leadId)).size).toBe(created.length);
  });

  it('enrols the leads it creates at a stage a cadence’s rule names, when the rule’s conditions match', async () => {
    const cadence = async (name: string, rule: Record<string, unknown>) => {
      const res = await t.post('/api/cadences', { name, steps: [{ type: 'call', delayDays: 0 }], rule });
      expect(res.status, await res.clone().text()).toBe(201);
    };
    await cadence('New in DACH', {
      stage: 'new',
      conditions: [{ field: 'region', op: 'equals', value: 'DACH' }],
    });
    await cadence('New in Southern Europe', {
      stage: 'new',
      conditions: [{ field: 'region', op: 'equals', value: 'Southern' }],
    });
    await cadence('Disqualified', { stage: 'disqualified' });
    const job = await uploaded(t, 'hubspot-contacts.csv');
    expect(await runToEnd(job)).toMatchObject({ status: 'done' });
    const enrolled = await t.client.execute(
      `select l.full_name, c.name, e.state from enrolments e join leads l on l.id = e.lead_id
       join cadences c on c.id = e.cadence_id order by l.full_name, c.name`,
    );
    expect(enrolled.rows.map((row) => [row[0], row[1], row[2]])).toEqual([
      ['Anna Müller', 'New in DACH', 'active'],
      ['Chloé Dubois', 'Disqualified', 'active'],
    ]);
  });

  it('builds the next slice while one commits, and builds it again when it cannot follow', async () => {
    const job = await uploaded(t, 'hubspot-contacts.csv');
    await startImport(t.db, admin(), job.id);
    let calls = 0;
    let secondBuilt!: () => void;
    const second = new Promise<string>((resolve) => {
      secondBuilt = () => resolve('the next slice was built meanwhile');
    });
    let overlap = '';
    await runImport(t.db, job.id, {
      sliceSize: 1,
      beforeCommit: async () => {
        calls++;
        if (calls === 2) secondBuilt();
        if (calls !== 1) return;
        // The first slice waits to commit until the next is built (or 2 s pass): the next one,
        // built on the first's projection, reaches the writer first, finds the row not yet moved
        // on, writes nothing and is built again once the first has committed.
        overlap = await Promise.race([
          second,
          new Promise<string>((resolve) => setTimeout(() => resolve('nothing was built meanwhile'), 2_000)),
        ]);
      },
    });
    expect(overlap).toBe('the next slice was built meanwhile');
    const [done] = await t.db.select().from(imports).where(eq(imports.id, job.id));
    expect(done).toMatchObject({ status: 'done', cursor: 4, created: 2, updated: 1, skipped: 0, refused: 1 });
    expect((await leadRows()).map((row) => row.fullName).sort()).toEqual(['Anna Müller', 'Chloé Dubois']);
    const outcomes = await t.client.execute(
      `select row_no, outcome from import_rows where import_id = '${job.id}' order by row_no`,
    );
    expect(outcomes.rows.map((row) => [row[0], row[1]])).toEqual([
      [1, 'created'],
      [2, 'updated'],
      [3, 'created'],
      [4, 'refused'],
    ]);
    expect(await t.db.select().from(events).where(eq(events.type, 'import.finished'))).toHaveLength(1);
    const announced = await t.db.select().from(events).where(eq(events.type, 'lead.created'));
    expect(
      announced.filter((event) => (event.data as { importId?: string }).importId === job.id),
    ).toHaveLength(2);
  });

  it('writes nothing of its slices once another process takes the import while one commits', async () => {
    const job = await uploaded(t, 'hubspot-contacts.csv');
    await startImport(t.db, admin(), job.id);
    let built!: () => void;
    const firstBuilt = new Promise<void>((resolve) => {
      built = resolve;
    });
    let taken!: () => void;
    const takenOver = new Promise<void>((resolve) => {
      taken = resolve;
    });
    let calls = 0;
    const run = runImport(t.db, job.id, {
      sliceSize: 1,
      owner: 'process-a',
      beforeCommit: async () => {
        if (++calls !== 1) return;
        built();
        await takenOver;
      },
    });
    await firstBuilt;
    // Process B claims the import (A's claim lapsed, say) while A's first slice waits to commit.
    await t.db.transaction((tx) =>
      tx
        .update(imports)
        .set({ leaseOwner: 'process-b', leaseUntil: new Date(Date.now() + 60_000) })
        .where(eq(imports.id, job.id)),
    );
    taken();
    await run;
    const [after] = await t.db.select().from(imports).where(eq(imports.id, job.id));
    expect(after).toMatchObject({ status: 'running', cursor: 0, created: 0, leaseOwner: 'process-b' });
    expect(await leadRows()).toEqual([]);
    const outcomes = await t.client.execute(
      `select count(*) from import_rows where import_id = '${job.id}' and outcome is not null`,
    );
    expect(outcomes.rows[0]?.[0]).toBe(0);
  });

  it('builds a slice outside the write lock: another write commits while the slice waits to commit', async () => {
    const job = await uploaded(t, 'hubspot-contacts.csv');
    await startImport(t.db, admin(), job.id);
    let built!: () => void;
    const sliceBuilt = new Promise<void>((resolve) => {
      built = resolve;
    });
    let otherDone!: () => void;
    const otherCommitted = new Promise<string>((resolve) => {
      otherDone = () => resolve('the other write committed');
    });
    let seen = '';
    const slice = runImport(t.db, job.id, {
      sliceSize: 2,
      slices: 1,
      beforeCommit: async () => {
        built();
        // Were the writer this slice's already, the other write would wait for this commit: the
        // timer ends the wait.
        seen = await Promise.race([
          otherCommitted,
          new Promise<string>((resolve) => setTimeout(() => resolve('the other write waited'), 2_000)),
        ]);
      },
    });
    await sliceBuilt;
    await t.db.transaction((tx) =>
      emitEvent(tx, t.workspaceId, 'lead.updated', knownId, { by: 'another request' }, new Date()),
    );
    otherDone();
    await slice;
    expect(seen).toBe('the other write committed');
    const [afterSlice] = await t.db.select().from(imports).where(eq(imports.id, job.id));
    expect(afterSlice).toMatchObject({ status: 'running', cursor: 2, leaseOwner: expect.any(String) });
  });
});

describe('undo', () => {
  it('removes the created leads and reverts the updated ones', async () => {
    const job = await uploaded(t, 'hubspot-contacts.csv');
    await runToEnd(job);
    const res = await t.post(`/api/imports/${job.id}/undo`, {});
    expect(res.status).toBe(202);
    expect(await settled(t, job.id)).toMatchObject({ status: 'undone', undoneAt: expect.any(String) });
    expect(await leadRows()).toEqual([]);
    const [john] = await t.db.select().from(leads).where(eq(leads.id, knownId));
    expect(john).toMatchObject({ title: null, company: null, phone: null, fullName: 'John Smith' });
    const after = await t.client.execute(
      "select type, lead_id is not null, data from events where type like 'lead.%' and data ->> 'importId' is not null order by id",
    );
    // The removed leads' own events went with them; one event each says the undo removed it.
    expect(after.rows.map((row) => [row[0], row[1], JSON.parse(String(row[2]))])).toEqual([
      ['lead.updated', 1, { importId: job.id }],
      ['lead.deleted', 1, { importId: job.id, undo: true }],
      ['lead.deleted', 1, { importId: job.id, undo: true }],
      ['lead.updated', 1, { importId: job.id, undo: true }],
    ]);
    const again = await t.post(`/api/imports/${job.id}/undo`, {});
    expect(again.status).toBe(409);
  });

  it('is refused with 409 naming the lead once one of its leads was touched', async () => {
    const job = await uploaded(t, 'hubspot-contacts.csv');
    await runToEnd(job);
    const anna = (await leadRows()).find((row) => row.fullName === 'Anna Müller')!;
    expect((await t.patch(`/api/leads/${anna.id}`, { title: 'CRO' })).status).toBe(200);
    const res = await t.post(`/api/imports/${job.id}/undo`, {});
    expect(res.status).toBe(409);
    const problem = (await res.json()) as { detail: string; leadId: string };
    expect(problem.detail).toBe(
      'This import cannot be undone: its lead Anna Müller (row 1) was changed since it was imported',
    );
    expect(problem.leadId).toBe(anna.id);
    expect((await leadRows()).length).toBe(2);
  });
});
