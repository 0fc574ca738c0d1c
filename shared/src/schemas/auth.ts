import { z } from 'zod';
import { id, isoDateTime } from './common';

export const USER_ROLES = ['rep', 'manager', 'admin'] as const;
export const userRole = z.enum(USER_ROLES);
export type UserRole = z.infer<typeof userRole>;

export const meSchema = z
  .object({
    user: z.object({
      id,
      name: z.string(),
      email: z.string().nullable(),
      role: userRole,
      /** Away (holiday) until then: routing skips them; null: at work. */
      awayUntil: isoDateTime.nullable(),
    }),
    workspace: z.object({ id, name: z.string() }),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof meSchema>;

export const tokenCreateSchema = z
  .object({
    /** Who the token is for: an existing user id, or a new user made with this name, e-mail and role. */
    userId: id.optional(),
    name: z.string().trim().min(1).max(100).optional(),
    email: z.string().trim().toLowerCase().max(320).pipe(z.email()).optional(),
    role: userRole.default('rep'),
    label: z.string().trim().max(100).optional(),
  })
  .strict()
  .refine((t) => t.userId || t.name, { message: 'Give userId, or name for a new user', path: ['name'] })
  .meta({ id: 'TokenCreate' });
export type TokenCreate = z.infer<typeof tokenCreateSchema>;

export const tokenCreatedSchema = z
  .object({
    id,
    userId: id,
    label: z.string().nullable(),
    /** Shown once: only its hash is stored. */
    token: z.string(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'TokenCreated' });

/** Who sees which leads: a workspace setting, readable by everyone, set by managers and admins. */
export const leadVisibilitySchema = z
  .object({
    /** Reps see (list, hot list, match, read) only the leads they own; managers and admins see all. */
    repsSeeOnlyOwnLeads: z.boolean(),
  })
  .strict()
  .meta({ id: 'LeadVisibility' });
export type LeadVisibility = z.infer<typeof leadVisibilitySchema>;
