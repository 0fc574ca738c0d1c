import { z } from 'zod';
import { userRole } from '../schemas/auth';
import { id, isoDateTime } from '../schemas/common';
import { timeZoneSchema, workingHoursSchema } from '../working-time/calendar';

/** A person of the workspace as the Team page shows them, with their tokens (never the secrets). */
export const personSchema = z
  .object({
    id,
    name: z.string(),
    email: z.string().nullable(),
    role: userRole,
    timeZone: z.string(),
    /** Null: Monday to Friday, 09:00-17:00 (the working-time default). */
    workingHours: workingHoursSchema.nullable(),
    awayUntil: isoDateTime.nullable(),
    deactivatedAt: isoDateTime.nullable(),
    openLeads: z.number().int(),
    tokens: z.array(z.object({ id, label: z.string().nullable(), createdAt: isoDateTime })),
    teamIds: z.array(id),
  })
  .meta({ id: 'Person' });
export type Person = z.infer<typeof personSchema>;

export const personListSchema = z.object({ items: z.array(personSchema) }).meta({ id: 'PersonList' });

const name = z.string().trim().min(1).max(100);

/** Invite: a new person and their first token (shown once). */
export const inviteSchema = z
  .object({
    name,
    email: z.string().trim().toLowerCase().max(320).pipe(z.email()).optional(),
    role: userRole.default('rep'),
    timeZone: timeZoneSchema.optional(),
    workingHours: workingHoursSchema.optional(),
  })
  .strict()
  .meta({ id: 'Invite' });
export type Invite = z.input<typeof inviteSchema>;

export const invitedSchema = z
  .object({
    person: personSchema,
    /** Shown once: only its hash is stored. */
    token: z.string(),
    tokenId: id,
  })
  .meta({ id: 'Invited' });
export type Invited = z.infer<typeof invitedSchema>;

/**
 * A change to a person: the role (admins) or their availability (managers and admins, and a rep
 * for themselves). `awayUntil: null` says they are back.
 */
export const personPatchSchema = z
  .object({
    name: name.optional(),
    role: userRole.optional(),
    timeZone: timeZoneSchema.optional(),
    workingHours: workingHoursSchema.nullable().optional(),
    awayUntil: isoDateTime.nullable().optional(),
  })
  .strict()
  .meta({ id: 'PersonPatch' });
export type PersonPatch = z.infer<typeof personPatchSchema>;

/** Deactivate a person: their open leads go through routing again, to a named colleague, or to the unassigned queue. */
export const deactivateSchema = z
  .object({
    openLeads: z.discriminatedUnion('to', [
      z.object({ to: z.literal('colleague'), userId: id }).strict(),
      z.object({ to: z.literal('queue') }).strict(),
      z.object({ to: z.literal('routing') }).strict(),
    ]),
  })
  .strict()
  .meta({ id: 'Deactivate' });
export type Deactivate = z.infer<typeof deactivateSchema>;

export const deactivatedSchema = z
  .object({ person: personSchema, leadsMoved: z.number().int(), tokensRevoked: z.number().int() })
  .meta({ id: 'Deactivated' });

const cap = z.number().int().min(0).max(100_000).nullable().default(null);

export const teamMemberSchema = z
  .object({
    userId: id,
    /** Share of a round robin relative to the others' (default 1); must be above 0. */
    weight: z.number().gt(0, 'a weight above 0').max(1000).default(1),
    /** New leads a day at most; null: no cap. */
    capPerDay: cap,
    /** Open leads owned at most; null: no cap. */
    capOpen: cap,
  })
  .strict();
export type TeamMember = z.infer<typeof teamMemberSchema>;

export const teamInputSchema = z
  .object({
    name,
    /** Who an SLA breach escalates to; null: none. */
    managerId: id.nullable().default(null),
    members: z.array(teamMemberSchema).max(500),
  })
  .strict()
  .refine((team) => new Set(team.members.map((m) => m.userId)).size === team.members.length, {
    message: 'each person at most once',
    path: ['members'],
  })
  .meta({ id: 'TeamInput' });
export type TeamInput = z.input<typeof teamInputSchema>;

export const teamSchema = z
  .object({
    id,
    name: z.string(),
    managerId: id.nullable(),
    members: z.array(
      z.object({
        userId: id,
        weight: z.number(),
        capPerDay: z.number().int().nullable(),
        capOpen: z.number().int().nullable(),
      }),
    ),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Team' });
export type Team = z.infer<typeof teamSchema>;

export const teamListSchema = z.object({ items: z.array(teamSchema) }).meta({ id: 'TeamList' });
