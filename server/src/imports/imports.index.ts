import { createRouter } from '../lib/create-router';
import * as handlers from './imports.handlers';
import * as routes from './imports.routes';

export const importsRouter = createRouter()
  .openapi(routes.upload, handlers.upload)
  .openapi(routes.list, handlers.list)
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update)
  .openapi(routes.start, handlers.start)
  .openapi(routes.errors, handlers.errors)
  .openapi(routes.undo, handlers.undo);
