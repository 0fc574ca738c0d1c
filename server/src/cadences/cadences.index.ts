import { createRouter } from '../lib/create-router';
import * as handlers from './cadences.handlers';
import * as routes from './cadences.routes';

export const cadencesRouter = createRouter()
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.update, handlers.update)
  .openapi(routes.archive, handlers.archive)
  .openapi(routes.enrol, handlers.enrol)
  .openapi(routes.change, handlers.change)
  .openapi(routes.forLead, handlers.forLead)
  .openapi(routes.recycle, handlers.recycle)
  .openapi(routes.analytics, handlers.analytics);
