import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '@leadline/server';
import { bootstrap } from '@leadline/server/bootstrap';
import { runCadencePass } from '@leadline/server/cadences';
import { openDatabase } from '@leadline/server/db';
import type { InStatement } from '@libsql/client';
import { benchLeadId, seed } from './scoring';
import { createRandom, median, percentile, round, sample, timeIt } from './stats';

const DAY = 86_400_000;
const ADMIN = 'bench-admin-token-0123456789';

export interface TasksBenchOptions {
  leads: number;
  /** Open tasks of the measured rep. */
  repTasks: number;
  /** Tasks of the rest of the team, around them in the same index. */
  otherTasks: number;
  enrolments: number;
  seed: number;
}

/** Rows in one multi-row insert (under SQLite's 32,766 parameters). */
const CHUNK = 1000;

async function insertRows(
  client: { batch(statements: InStatement[], mode: 'write'): Promise<unknown> },
  table: string,
  columns: string[],
  count: number,
  row: (i: number) => (string | number | null)[],
) {
  for (let start = 0; start < count; start += 20 * CHUNK) {
    const statements: InStatement[] = [];
    for (let chunk = start; chunk < Math.min(count, start + 20 * CHUNK); chunk += CHUNK) {
      const args: (string | number | null)[] = [];
      const values: string[] = [];
      for (let i = chunk; i < Math.min(count, chunk + CHUNK); i++) {
        args.push(...row(i));
        values.push(`(${columns.map(() => '?').join(', ')})`);
      }
      statements.push({
        sql: `insert into ${table} (${columns.join(', ')}) values ${values.join(', ')}`,
        args,
      });
    }
    await client.batch(statements, 'write');
  }
}

/**
 * "Today" for a rep with `repTasks` open tasks (overdue, due today and later) among `leads` leads
 * and the team's other tasks, at the API (in-process Hono, real libSQL file); then one pass of
 * the cadence engine over `enrolments` enrolments whose next step is due.
 */
export async function benchTasks(options: TasksBenchOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'leadline-bench-tasks-'));
  const url = `file:${join(dir, 'bench.db')}`;
  const report: Record<string, unknown> = { ...options };
  try {
    const handle = await openDatabase(url);
    const { workspaceId, adminUserId } = await bootstrap(handle.db, ADMIN);
    const seeding = await timeIt(() =>
      seed(handle.client, workspaceId, adminUserId, {
        leads: options.leads,
        touchpointsPerLead: 1,
        seed: options.seed,
      }),
    );
    const app = createApp(handle.db);
    const made = await app.request('/api/tokens', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench Rep', role: 'rep' }),
    });
    const rep = (await made.json()) as { token: string; userId: string };
    const random = createRandom(options.seed + 1);
    const now = Date.now();
    const columns = [
      'id',
      'workspace_id',
      'lead_id',
      'assignee_id',
      'type',
      'state',
      'due_at',
      'show_at',
      'source',
      'created_at',
      'updated_at',
    ];
    const team = ['bench-rep-0', 'bench-rep-1', 'bench-rep-2', adminUserId];
    const tasksSeeding = await timeIt(async () => {
      await insertRows(handle.client, 'tasks', columns, options.repTasks + options.otherTasks, (i) => {
        const mine = i < options.repTasks;
        // Due from 30 days ago to 30 days ahead: about half overdue, a sixtieth today.
        const due = now + Math.round((random.next() - 0.5) * 60 * DAY);
        const state = mine ? 'open' : random.pick(['open', 'open', 'done', 'skipped']);
        return [
          `bench-task-${i}`,
          workspaceId,
          benchLeadId(random.int(0, options.leads - 1)),
          mine ? rep.userId : random.pick(team),
          random.pick(['call', 'email', 'linkedin_message', 'meeting', 'other']),
          state,
          due,
          due,
          'api',
          now - DAY,
          now - DAY,
        ];
      });
    });
    report.seedSeconds = round((seeding.ms + tasksSeeding.ms) / 1000, 1);
    console.error(`bench: so far ${JSON.stringify(report)}`);

    const headers = { authorization: `Bearer ${rep.token}` };
    // The floor on this machine at this moment: the cheapest authenticated read (who am I).
    const floor = median(
      await sample(40, async () => {
        const res = await app.request('/api/me', { headers });
        await res.text();
      }),
    );
    const figures: Record<string, unknown> = { meMedianMs: round(floor) };
    for (const due of ['today', 'overdue', 'week']) {
      let body: { total: number; items: unknown[] } = { total: 0, items: [] };
      const samples = await sample(40, async () => {
        const res = await app.request(`/api/tasks?assignee=me&due=${due}`, { headers });
        if (res.status !== 200) throw new Error(`GET /api/tasks failed: ${res.status} ${await res.text()}`);
        body = (await res.json()) as typeof body;
      });
      figures[due] = {
        medianMs: round(median(samples)),
        p95Ms: round(percentile(samples, 95)),
        matched: body.total,
        returned: body.items.length,
      };
    }
    report.today = figures;
    console.error(`bench: so far ${JSON.stringify(report)}`);

    // The engine: one cadence, `enrolments` leads whose first step is due now.
    await handle.client.execute({
      sql: "insert into cadences (id, workspace_id, name, steps, created_by, created_at, updated_at) values ('bench-cadence', ?, 'Bench', ?, ?, ?, ?)",
      args: [
        workspaceId,
        JSON.stringify([
          { type: 'call', delayDays: 0 },
          { type: 'email', delayDays: 2 },
        ]),
        adminUserId,
        now,
        now,
      ],
    });
    await insertRows(
      handle.client,
      'enrolments',
      [
        'id',
        'workspace_id',
        'cadence_id',
        'lead_id',
        'state',
        'next_step',
        'next_due_at',
        'fallback_assignee_id',
        'enrolled_at',
        'updated_at',
      ],
      options.enrolments,
      (i) => [
        `bench-enrolment-${i}`,
        workspaceId,
        'bench-cadence',
        benchLeadId(i),
        'active',
        0,
        now - random.int(0, DAY),
        adminUserId,
        now - DAY,
        now - DAY,
      ],
    );
    const pass = await timeIt(() => runCadencePass(handle.db, new Date(now + 1000)));
    // The write floor of the same work: as many task, history and event rows inserted in batches
    // of the engine's size, with nothing decided (what the engine cannot avoid writing).
    const writeFloor = await timeIt(async () => {
      const batch = 500;
      for (let start = 0; start < options.enrolments; start += batch) {
        const statements: InStatement[] = [];
        const n = Math.min(batch, options.enrolments - start);
        const rowsOf = (table: string, columns: string[], row: (i: number) => (string | number | null)[]) => {
          const args: (string | number | null)[] = [];
          for (let i = start; i < start + n; i++) args.push(...row(i));
          const values = Array.from({ length: n }, () => `(${columns.map(() => '?').join(', ')})`).join(', ');
          statements.push({ sql: `insert into ${table} (${columns.join(', ')}) values ${values}`, args });
        };
        rowsOf('tasks', columns, (i) => [
          `floor-task-${i}`,
          workspaceId,
          benchLeadId(i),
          adminUserId,
          'call',
          'done',
          now,
          now,
          'api',
          now,
          now,
        ]);
        rowsOf('events', ['workspace_id', 'type', 'lead_id', 'data', 'at'], (i) => [
          workspaceId,
          'task.created',
          benchLeadId(i),
          '{}',
          now,
        ]);
        await handle.client.batch(statements, 'write');
      }
    });
    const idle = await sample(5, () => runCadencePass(handle.db, new Date(now + 2000)));
    report.engine = {
      enrolments: options.enrolments,
      passSeconds: round(pass.ms / 1000, 2),
      perEnrolmentUs: round((pass.ms * 1000) / options.enrolments, 1),
      tasksCreated: pass.result.tasksCreated,
      batches: pass.result.batches,
      idlePassMedianMs: round(median(idle)),
      writeFloorSeconds: round(writeFloor.ms / 1000, 2),
      ratioToWriteFloor: round(pass.ms / writeFloor.ms, 1),
    };
    handle.close();
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
