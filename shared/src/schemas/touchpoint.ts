import { z } from 'zod';
import { TOUCHPOINT_TYPES } from '../touchpoint-types';
import { id, isoDateTime, text } from './common';
import { sourceChannel } from './lead';

export const touchpointType = z.enum(TOUCHPOINT_TYPES, {
  error: (issue) =>
    `Unknown touchpoint type ${JSON.stringify(issue.input)}; known types: ${TOUCHPOINT_TYPES.join(', ')}`,
});

export const touchpointCreateSchema = z
  .object({
    type: touchpointType,
    occurredAt: isoDateTime.optional(),
    note: text(5000).optional(),
    channel: sourceChannel.optional(),
  })
  .strict()
  .meta({ id: 'TouchpointCreate' });
export type TouchpointCreate = z.infer<typeof touchpointCreateSchema>;

export const touchpointSchema = z
  .object({
    id,
    leadId: id,
    type: touchpointType,
    occurredAt: isoDateTime,
    note: z.string().nullable(),
    channel: sourceChannel.nullable(),
    userId: z.string().nullable(),
    createdAt: isoDateTime,
  })
  .meta({ id: 'Touchpoint' });
export type Touchpoint = z.infer<typeof touchpointSchema>;

export const touchpointListSchema = z
  .object({ items: z.array(touchpointSchema) })
  .meta({ id: 'TouchpointList' });
