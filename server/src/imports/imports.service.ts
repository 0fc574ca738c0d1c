import { csvLine, type Import, type ImportTarget, type ImportUpdate } from '@leadline/shared';
import { and, desc, eq } from 'drizzle-orm';
import { type Database, type Executor, statementRunner } from '../db/client';
import { imports } from '../db/schema';
import { heavyReads } from '../db/sqlite-pool';
import { ProblemException } from '../lib/problem';
import type { Principal } from '../lib/types';
import { computeDryRun } from './dry-run';
import { savedMapping, saveMapping, suggestMapping } from './mapping';
import { progressOf } from './run';
import { stageUpload, UPLOAD_LIMITS, type UploadLimits } from './upload';

type ImportRow = typeof imports.$inferSelect;

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toWireImport(job: ImportRow, mappingSaved = false): Import {
  return {
    id: job.id,
    fileName: job.fileName,
    campaign: job.campaign,
    status: job.status,
    encoding: job.encoding,
    delimiter: job.delimiter,
    headers: job.headers,
    mapping: job.mapping,
    suggestedMapping: suggestMapping(job.headers),
    mappingSaved,
    policy: job.policy,
    dryRun: job.dryRun ?? null,
    progress: progressOf(job),
    error: job.error,
    createdBy: job.createdBy,
    createdAt: job.createdAt.toISOString(),
    startedAt: iso(job.startedAt),
    finishedAt: iso(job.finishedAt),
    undoneAt: iso(job.undoneAt),
  };
}

export async function findImport(db: Executor, workspaceId: string, id: string): Promise<ImportRow> {
  const [job] = await db
    .select()
    .from(imports)
    .where(and(eq(imports.workspaceId, workspaceId), eq(imports.id, id)));
  if (!job) throw new ProblemException('not-found', `No import ${id} in this workspace`);
  return job;
}

/**
 * Computes and stores the dry run. Its reads (every staged row, and the leads they match) go to the
 * heavy reader, as the run's do (run.ts): they would otherwise queue in front of the panel's.
 */
async function storeDryRun(db: Database, job: ImportRow, patch: Partial<ImportRow>) {
  const next = { ...job, ...patch };
  const dryRun = await heavyReads(() =>
    computeDryRun(db, {
      id: job.id,
      workspaceId: job.workspaceId,
      headers: job.headers,
      mapping: next.mapping,
      policy: next.policy,
    }),
  );
  const [stored] = await db.transaction((tx) =>
    tx
      .update(imports)
      .set({ ...patch, dryRun })
      .where(eq(imports.id, job.id))
      .returning(),
  );
  return stored!;
}

/** Stages an uploaded file and answers its dry run under the saved (or else the suggested) mapping. */
export async function uploadImport(
  db: Database,
  principal: Principal,
  body: ReadableStream<Uint8Array>,
  meta: { fileName: string; campaign: string | null },
  limits: UploadLimits = UPLOAD_LIMITS,
): Promise<Import> {
  const id = await stageUpload(db, principal, body, meta, limits);
  const job = await findImport(db, principal.workspaceId, id);
  const saved = await savedMapping(db, principal.workspaceId, job.headers);
  const stored = await storeDryRun(db, job, { mapping: saved ?? suggestMapping(job.headers) });
  return toWireImport(stored, saved !== null);
}

function assertStaged(job: ImportRow, doing: string) {
  if (job.status !== 'staged') {
    throw new ProblemException(
      'conflict',
      `Cannot ${doing}: the import is ${job.status}, not waiting to start`,
    );
  }
}

function assertMapping(job: ImportRow, mapping: ImportTarget[]) {
  if (mapping.length !== job.headers.length) {
    throw new ProblemException(
      'validation',
      `mapping: the file has ${job.headers.length} columns, the mapping names ${mapping.length}`,
      [
        {
          path: ['mapping'],
          message: `one target for each of the ${job.headers.length} columns`,
          code: 'custom',
        },
      ],
    );
  }
  const used = new Map<ImportTarget, number>();
  mapping.forEach((target, i) => {
    if (target === 'skip' || target === 'notes') return;
    const first = used.get(target);
    if (first !== undefined) {
      throw new ProblemException(
        'validation',
        `mapping: "${job.headers[first]}" and "${job.headers[i]}" both go to ${target}; choose one`,
        [
          {
            path: ['mapping', i],
            message: `${target} is already the target of column ${first + 1}`,
            code: 'custom',
          },
        ],
      );
    }
    used.set(target, i);
  });
}

/** A new mapping, policy or campaign for a staged import, and the dry run under it. */
export async function updateImport(db: Database, principal: Principal, id: string, patch: ImportUpdate) {
  const job = await findImport(db, principal.workspaceId, id);
  assertStaged(job, 'change the mapping');
  if (patch.mapping) assertMapping(job, patch.mapping);
  const stored = await storeDryRun(db, job, {
    ...(patch.mapping ? { mapping: patch.mapping } : {}),
    ...(patch.policy ? { policy: patch.policy } : {}),
    ...(patch.campaign !== undefined ? { campaign: patch.campaign } : {}),
  });
  return toWireImport(stored);
}

const IDENTITY: ImportTarget[] = ['fullName', 'firstName', 'lastName', 'email', 'linkedinUrl'];

/** Starts the run of a staged import (the runner does it) and saves its mapping for these headers. */
export async function startImport(db: Database, principal: Principal, id: string, now = new Date()) {
  return db.transaction(async (tx) => {
    const job = await findImport(tx, principal.workspaceId, id);
    assertStaged(job, 'start it');
    if (!job.mapping.some((target) => IDENTITY.includes(target))) {
      throw new ProblemException(
        'validation',
        'mapping: no column goes to a name, an e-mail or a LinkedIn URL, so no row can become a lead',
      );
    }
    await saveMapping(tx, principal.workspaceId, job.headers, job.mapping, now);
    const [started] = await tx
      .update(imports)
      .set({ status: 'running', startedAt: now, cursor: 0, created: 0, updated: 0, skipped: 0, refused: 0 })
      .where(eq(imports.id, id))
      .returning();
    return toWireImport(started!);
  });
}

export async function listImports(db: Executor, workspaceId: string) {
  const rows = await db
    .select()
    .from(imports)
    .where(eq(imports.workspaceId, workspaceId))
    .orderBy(desc(imports.createdAt))
    .limit(50);
  return rows.map((row) => {
    const { dryRun: _dryRun, ...rest } = toWireImport(row);
    return rest;
  });
}

/**
 * The refused rows as CSV: the file's own columns, then the reason, so the user fixes the rows and
 * imports the file again. Streamed in pages.
 */
export function errorsCsv(db: Database, job: ImportRow): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = 0;
  let headerSent = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvLine([...job.headers, 'Row', 'Line', 'Error'])}`));
        return;
      }
      const { rows } = await statementRunner(db).execute({
        sql: `select row_no, line, cells, reason from import_rows where import_id = ? and row_no > ? and outcome = 'refused'
              order by row_no limit 1000`,
        args: [job.id, after],
      });
      if (!rows.length) {
        controller.close();
        return;
      }
      after = Number(rows.at(-1)![0]);
      const text = rows
        .map((row) => {
          // A row short of columns is padded, so the reason stays in the Error column.
          const cells = JSON.parse(String(row[2])) as string[];
          while (cells.length < job.headers.length) cells.push('');
          return csvLine([...cells, Number(row[0]), Number(row[1]), String(row[3])]);
        })
        .join('');
      controller.enqueue(encoder.encode(text));
    },
  });
}
