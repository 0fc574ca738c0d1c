import { csvCell, csvLine, LEAD_EXPORT_COLUMNS, type LeadExportQuery } from '@leadline/shared';
import { and, asc, eq, getTableColumns, gt } from 'drizzle-orm';
import { readScope } from '../auth/permissions';
import { type Executor, readRows } from '../db/client';
import { leadFilters } from '../db/lead-filters';
import type { LeadRow, LeadScore } from '../db/lead-row';
import { fromDriver } from '../db/lead-rows';
import { leads, users } from '../db/schema';
import { withinScope } from '../leads/lead-reads';
import type { Principal } from '../lib/types';
import { hasDueTouchpoint } from '../scoring/lead-scoring';
import { dueEngagement } from '../scoring/live-scores';
import { activeModel } from '../scoring/model.service';
import { liveScore } from '../scoring/score-at';
import { type Cell, LEAD_COLUMN_SOURCES } from './lead-columns';
import { prefetchedPages, streamOf } from './stream-pages';

/** Leads read per step: memory holds two such pages (one formatted, one being read), whatever the list's size. */
const PAGE = 1000;

const COLUMNS = getTableColumns(leads);
type Field = keyof LeadRow;
/** What the live score reads of a row (`liveScore`, and the fold of a pending touchpoint come due). */
const SCORING_FIELDS: Field[] = ['fit', 'engagementKey', 'pendingTouchAt'];

/**
 * The rows of a page as arrays of stored values in `fields` order, decoded by each column's own
 * mapping (a moment as a Date, a flag as a boolean), as drizzle would, without building an object a row.
 */
function decoder(fields: readonly Field[]) {
  const columns = fields.map((field) => COLUMNS[field] as (typeof leads)['id']);
  return (row: unknown[]) => {
    for (let i = 0; i < columns.length; i++) row[i] = fromDriver(columns[i]!, row[i]);
    return row;
  };
}

const storedCell = (value: unknown): Cell => (value instanceof Date ? value.toISOString() : (value as Cell));

/**
 * The filtered list as CSV: the chosen columns, a header row, each lead with its live score at the
 * moment of export, in id order. Reads only the columns the export needs, a page at a time by id
 * (keyset, so every page costs the same however deep), with the next page read while this one is
 * formatted; nothing is read before the stream asks for it.
 */
export async function leadsCsv(db: Executor, principal: Principal, query: LeadExportQuery, now = new Date()) {
  const { columns = [...LEAD_EXPORT_COLUMNS], at, ...filters } = query;
  const atMs = at ? Date.parse(at) : now.getTime();
  const sources = columns.map((column) => LEAD_COLUMN_SOURCES[column]);
  const scored = sources.some((source) => 'score' in source);
  const named = sources.some((source) => 'ownerName' in source);
  const fields = [
    ...new Set<Field>([
      'id',
      ...sources.flatMap((source) => ('stored' in source ? [source.stored] : [])),
      ...(scored ? SCORING_FIELDS : []),
      ...(named ? (['ownerId'] as const) : []),
    ]),
  ];
  // Where each field is in a decoded row ('id' first; -1 for a field not read).
  const index = (field: Field) => fields.indexOf(field);
  const decode = decoder(fields);
  const selection = Object.fromEntries(fields.map((field) => [field, COLUMNS[field]]));
  const scoped = withinScope(filters, readScope(principal));
  const conditions = scoped ? leadFilters(principal.workspaceId, scoped) : null;
  const readPage = async (after: string | null) => {
    if (!conditions) return [];
    const query = db
      .select(selection)
      .from(leads)
      .where(and(...conditions, after === null ? undefined : gt(leads.id, after)))
      .orderBy(asc(leads.id))
      .limit(PAGE)
      .toSQL();
    return (await readRows(db, query)).map(decode);
  };
  const owners = named
    ? new Map(
        (
          await db
            .select({ id: users.id, name: users.name })
            .from(users)
            .where(eq(users.workspaceId, principal.workspaceId))
        ).map((user) => [user.id, user.name]),
      )
    : new Map<string, string>();
  const model = scored && conditions ? await activeModel(db, principal.workspaceId) : null;
  const [fitAt, keyAt, pendingAt, ownerAt] = [
    index('fit'),
    index('engagementKey'),
    index('pendingTouchAt'),
    index('ownerId'),
  ];

  /** The live score of each row of a page (a pending touchpoint come due folded in, as every read does). */
  async function scores(page: unknown[][]): Promise<(LeadScore | null)[]> {
    if (!model) return page.map(() => null);
    const due = await dueEngagement(
      db,
      page
        .filter((row) => hasDueTouchpoint({ pendingTouchAt: row[pendingAt] as Date | null }, atMs))
        .map((row) => row[0] as string),
      model,
      atMs,
    );
    return page.map((row) => {
      const folded = due.get(row[0] as string);
      const engagementKey = folded ? folded.engagementKey : (row[keyAt] as number | null);
      return liveScore({ fit: row[fitAt] as number, engagementKey }, model, atMs);
    });
  }

  const cells = sources.map((source): ((row: unknown[], score: LeadScore | null) => Cell) => {
    if ('stored' in source) {
      const i = index(source.stored);
      return (row) => storedCell(row[i]);
    }
    if ('score' in source) return (_, score) => score![source.score];
    return (row) => (row[ownerAt] === null ? null : (owners.get(row[ownerAt] as string) ?? null));
  });

  async function* lines() {
    // A BOM, so spreadsheets read accents right.
    yield `\ufeff${csvLine(columns)}`;
    for await (const page of prefetchedPages(readPage, (row) => row[0] as string, PAGE)) {
      const pageScores = await scores(page);
      let text = '';
      for (let r = 0; r < page.length; r++) {
        const row = page[r]!;
        const score = pageScores[r]!;
        for (let c = 0; c < cells.length; c++) text += (c ? ',' : '') + csvCell(cells[c]!(row, score));
        text += '\r\n';
      }
      yield text;
    }
  }
  return streamOf(lines());
}
