import fc from 'fast-check';

/** A JSON Schema 2020-12 node as an OpenAPI 3.1 document holds it. */
export type JsonSchema = boolean | { [keyword: string]: unknown };
type SchemaObject = { [keyword: string]: unknown };

/** Arbitraries to use for a property or parameter by name (ids that exist, cursors), instead of its schema's. */
export type Hints = (name: string) => fc.Arbitrary<unknown> | undefined;

export interface SchemaContext {
  /** The whole document, for `#/components/schemas/...` refs. */
  root: unknown;
  hints?: Hints;
}

/** JSON.stringify cannot write these; {@link toJsonText} puts them in as bare literals (JSON.parse reads Infinity). */
export const RAW_LITERALS = {
  __raw_inf__: '1e999',
  __raw_neg_inf__: '-1e999',
  __raw_long__: '9'.repeat(400),
};

/** Stringifies a generated body, writing the raw-literal sentinels as bare numbers. */
export function toJsonText(value: unknown): string {
  let text = JSON.stringify(value) ?? 'null';
  for (const [sentinel, literal] of Object.entries(RAW_LITERALS))
    text = text.replaceAll(`"${sentinel}"`, literal);
  return text;
}

export function resolveRef(schema: JsonSchema, root: unknown): JsonSchema {
  let current = schema;
  for (let hops = 0; typeof current === 'object' && typeof current.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref cycle at ${current.$ref}`);
    const ref = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`Only local refs are supported, got ${ref}`);
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) {
      node = (node as Record<string, unknown> | undefined)?.[
        part.replaceAll('~1', '/').replaceAll('~0', '~')
      ];
    }
    if (node === undefined) throw new Error(`Unresolvable $ref ${ref}`);
    current = node as JsonSchema;
  }
  return current;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** Values that break naive code: non-finite after parsing, overflow, wrong types, huge strings, odd dates. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    1e308,
    -1e308,
    Number.MAX_VALUE,
    -Number.MAX_VALUE,
    Number.MIN_VALUE,
    -0,
    2 ** 53 + 2,
    -(2 ** 63),
    0.1,
    -1,
    0,
    '__raw_inf__',
    '__raw_neg_inf__',
    '__raw_long__',
    null,
    true,
    false,
    [],
    {},
    [null],
    JSON.parse('{"__proto__":{"role":"admin"},"constructor":{"prototype":{}}}'),
    '',
    ' ',
    'NaN',
    'Infinity',
    '-1e308',
    '1e308',
    '\u0000',
    '\ud800',
    '../../etc/passwd',
    "'; drop table leads; --",
    '%s%n%x',
    '+275760-09-13T00:00:00.000Z',
    '-271821-04-20T00:00:00.000Z',
    '9999-12-31T23:59:59.999Z',
    '0000-00-00T00:00:00Z',
    '2024-02-30',
    '2024-13',
    'x'.repeat(100_000),
  ),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.double(),
  fc.integer(),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 3 }),
);

function stringArbitrary(schema: SchemaObject): fc.Arbitrary<string> {
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = Math.min(num(schema.maxLength) ?? 60, minLength + 60);
  const fits = (value: string) => value.length >= minLength && value.length <= (num(schema.maxLength) ?? 1e9);
  if (typeof schema.pattern === 'string') {
    // fast-check cannot generate lookaheads; the length rule they carry is checked after.
    const source = schema.pattern.replace(/\(\?[=!][^)]*\)/g, '');
    return fc.stringMatching(new RegExp(source)).filter(fits);
  }
  switch (schema.format) {
    case 'date-time':
      return fc
        .date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2035-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((date) => date.toISOString());
    case 'date':
      return fc
        .date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2035-01-01T00:00:00Z'),
          noInvalidDate: true,
        })
        .map((date) => date.toISOString().slice(0, 10));
    case 'uri':
      return fc.webUrl({ withQueryParameters: true }).filter(fits);
    case 'email':
      return fc.emailAddress().filter(fits);
  }
  if (/mail/i.test(String(schema.description ?? ''))) return fc.emailAddress().filter(fits);
  return fc.string({ minLength, maxLength });
}

function numberArbitrary(schema: SchemaObject, integer: boolean): fc.Arbitrary<number> {
  let min = num(schema.minimum) ?? num(schema.exclusiveMinimum) ?? -1e6;
  let max = num(schema.maximum) ?? num(schema.exclusiveMaximum) ?? 1e6;
  if (integer) {
    min = Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER);
    max = Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER);
    return fc.oneof(fc.integer({ min, max }), fc.constantFrom(min, max));
  }
  const inside = (value: number) =>
    (schema.exclusiveMinimum === undefined || value > (schema.exclusiveMinimum as number)) &&
    (schema.exclusiveMaximum === undefined || value < (schema.exclusiveMaximum as number));
  return fc
    .oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(min, max))
    .filter(inside);
}

/** Valid-looking values for a schema (lengths, ranges, enums, patterns, required keys). */
export function schemaArbitrary(
  schema: JsonSchema,
  context: SchemaContext,
  depth = 0,
): fc.Arbitrary<unknown> {
  const node = resolveRef(schema, context.root);
  if (node === true) return fc.jsonValue({ maxDepth: 1 });
  if (node === false) return fc.constant(undefined);
  if ('const' in node) return fc.constant(node.const);
  if (Array.isArray(node.enum)) return fc.constantFrom(...(node.enum as unknown[]));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = node[key];
    if (Array.isArray(options))
      return fc.oneof(...options.map((option) => schemaArbitrary(option, context, depth)));
  }
  if (Array.isArray(node.allOf)) {
    const merged: SchemaObject = {};
    for (const part of node.allOf) Object.assign(merged, resolveRef(part as JsonSchema, context.root));
    return schemaArbitrary(merged, context, depth);
  }
  const types = Array.isArray(node.type) ? (node.type as string[]) : node.type ? [node.type as string] : [];
  if (types.length > 1)
    return fc.oneof(...types.map((type) => schemaArbitrary({ ...node, type }, context, depth)));
  switch (types[0]) {
    case 'string':
      return stringArbitrary(node);
    case 'integer':
      return numberArbitrary(node, true);
    case 'number':
      return numberArbitrary(node, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const items = (node.items as JsonSchema | undefined) ?? true;
      const minLength = num(node.minItems) ?? 0;
      const maxLength = Math.min(num(node.maxItems) ?? 4, minLength + (depth > 2 ? 1 : 4));
      return fc.array(schemaArbitrary(items, context, depth + 1), { minLength, maxLength });
    }
    case 'object':
      return objectArbitrary(node, context, depth);
  }
  return fc.jsonValue({ maxDepth: 1 });
}

function objectArbitrary(node: SchemaObject, context: SchemaContext, depth: number): fc.Arbitrary<unknown> {
  const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((node.required ?? []) as string[]);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, propertySchema] of Object.entries(properties)) {
    model[name] = context.hints?.(name) ?? schemaArbitrary(propertySchema, context, depth + 1);
  }
  return fc.record(model, { requiredKeys: [...required].filter((name) => name in model) });
}

/** A hostile value, a deleted key or an extra key, somewhere in a value (the path picked by `steps`). */
export interface Mutation {
  steps: number[];
  kind: 'replace' | 'delete' | 'extra' | 'wrap';
  value: unknown;
  key: string;
}

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.record({
  steps: fc.array(fc.nat(), { maxLength: 4 }),
  kind: fc.constantFrom('replace', 'delete', 'extra', 'wrap'),
  value: hostileValue,
  key: fc.oneof(
    fc.constantFrom('__proto__', 'constructor', 'id', 'workspaceId', 'score'),
    fc.string({ maxLength: 8 }),
  ),
});

/** Applies one mutation to a copy of `value`. */
export function mutate(value: unknown, mutation: Mutation): unknown {
  const copy: unknown = structuredClone(value);
  let parent: Record<string, unknown> | unknown[] | undefined;
  let slot: string | number | undefined;
  let node = copy;
  for (const step of mutation.steps) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = Array.isArray(node) ? step % node.length : keys[step % keys.length]!;
    parent = node as Record<string, unknown>;
    slot = key;
    node = (node as Record<string | number, unknown>)[key];
  }
  const replace = (next: unknown) => {
    if (parent === undefined || slot === undefined) return next;
    (parent as Record<string | number, unknown>)[slot] = next;
    return copy;
  };
  switch (mutation.kind) {
    case 'replace':
      return replace(mutation.value);
    case 'wrap':
      return replace([node]);
    case 'delete': {
      if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
        const keys = Object.keys(node);
        if (keys.length) delete (node as Record<string, unknown>)[keys[mutation.steps.length % keys.length]!];
        return copy;
      }
      if (parent && !Array.isArray(parent) && typeof slot === 'string') delete parent[slot];
      return parent ? copy : undefined;
    }
    case 'extra':
      if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
        Object.defineProperty(node, mutation.key, {
          value: mutation.value,
          enumerable: true,
          writable: true,
        });
        return copy;
      }
      return replace({ [mutation.key]: mutation.value });
  }
}
