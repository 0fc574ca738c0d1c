import { csvLine, LEAD_EXPORT_COLUMNS, type Lead, type LeadExportQuery } from '@leadline/shared';
import { and, asc, eq, gt } from 'drizzle-orm';
import { readScope } from '../auth/permissions';
import type { Executor } from '../db/client';
import { leadFilters } from '../db/lead-filters';
import { leads, users } from '../db/schema';
import { wireLeads, withinScope } from '../leads/lead-reads';
import type { Principal } from '../lib/types';
import { activeModel } from '../scoring/model.service';
import { LEAD_COLUMN_VALUES } from './lead-columns';
import { toVcard } from './vcard';

/** Leads read per step of a streamed export: memory stays this page, whatever the list's size. */
const PAGE = 1000;

/**
 * The leads of a filtered list within what `principal` may read, in id order, a page at a time, each
 * scored as of `atMs` (one moment for the whole export). Nothing is read before the stream asks.
 */
async function* scoredLeadPages(
  db: Executor,
  principal: Principal,
  query: Omit<LeadExportQuery, 'columns' | 'at'>,
  atMs: number,
): AsyncGenerator<Lead[]> {
  const scoped = withinScope(query, readScope(principal));
  if (!scoped) return;
  const model = await activeModel(db, principal.workspaceId);
  const filters = leadFilters(principal.workspaceId, scoped);
  let after: string | null = null;
  for (;;) {
    const rows = await db
      .select()
      .from(leads)
      .where(and(...filters, after === null ? undefined : gt(leads.id, after)))
      .orderBy(asc(leads.id))
      .limit(PAGE);
    if (!rows.length) return;
    yield await wireLeads(db, rows, model, atMs);
    if (rows.length < PAGE) return;
    after = rows.at(-1)!.id;
  }
}

/** A stream that pulls one chunk from `chunks` each time the reader wants more (backpressure). */
function streamOf(chunks: AsyncGenerator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}

/** The filtered list as CSV: the chosen columns, a header row, the live score at the moment of export. */
export async function leadsCsv(db: Executor, principal: Principal, query: LeadExportQuery, now = new Date()) {
  const { columns = [...LEAD_EXPORT_COLUMNS], at, ...filters } = query;
  const atMs = at ? Date.parse(at) : now.getTime();
  const owners = new Map(
    (
      await db
        .select({ id: users.id, name: users.name })
        .from(users)
        .where(eq(users.workspaceId, principal.workspaceId))
    ).map((user) => [user.id, user.name]),
  );
  const values = columns.map((column) => LEAD_COLUMN_VALUES[column]);
  async function* lines() {
    // A BOM, so spreadsheets read accents right.
    yield `\ufeff${csvLine(columns)}`;
    for await (const page of scoredLeadPages(db, principal, filters, atMs)) {
      yield page
        .map((lead) => {
          const ownerName = lead.ownerId ? (owners.get(lead.ownerId) ?? null) : null;
          return csvLine(values.map((value) => value(lead, ownerName)));
        })
        .join('');
    }
  }
  return streamOf(lines());
}

/** The filtered list as vCards 4.0, one after another. */
export function leadsVcards(
  db: Executor,
  principal: Principal,
  query: Omit<LeadExportQuery, 'columns'>,
  now = new Date(),
) {
  const { at, ...filters } = query;
  const atMs = at ? Date.parse(at) : now.getTime();
  async function* cards() {
    for await (const page of scoredLeadPages(db, principal, filters, atMs)) {
      yield page.map(toVcard).join('');
    }
  }
  return streamOf(cards());
}
