import type { Lead, LeadDetail, LeadListQuery, LeadMatch } from '@leadline/shared';
import type { Executor } from '../db/client';
import type { LeadRow } from '../db/lead-row';
import { liveScores } from '../scoring/live-scores';
import { type ActiveModel, activeModel } from '../scoring/model.service';
import { topByScore } from '../scoring/ranking';
import { recycleAfterDays, scoreReport } from '../scoring/score-report';
import { decodeCursor, encodeCursor, scoreCursorSchema } from './cursor';
import { toWireLead } from './leads.mapper';
import { findLead, listLeadsByTime, matchLead } from './leads.service';

/** How deep "hottest first" pages go: each page is the exact top (offset + limit) at one moment. */
export const MAX_SCORE_OFFSET = 1000;

/**
 * Every lead a read sends goes through here: scored as of `atMs` by `liveScores` (a touchpoint
 * logged ahead of time that has come due counts, folded or not), and nothing is written.
 */
export async function wireLeads(db: Executor, rows: readonly LeadRow[], model: ActiveModel, atMs: number) {
  return (await liveScores(db, rows, model, atMs)).map(({ row, score }) => toWireLead(row, score));
}

/**
 * A list query within a read scope (the only owner a rep may see, or undefined for all): the owner
 * filter becomes the scope, and null means the query asks for someone else's leads, so nothing.
 */
export function withinScope<Q extends { owner?: string }>(query: Q, scope: string | undefined): Q | null {
  if (scope === undefined) return query;
  if (query.owner !== undefined && query.owner !== scope) return null;
  return { ...query, owner: scope };
}

/** The hot list's rows: each lead with its most urgent next step, from the same report the lead view reads. */
async function withTopNextSteps(
  db: Executor,
  rows: readonly LeadRow[],
  leads: Lead[],
  model: ActiveModel,
  at: Date,
) {
  const days = rows[0] ? await recycleAfterDays(db, rows[0].workspaceId) : 30;
  const reports = await Promise.all(rows.map((row) => scoreReport(db, row, model, at, days)));
  return leads.map((lead, i) => {
    const step = reports[i]?.nextSteps[0];
    return {
      ...lead,
      topNextStep: step
        ? {
            id: step.id,
            title: step.title,
            reason: step.reason,
            suggestedTouchpoint: step.suggestedTouchpoint,
          }
        : null,
    };
  });
}

/** `GET /leads`: hottest first (exact top-k at one moment, paged by offset) or newest first by time. */
export async function listLeads(
  db: Executor,
  workspaceId: string,
  query: LeadListQuery,
  now = new Date(),
): Promise<{ items: Lead[]; nextCursor: string | null }> {
  const model = await activeModel(db, workspaceId);
  const rowsOut = async (rows: readonly LeadRow[], atMs: number) => {
    const items = await wireLeads(db, rows, model, atMs);
    return query.withNextStep === 'true' ? withTopNextSteps(db, rows, items, model, new Date(atMs)) : items;
  };
  if (query.sort === '-score') {
    const { o: offset, t: atMs } = query.cursor
      ? decodeCursor(query.cursor, scoreCursorSchema(MAX_SCORE_OFFSET, now.getTime()), 'sort=-score')
      : { o: 0, t: now.getTime() };
    const ranked = await topByScore(db, workspaceId, query, offset + query.limit, model, atMs);
    const page = ranked.slice(offset).map(({ row }) => row);
    const next = offset + query.limit;
    return {
      items: await rowsOut(page, atMs),
      nextCursor:
        ranked.length === next && next < MAX_SCORE_OFFSET ? encodeCursor({ o: next, t: atMs }) : null,
    };
  }
  const { rows, nextCursor } = await listLeadsByTime(db, workspaceId, { ...query, sort: query.sort });
  return { items: await rowsOut(rows, now.getTime()), nextCursor };
}

/** `GET /leads/match`: the known lead for a person, scored now. */
export async function matchLeadNow(
  db: Executor,
  workspaceId: string,
  query: Parameters<typeof matchLead>[2],
  now = new Date(),
): Promise<LeadMatch> {
  const found = await matchLead(db, workspaceId, query);
  if (!found) return { match: null };
  const model = await activeModel(db, workspaceId);
  const [lead] = await wireLeads(db, [found.row], model, now.getTime());
  return {
    match: {
      lead: lead!,
      reason: found.reason,
      confidence: found.confidence,
      needsConfirmation: found.reason === 'nameAndDomain' || found.reason === 'nameAndCompany',
    },
  };
}

/** `GET /leads/{id}`: the lead scored now, with its score report (breakdown and next steps). */
export async function getLead(
  db: Executor,
  workspaceId: string,
  id: string,
  now = new Date(),
  /** The lead's row when the caller has just read it (not read again). */
  read?: LeadRow,
): Promise<LeadDetail> {
  const row = read?.id === id ? read : await findLead(db, workspaceId, id);
  const model = await activeModel(db, workspaceId);
  const [[lead], scoring] = await Promise.all([
    wireLeads(db, [row], model, now.getTime()),
    scoreReport(db, row, model, now),
  ]);
  return { ...lead!, scoring };
}
