import type { LeadPatch } from '@leadline/shared';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database, Executor } from '../db/client';
import { forms, users, workspaces } from '../db/schema';
import { createLead, matchLead, updateLead } from '../leads/leads.service';
import type { Principal } from '../lib/types';
import { addTouchpoint } from '../touchpoints/touchpoints.service';
import type { FormRow } from './forms.service';
import type { MappedSubmission } from './submission-fields';

/**
 * Whom a submission acts as: the form's creator (or, once they left, the workspace's first admin),
 * with a manager's reach, so it may fill in any lead it matches. With no routing rules, its new
 * leads are theirs, as a lead made through the API is its creator's.
 */
async function formPrincipal(db: Executor, form: FormRow): Promise<Principal> {
  const active = and(eq(users.workspaceId, form.workspaceId), isNull(users.deactivatedAt));
  const [creator] = form.createdBy
    ? await db
        .select({ id: users.id })
        .from(users)
        .where(and(active, eq(users.id, form.createdBy)))
    : [];
  const [admin] = creator
    ? [creator]
    : await db
        .select({ id: users.id })
        .from(users)
        .where(and(active, eq(users.role, 'admin')))
        .orderBy(asc(users.createdAt))
        .limit(1);
  const [workspace] = await db
    .select({ repsSeeOnlyOwnLeads: workspaces.repsSeeOnlyOwnLeads })
    .from(workspaces)
    .where(eq(workspaces.id, form.workspaceId));
  return {
    userId: admin!.id,
    workspaceId: form.workspaceId,
    role: 'manager',
    tokenId: `form:${form.id}`,
    repsSeeOnlyOwnLeads: workspace?.repsSeeOnlyOwnLeads ?? false,
  };
}

/** The fields a submission adds to a known lead: only those the team has not filled in. */
const GAP_FIELDS = [
  'fullName',
  'firstName',
  'lastName',
  'title',
  'company',
  'companyDomain',
  'phone',
  'website',
  'country',
] as const;

/**
 * Creates the lead (routed, origin `form`) or fills the gaps of the one its e-mail matches, logs a
 * `form_submitted` touchpoint (no rep logged it) with the message, the page and its UTM tags, and
 * counts the submission: all in one transaction, so a refusal on the way leaves nothing behind.
 */
export async function recordSubmission(
  db: Database,
  form: FormRow,
  mapped: MappedSubmission,
  now = new Date(),
) {
  return db.transaction(async (tx) => {
    const principal = await formPrincipal(tx, form);
    const known = await matchLead(tx, form.workspaceId, { email: mapped.lead.email });
    let lead = known?.row;
    if (lead) {
      const patch: LeadPatch = {};
      for (const field of GAP_FIELDS) {
        const value = mapped.lead[field];
        if (value !== undefined && lead[field] === null) patch[field] = value;
      }
      if (Object.keys(patch).length) lead = (await updateLead(tx, principal, lead.id, patch, now)).after.row;
    } else {
      lead = (await createLead(tx, principal, mapped.lead, 'form', now)).row;
    }
    const touchpoint = await addTouchpoint(
      tx,
      principal,
      lead,
      { type: 'form_submitted', note: mapped.note, channel: 'web' },
      now,
      null,
    );
    await tx
      .update(forms)
      .set({ submissionCount: sql`${forms.submissionCount} + 1`, lastSubmissionAt: now })
      .where(eq(forms.id, form.id));
    return { leadId: lead.id, touchpointId: touchpoint.id, matched: Boolean(known) };
  });
}
