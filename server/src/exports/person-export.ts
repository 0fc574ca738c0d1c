import type { LeadDetail } from '@leadline/shared';
import { leadFollowUps } from '../cadences/export';
import type { Executor } from '../db/client';
import { listStageChanges } from '../db/stage-changes';
import { leadHistory } from '../leads/audit';
import { getLead } from '../leads/lead-reads';
import { findLeadFor } from '../leads/leads.service';
import type { Principal } from '../lib/types';
import { leadAssignmentHistory } from '../routing/assign';
import { listTouchpoints, toWireTouchpoint } from '../touchpoints/touchpoints.service';

/** One part of everything stored about a person, read by its lead's id. */
export interface PersonExportSection {
  name: string;
  read(db: Executor, workspaceId: string, leadId: string): Promise<unknown[]>;
}

/**
 * What a per-lead export (a GDPR access request) holds beside the lead itself, in this order: a
 * feature that stores more about a person adds its section here.
 */
export const PERSON_EXPORT_SECTIONS: readonly PersonExportSection[] = [
  {
    name: 'touchpoints',
    read: async (db, workspaceId, leadId) =>
      (await listTouchpoints(db, workspaceId, leadId)).map(toWireTouchpoint),
  },
  { name: 'stageChanges', read: listStageChanges },
  { name: 'audit', read: leadHistory },
  { name: 'assignments', read: leadAssignmentHistory },
  {
    name: 'tasks',
    read: async (db, workspaceId, leadId) => (await leadFollowUps(db, workspaceId, leadId)).tasks,
  },
  {
    name: 'enrolments',
    read: async (db, workspaceId, leadId) => (await leadFollowUps(db, workspaceId, leadId)).enrolments,
  },
];

export type PersonExport = { exportedAt: string; lead: LeadDetail } & Record<string, unknown>;

/** Everything stored about the lead's person, for someone allowed to read the lead. */
export async function exportPerson(
  db: Executor,
  principal: Principal,
  leadId: string,
  now = new Date(),
): Promise<PersonExport> {
  await findLeadFor(db, principal, leadId, 'lead.read');
  const { workspaceId } = principal;
  const [lead, ...sections] = await Promise.all([
    getLead(db, workspaceId, leadId, now),
    ...PERSON_EXPORT_SECTIONS.map((section) => section.read(db, workspaceId, leadId)),
  ]);
  return {
    exportedAt: now.toISOString(),
    lead: lead as LeadDetail,
    ...Object.fromEntries(PERSON_EXPORT_SECTIONS.map((section, i) => [section.name, sections[i]])),
  };
}
