import type { Lead, LeadExportQuery } from '@leadline/shared';
import { and, asc, gt } from 'drizzle-orm';
import { readScope } from '../auth/permissions';
import type { Executor } from '../db/client';
import { leadFilters } from '../db/lead-filters';
import { leads } from '../db/schema';
import { wireLeads, withinScope } from '../leads/lead-reads';
import type { Principal } from '../lib/types';
import { activeModel } from '../scoring/model.service';
import { prefetchedPages, streamOf } from './stream-pages';
import { toVcard } from './vcard';

export { leadsCsv } from './csv-export';

/** Leads read per step of a streamed export: memory stays two such pages, whatever the list's size. */
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
  const readPage = (after: string | null) =>
    db
      .select()
      .from(leads)
      .where(and(...filters, after === null ? undefined : gt(leads.id, after)))
      .orderBy(asc(leads.id))
      .limit(PAGE);
  for await (const rows of prefetchedPages(readPage, (row) => row.id, PAGE)) {
    yield await wireLeads(db, rows, model, atMs);
  }
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
