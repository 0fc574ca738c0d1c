import type { JsonSchema } from './schema-arbitrary';

/** The operations of the API's OpenAPI document, as the fuzzer walks them. */

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

export interface Operation {
  method: string;
  path: string;
  /** `GET /api/leads/{id}` */
  label: string;
  parameters: Parameter[];
  body?: JsonSchema;
  responses: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

export interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<string, Omit<Operation, 'method' | 'path' | 'label'> & { requestBody?: unknown }>
  >;
  components?: { schemas?: Record<string, JsonSchema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of the document, in its order. */
export function listOperations(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const requestBody = operation.requestBody as
        | { content?: Record<string, { schema?: JsonSchema }> }
        | undefined;
      operations.push({
        method: method.toUpperCase(),
        path,
        label: `${method.toUpperCase()} ${path}`,
        parameters: operation.parameters ?? [],
        body: requestBody?.content?.['application/json']?.schema,
        responses: operation.responses,
      });
    }
  }
  return operations;
}
