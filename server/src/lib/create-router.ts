import { OpenAPIHono } from '@hono/zod-openapi';
import { validationProblem } from './problem';
import type { AppBindings } from './types';

/**
 * Every router shares one validation hook, so a bad query, path or body always answers the same
 * problem+json 422 with the zod issues.
 */
export function createRouter() {
  return new OpenAPIHono<AppBindings>({
    strict: false,
    defaultHook: (result) => {
      if (!result.success) {
        const where = result.target === 'json' ? 'request body' : `${result.target} parameters`;
        return validationProblem(result.error, where) as never;
      }
    },
  });
}
