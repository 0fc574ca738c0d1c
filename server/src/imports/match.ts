import { canonicalLinkedinUrl, emailMatchKey, type LeadCreate, nameSimilarity } from '@leadline/shared';
import { and, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import type { LeadRow } from '../db/lead-row';
import { leads } from '../db/schema';
import { FUZZY_NAME_THRESHOLD, type MatchReason } from '../leads/leads.service';

export interface BatchMatch {
  row: LeadRow;
  reason: MatchReason;
}

/** The keys a lead is matched by, as `matchLead` derives them. */
export function matchKeys(lead: LeadCreate) {
  return {
    linkedinUrl: lead.linkedinUrl ? canonicalLinkedinUrl(lead.linkedinUrl) : null,
    emailKey: lead.email ? emailMatchKey(lead.email) : null,
    fullName: lead.fullName ?? null,
    companyDomain: lead.companyDomain?.toLowerCase() ?? null,
    company: lead.company?.toLowerCase() ?? null,
  };
}

/**
 * `matchLead`'s rules (leads.service.ts) for a whole slice at once: canonical LinkedIn URL, then
 * e-mail match key, then the most similar full name (at least FUZZY_NAME_THRESHOLD) among the
 * leads of the same company domain or company name. Four queries for the slice, not three a row.
 *
 * With `ownImport` (the run of that import) the leads that import created are no candidates: a row
 * that repeats an earlier row of its file was found by the dry run (by the same exact keys the page
 * showed) and is refused for that, so the run and the dry run agree; and a file of thousands of
 * people at one company does not compare each row's name with every lead the file created before.
 */
export async function matchBatch(
  db: Executor,
  workspaceId: string,
  batch: readonly LeadCreate[],
  options: { ownImport?: string } = {},
): Promise<(BatchMatch | null)[]> {
  const keys = batch.map(matchKeys);
  const unique = (values: (string | null)[]) => [...new Set(values.filter((v): v is string => Boolean(v)))];
  const linkedin = unique(keys.map((k) => k.linkedinUrl));
  const emails = unique(keys.map((k) => k.emailKey));
  const named = keys.filter((k) => k.fullName);
  const domains = unique(named.map((k) => k.companyDomain));
  const companies = unique(named.map((k) => k.company));
  const notOwn = options.ownImport
    ? sql`not exists (select 1 from import_rows own where own.import_id = ${options.ownImport}
          and own.lead_id = ${leads.id} and own.outcome = 'created')`
    : undefined;
  const byKey = async (condition: SQL | undefined) =>
    condition
      ? db
          .select()
          .from(leads)
          .where(and(eq(leads.workspaceId, workspaceId), condition, notOwn))
      : [];
  // One query per key, each on its own index (an OR of two would scan the workspace).
  const [byLinkedin, byEmail, byDomain, byCompany] = await Promise.all([
    linkedin.length ? byKey(inArray(leads.linkedinUrl, linkedin)) : [],
    emails.length ? byKey(inArray(leads.emailKey, emails)) : [],
    domains.length ? byKey(inArray(leads.companyDomain, domains)) : [],
    companies.length ? byKey(inArray(sql`lower(${leads.company})`, companies)) : [],
  ]);
  const linkedinIndex = new Map(byLinkedin.map((row) => [row.linkedinUrl!, row]));
  const emailIndex = new Map(byEmail.map((row) => [row.emailKey!, row]));
  const domainIndex = group(byDomain, (row) => row.companyDomain);
  const companyIndex = group(byCompany, (row) => row.company?.toLowerCase() ?? null);
  return keys.map((k) => {
    const byUrl = k.linkedinUrl ? linkedinIndex.get(k.linkedinUrl) : undefined;
    if (byUrl) return { row: byUrl, reason: 'linkedinUrl' };
    const byMail = k.emailKey ? emailIndex.get(k.emailKey) : undefined;
    if (byMail) return { row: byMail, reason: 'email' };
    if (!k.fullName) return null;
    let best: { row: LeadRow; similarity: number; reason: MatchReason } | null = null;
    const pools: [MatchReason, LeadRow[] | undefined][] = [
      ['nameAndDomain', k.companyDomain ? domainIndex.get(k.companyDomain) : undefined],
      ['nameAndCompany', k.company ? companyIndex.get(k.company) : undefined],
    ];
    for (const [reason, pool] of pools) {
      for (const row of pool ?? []) {
        if (!row.fullName) continue;
        const similarity = nameSimilarity(k.fullName, row.fullName);
        if (!best || similarity > best.similarity) best = { row, similarity, reason };
      }
    }
    return best && best.similarity >= FUZZY_NAME_THRESHOLD ? { row: best.row, reason: best.reason } : null;
  });
}

function group(rows: LeadRow[], keyOf: (row: LeadRow) => string | null): Map<string, LeadRow[]> {
  const map = new Map<string, LeadRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (!key) continue;
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return map;
}

/**
 * What importing a row that matched `before` changes under the policy: `fill` sets only the fields
 * the lead lacks, `overwrite` every field the row holds and the lead has otherwise. Stage, owner and
 * creation date stay the lead's (a file should not undo the team's work on it).
 */
export function plannedChanges(
  before: LeadRow,
  incoming: Partial<LeadRow>,
  policy: 'fill' | 'overwrite',
): Partial<LeadRow> {
  const changes: Record<string, unknown> = {};
  for (const column of UPDATABLE) {
    const value = incoming[column];
    if (value === undefined || value === null) continue;
    const current = before[column];
    if (policy === 'fill' ? current === null : current !== value) changes[column] = value;
  }
  if (changes.fullName !== undefined) changes.nameKey = incoming.nameKey;
  if (changes.email !== undefined) changes.emailKey = incoming.emailKey;
  return changes as Partial<LeadRow>;
}

/** The columns an import may change on a lead it matched. */
export const UPDATABLE = [
  'fullName',
  'firstName',
  'lastName',
  'title',
  'company',
  'companyDomain',
  'email',
  'phone',
  'location',
  'country',
  'linkedinUrl',
  'website',
  'industry',
  'companySize',
  'dealValue',
] as const satisfies readonly (keyof LeadRow)[];
