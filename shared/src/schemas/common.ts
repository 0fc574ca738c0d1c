import { z } from 'zod';

/** An ISO 8601 timestamp with an offset (the wire form of every time); normalised to UTC by the server. */
export const isoDateTime = z.iso.datetime({ offset: true });

/** Ids are opaque strings (UUIDv7 from the server). */
export const id = z.string().min(1).max(64);

/** Trimmed text with a sane cap; empty strings become `undefined` so "" never overwrites a value. */
export const text = (max = 500) =>
  z
    .string()
    .trim()
    .max(max)
    .transform((value) => (value === '' ? undefined : value));
