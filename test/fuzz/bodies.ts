import fc from 'fast-check';
import {
  type JsonSchema,
  mutate,
  mutationArbitrary,
  type SchemaContext,
  schemaArbitrary,
  toJsonText,
} from './schema-arbitrary';

/** The bodies the fuzzer sends: a schema's JSON valid, mutated, not JSON or of the wrong type, and CSV files. */

const NOT_JSON = [
  ...['', '{', '{"a":', 'not json', 'null', '[]', '"text"', '1e999', '\u0000', '{"a":1}{"b":2}', '\ufeff{}'],
  // Over the 1 MB limit.
  JSON.stringify({ note: 'x'.repeat(1_100_000) }),
  `[${'['.repeat(10_000)}${']'.repeat(10_000)}]`,
];
const WRONG_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=utf-16',
  'application/merge-patch+json',
];

/**
 * The upload's body: a small valid CSV, text of any kind, bytes that are no text, none; the valid file
 * as a form's file part, and a broken form.
 */
export function csvBodies() {
  const cell = fc.string({ maxLength: 12 }).map((text) => `"${text.replaceAll('"', '""')}"`);
  const valid = fc
    .array(
      fc.tuple(
        fc.stringMatching(/^[A-Z][a-z]{2,8} [A-Z][a-z]{2,8}$/),
        fc.stringMatching(/^[a-z]{1,8}@[a-z]{1,8}\.com$/),
        cell,
      ),
      {
        minLength: 1,
        maxLength: 4,
      },
    )
    .map((rows) => `Name,Email,Notes\r\n${rows.map((row) => row.join(',')).join('\r\n')}\r\n`);
  return fc.oneof(
    { arbitrary: valid.map((body) => ({ kind: 'valid', body, contentType: 'text/csv' })), weight: 4 },
    {
      arbitrary: fc
        .string({ maxLength: 200 })
        .map((body) => ({ kind: 'any-text', body, contentType: 'text/csv' })),
      weight: 2,
    },
    {
      arbitrary: fc.constant({ kind: 'not-text', body: '\u0000\u0001\u0002PK', contentType: 'text/csv' }),
      weight: 1,
    },
    { arbitrary: fc.constant({ kind: 'missing-body', contentType: 'text/csv' }), weight: 1 },
    // The same file as a form's file part, as a browser sends it; and text that is no form at all.
    {
      arbitrary: valid.map((body) => ({
        kind: 'form',
        body: `--${FORM_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="fuzz.csv"\r\nContent-Type: text/csv\r\n\r\n${body}\r\n--${FORM_BOUNDARY}--\r\n`,
        contentType: `multipart/form-data; boundary=${FORM_BOUNDARY}`,
      })),
      weight: 2,
    },
    {
      arbitrary: fc.string({ maxLength: 200 }).map((body) => ({
        kind: 'any-form',
        body: `--${FORM_BOUNDARY}\r\n${body}`,
        contentType: `multipart/form-data; boundary=${FORM_BOUNDARY}`,
      })),
      weight: 1,
    },
  );
}

const FORM_BOUNDARY = 'fuzz-form-boundary';

export function bodyVariants(schema: JsonSchema, context: SchemaContext) {
  const valid = schemaArbitrary(schema, context);
  const json = 'application/json';
  return fc.oneof(
    {
      arbitrary: valid.map((value) => ({ kind: 'valid', body: toJsonText(value), contentType: json })),
      weight: 5,
    },
    {
      arbitrary: fc
        .tuple(valid, fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 }))
        .map(([value, mutations]) => ({
          kind: 'mutated',
          body: toJsonText(
            mutations.reduce<unknown>((current, mutation) => mutate(current, mutation), value),
          ),
          contentType: json,
        })),
      weight: 5,
    },
    {
      arbitrary: fc.constantFrom(...NOT_JSON).map((body) => ({ kind: 'not-json', body, contentType: json })),
      weight: 1,
    },
    {
      arbitrary: fc
        .tuple(valid, fc.constantFrom<string | undefined>(...WRONG_TYPES, undefined))
        .map(([value, contentType]) => ({
          kind: 'wrong-content-type',
          body: toJsonText(value),
          contentType,
        })),
      weight: 1,
    },
    { arbitrary: fc.constant({ kind: 'missing-body', contentType: json }), weight: 1 },
  );
}
