import type { ImportDryRun, ImportExample, ImportPolicy, ImportTarget } from '@leadline/shared';
import { type Database, statementRunner } from '../db/client';
import type { LeadRow } from '../db/lead-row';
import { toLeadColumns } from '../leads/leads.mapper';
import { FileDuplicates, rowKeys } from './file-duplicates';
import { type BatchMatch, matchBatch, plannedChanges } from './match';
import { type PreparedRow, prepareRow } from './prepare';
import { prepareRows } from './prepare-pool';
import { readStagedRows } from './staged';

const EXAMPLES = 5;
/** Rows prepared and matched per step of the dry run. */
const PAGE = 500;

export type ChangeList = ImportExample['changes'];

/** The changes a policy makes to a matched lead, as the page lists them. */
export function describeChanges(before: LeadRow, changes: Partial<LeadRow>): ChangeList {
  return Object.entries(changes)
    .filter(([field]) => field !== 'nameKey' && field !== 'emailKey')
    .map(([field, to]) => ({
      field,
      from: (before[field as keyof LeadRow] as string | number | null) ?? null,
      to: (to as string | number | null) ?? null,
    }));
}

/**
 * What importing the staged rows would do now, writing nothing: rows that create a lead, rows that
 * match one (and which fields the policy would change), rows refused and why, with the first few
 * of each as examples.
 *
 * Its one write: each staged row that repeats an earlier row of the file keeps the reason on its
 * staged row, so the run refuses exactly the rows this dry run refused (the run never matches a row
 * against the leads its own import created: see `matchBatch`).
 */
export async function computeDryRun(
  db: Database,
  input: {
    id: string;
    workspaceId: string;
    headers: string[];
    mapping: ImportTarget[];
    policy: ImportPolicy;
  },
): Promise<ImportDryRun> {
  const result: ImportDryRun = {
    rows: 0,
    create: 0,
    match: 0,
    update: 0,
    fieldUpdates: {},
    invalid: 0,
    reasons: [],
    examples: { create: [], match: [], invalid: [] },
  };
  const reasons = new Map<string, number>();
  // A whole file's keys, kept as hashes; a repeat is confirmed against the first row, read again.
  const duplicates = new FileDuplicates(async (rowNo) => {
    const [row] = await readStagedRows(db, input.id, rowNo - 1, 1);
    const prepared = row ? prepareRow(row, input.headers, input.mapping) : null;
    return prepared?.ok ? rowKeys(prepared) : new Set();
  });
  await db.transaction((tx) =>
    statementRunner(tx).execute({
      sql: 'update import_rows set reason = null where import_id = ? and outcome is null and reason is not null',
      args: [input.id],
    }),
  );
  // Each page is read and prepared (on the import thread) while the one before is matched here.
  const load = async (after: number) => {
    const page = await readStagedRows(db, input.id, after, PAGE);
    return { page, prepared: await prepareRows(page, input.headers, input.mapping) };
  };
  const ahead = (after: number) => {
    const promise = load(after);
    // Its failure is thrown where it is awaited; it must not end the process meanwhile.
    promise.catch(() => {});
    return promise;
  };
  for (let next = ahead(0); ; ) {
    const { page, prepared } = await next;
    if (!page.length) break;
    next = ahead(page[page.length - 1]!.rowNo);
    const valid = prepared.filter((row): row is PreparedRow & { ok: true } => row.ok);
    const matches = await matchBatch(
      db,
      input.workspaceId,
      valid.map((row) => row.lead),
    );
    const matchOf = new Map<number, BatchMatch | null>(
      valid.map((row, i) => [row.rowNo, matches[i] ?? null]),
    );
    const repeats: [number, string][] = [];
    for (const row of prepared) {
      result.rows++;
      const match = row.ok ? (matchOf.get(row.rowNo) ?? null) : null;
      const repeat = row.ok ? await duplicates.check(row.rowNo, row, match?.row.id ?? null) : null;
      if (repeat) repeats.push([row.rowNo, repeat]);
      const reason = row.ok ? repeat : row.reason;
      const example: ImportExample = {
        row: row.rowNo,
        line: row.line,
        values: row.values,
        leadId: match?.row.id ?? null,
        matchedBy: match?.reason ?? null,
        reason,
        changes: [],
      };
      if (reason || !row.ok) {
        result.invalid++;
        const kind = reason?.replace(/"[^"]*"/g, '"…"').replace(/row \d+/, 'row …') ?? 'invalid';
        reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
        if (result.examples.invalid.length < EXAMPLES) result.examples.invalid.push(example);
      } else if (match) {
        result.match++;
        if (input.policy !== 'skip') {
          const changes = plannedChanges(match.row, toLeadColumns(row.lead), input.policy);
          example.changes = describeChanges(match.row, changes);
          if (example.changes.length) result.update++;
          for (const change of example.changes) {
            result.fieldUpdates[change.field] = (result.fieldUpdates[change.field] ?? 0) + 1;
          }
        }
        if (result.examples.match.length < EXAMPLES) result.examples.match.push(example);
      } else {
        result.create++;
        if (result.examples.create.length < EXAMPLES) result.examples.create.push(example);
      }
    }
    if (repeats.length) await recordRepeats(db, input.id, repeats);
  }
  result.reasons = [...reasons]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count);
  return result;
}

/** The rows of a page that repeat an earlier row, with the reason the run will refuse them for. */
async function recordRepeats(db: Database, importId: string, repeats: [number, string][]) {
  await db.transaction((tx) =>
    statementRunner(tx).execute({
      sql: `with v(row_no, reason) as (values ${repeats.map(() => '(?, ?)').join(', ')})
            update import_rows set reason = v.reason from v
            where import_rows.import_id = ? and import_rows.row_no = v.row_no and import_rows.outcome is null`,
      args: [...repeats.flat(), importId],
    }),
  );
}
