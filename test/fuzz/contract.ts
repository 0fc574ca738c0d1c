import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { OpenApiDocument, Operation } from './operations';
import type { JsonSchema } from './schema-arbitrary';

const DOC_ID = 'https://leadline.invalid/openapi.json';
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** `#/components/schemas/X` becomes a ref into the document registered with ajv under {@link DOC_ID}. */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node).map(([key, value]) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')
        ? [key, `${DOC_ID}#/$defs/${value.slice('#/components/schemas/'.length)}`]
        : [key, rewriteRefs(value)],
    ),
  );
}

/** Numbers that JSON cannot carry would arrive as null; this also catches any that got through otherwise. */
export function nonFiniteNumbers(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value))
    return value.flatMap((item, index) => nonFiniteNumbers(item, `${path}[${index}]`));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => nonFiniteNumbers(item, `${path}.${key}`));
  }
  return [];
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Checks answers against the document: no 5xx, problem+json errors, 2xx bodies as documented. */
export function createContract(doc: OpenApiDocument) {
  const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
  ajv.addFormat('date-time', (text) => ISO_DATE_TIME.test(text) && !Number.isNaN(Date.parse(text)));
  ajv.addFormat('date', (text) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)));
  ajv.addFormat('uri', (text) => URL.canParse(text));
  ajv.addFormat('email', (text) => /^[^\s@]+@[^\s@]+$/.test(text));
  ajv.addSchema({
    $id: DOC_ID,
    $defs: rewriteRefs(doc.components?.schemas ?? {}) as Record<string, JsonSchema>,
  });
  const problem = ajv.compile({ $ref: `${DOC_ID}#/$defs/Problem` });
  const cache = new Map<string, ValidateFunction>();

  const validatorFor = (operation: Operation, status: number, mediaType: string) => {
    const key = `${operation.label} ${status} ${mediaType}`;
    let validate = cache.get(key);
    if (!validate) {
      const schema = operation.responses[String(status)]?.content?.[mediaType]?.schema;
      if (!schema) return undefined;
      validate = ajv.compile(rewriteRefs(schema) as object);
      cache.set(key, validate);
    }
    return validate;
  };

  return function check(operation: Operation, answer: Answer): string[] {
    const { status, contentType, text } = answer;
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    if (status >= 500) return [`status ${status}: ${text.slice(0, 300)}`];
    if (status >= 400) {
      if (mediaType !== 'application/problem+json')
        return [`status ${status} as ${contentType || 'no content-type'}`];
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return [`status ${status}: problem+json that is not JSON`];
      }
      const found: string[] = [];
      if (!problem(body)) found.push(`status ${status}: not a problem: ${ajv.errorsText(problem.errors)}`);
      const documented = validatorFor(operation, status, mediaType);
      if (documented && !documented(body)) {
        found.push(`status ${status}: not the documented problem: ${ajv.errorsText(documented.errors)}`);
      }
      if ((body as { status?: unknown } | null)?.status !== status) {
        found.push(`status ${status}: problem says status ${(body as { status?: unknown } | null)?.status}`);
      }
      return found;
    }
    if (status < 200 || status >= 300) return [`unexpected status ${status}`];
    const documented = operation.responses[String(status)];
    if (!documented)
      return [`status ${status} is not documented (documented: ${Object.keys(operation.responses)})`];
    if (!documented.content)
      return text === '' ? [] : [`status ${status} documents no content but has ${text.length} characters`];
    if (!(mediaType in documented.content))
      return [`status ${status} as ${contentType}, documented ${Object.keys(documented.content)}`];
    if (mediaType !== 'application/json') return [];
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return [`status ${status}: application/json that is not JSON`];
    }
    const validate = validatorFor(operation, status, mediaType);
    const found: string[] = [];
    if (validate && !validate(body)) found.push(`status ${status}: ${ajv.errorsText(validate.errors)}`);
    for (const path of nonFiniteNumbers(body)) found.push(`status ${status}: non-finite number at ${path}`);
    return found;
  };
}
