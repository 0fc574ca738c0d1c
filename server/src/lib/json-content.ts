import { z } from '@hono/zod-openapi';
import { problemSchema } from '@leadline/shared';

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { 'application/json': { schema } }, required: true };
}

const problem = (description: string) => ({
  content: { 'application/problem+json': { schema: problemSchema } },
  description,
});

/** The error responses every authenticated route may give. */
export const problemResponses = {
  401: problem('Missing or invalid bearer token'),
  422: problem('Invalid input; `issues` lists each problem'),
} as const;

export const notFound = { 404: problem('No such resource in this workspace') } as const;
/** A refusal by the permission policy (server/src/auth/permissions.ts); `action` names what was refused. */
export const forbidden = {
  403: {
    content: { 'application/problem+json': { schema: z.object({ action: z.string() }).loose() } },
    description:
      'Your role may not do this (on this lead); `action` names what was refused, e.g. `lead.delete`',
  },
} as const;
export const tooLarge = { 413: problem('Request body over 1 MB') } as const;
export const malformed = { 400: problem('Malformed JSON') } as const;
/**
 * The write would break a rule of the workspace's state (the last admin, a name in use, a deactivated
 * person) or meets another change of the same thing in progress (a model change): `detail` says which.
 */
export const conflict = { 409: problem('Refused by the current state; `detail` says why') } as const;
