import { createRouter } from '../lib/create-router';
import * as handlers from './forms.handlers';
import * as routes from './forms.routes';

export const formsRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update)
  .openapi(routes.remove, handlers.remove);
