import type { ImportDryRun, ImportExample, ImportPolicy, ImportTarget } from '@leadline/shared';
import type { Executor } from '../db/client';
import type { LeadRow } from '../db/lead-row';
import { toLeadColumns } from '../leads/leads.mapper';
import { FileDuplicates, rowKeys } from './file-duplicates';
import { type BatchMatch, matchBatch, plannedChanges } from './match';
import { type PreparedRow, prepareRow, prepareRows } from './prepare';
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
 */
export async function computeDryRun(
  db: Executor,
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
  for (let after = 0; ; ) {
    const page = await readStagedRows(db, input.id, after, PAGE);
    if (!page.length) break;
    after = page[page.length - 1]!.rowNo;
    const prepared = await prepareRows(page, input.headers, input.mapping);
    const valid = prepared.filter((row): row is PreparedRow & { ok: true } => row.ok);
    const matches = await matchBatch(
      db,
      input.workspaceId,
      valid.map((row) => row.lead),
    );
    const matchOf = new Map<number, BatchMatch | null>(
      valid.map((row, i) => [row.rowNo, matches[i] ?? null]),
    );
    for (const row of prepared) {
      result.rows++;
      const match = row.ok ? (matchOf.get(row.rowNo) ?? null) : null;
      const reason = row.ok ? await duplicates.check(row.rowNo, row, match?.row.id ?? null) : row.reason;
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
  }
  result.reasons = [...reasons]
    .map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count);
  return result;
}
