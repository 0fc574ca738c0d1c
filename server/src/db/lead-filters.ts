import { CLOSED_STAGES, type LeadListQuery, nameKey } from '@leadline/shared';
import { eq, isNull, like, notInArray, or, type SQL, sql } from 'drizzle-orm';
import { leads } from './schema';

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** The filters every list shares (stage, owner, channel, text search). */
export function leadFilters(
  workspaceId: string,
  query: Omit<LeadListQuery, 'sort' | 'limit' | 'cursor'>,
): SQL[] {
  const filters: SQL[] = [eq(leads.workspaceId, workspaceId)];
  if (query.stage) filters.push(eq(leads.stage, query.stage));
  if (query.open === 'true') filters.push(notInArray(leads.stage, [...CLOSED_STAGES]));
  if (query.owner) filters.push(eq(leads.ownerId, query.owner));
  if (query.untouched === 'true') filters.push(isNull(leads.lastTouchAt));
  if (query.channel) filters.push(eq(leads.sourceChannel, query.channel));
  if (query.q) {
    const folded = nameKey(query.q);
    const needle = `%${escapeLike(query.q.toLowerCase())}%`;
    const text: SQL[] = [
      sql`lower(${leads.email}) like ${needle} escape '\\'`,
      sql`lower(${leads.company}) like ${needle} escape '\\'`,
    ];
    if (folded) text.push(like(leads.nameKey, `%${escapeLike(folded)}%`));
    filters.push(or(...text)!);
  }
  return filters;
}
