import { randomBytes } from 'node:crypto';
import type { Form, FormCreate, FormPatch } from '@leadline/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { newId } from '../db/ids';
import { forms } from '../db/schema';
import { ProblemException } from '../lib/problem';
import type { Principal } from '../lib/types';
import { formSnippetHtml, formSnippetScript } from './snippet';

export type FormRow = typeof forms.$inferSelect;

/** Where a form's submissions go, on the API as the caller reached it. */
export function formEndpoint(apiOrigin: string, publicId: string): string {
  return `${apiOrigin}/f/${publicId}`;
}

export function toWireForm(row: FormRow, apiOrigin: string): Form {
  const endpoint = formEndpoint(apiOrigin, row.publicId);
  return {
    id: row.id,
    publicId: row.publicId,
    name: row.name,
    allowedOrigins: row.allowedOrigins,
    thankYouUrl: row.thankYouUrl,
    campaign: row.campaign,
    enabled: row.enabled,
    submissionCount: row.submissionCount,
    lastSubmissionAt: row.lastSubmissionAt?.toISOString() ?? null,
    endpoint,
    snippet: { html: formSnippetHtml(endpoint), script: formSnippetScript(endpoint) },
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const newPublicId = () => `frm_${randomBytes(12).toString('base64url')}`;

export async function findForm(db: Executor, workspaceId: string, id: string): Promise<FormRow> {
  const [row] = await db
    .select()
    .from(forms)
    .where(and(eq(forms.workspaceId, workspaceId), eq(forms.id, id)));
  if (!row) throw new ProblemException('not-found', `No form ${id} in this workspace`);
  return row;
}

/** The form a public id names, if it takes submissions (enabled); unknown and off read the same. */
export async function findOpenForm(db: Executor, publicId: string): Promise<FormRow> {
  const [row] = await db.select().from(forms).where(eq(forms.publicId, publicId));
  if (!row?.enabled)
    throw new ProblemException('not-found', 'No such form, or it no longer takes submissions');
  return row;
}

export async function listForms(db: Executor, workspaceId: string): Promise<FormRow[]> {
  return db
    .select()
    .from(forms)
    .where(eq(forms.workspaceId, workspaceId))
    .orderBy(asc(forms.createdAt), asc(forms.id));
}

export async function createForm(db: Executor, principal: Principal, input: FormCreate, now = new Date()) {
  const [row] = await db
    .insert(forms)
    .values({
      id: newId(),
      workspaceId: principal.workspaceId,
      publicId: newPublicId(),
      name: input.name,
      allowedOrigins: input.allowedOrigins,
      thankYouUrl: input.thankYouUrl ?? null,
      campaign: input.campaign ?? null,
      enabled: input.enabled,
      createdBy: principal.userId,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return row!;
}

export async function updateForm(
  db: Executor,
  workspaceId: string,
  id: string,
  patch: FormPatch,
  now = new Date(),
) {
  const before = await findForm(db, workspaceId, id);
  if (Object.values(patch).every((value) => value === undefined)) return before;
  const [row] = await db
    .update(forms)
    .set({
      name: patch.name,
      allowedOrigins: patch.allowedOrigins,
      thankYouUrl: patch.thankYouUrl,
      campaign: patch.campaign,
      enabled: patch.enabled,
      updatedAt: now,
    })
    .where(eq(forms.id, id))
    .returning();
  return row!;
}

/** Removes the form: its snippet stops working at once; the leads it brought stay. */
export async function deleteForm(db: Executor, workspaceId: string, id: string) {
  await findForm(db, workspaceId, id);
  await db.delete(forms).where(eq(forms.id, id));
}
