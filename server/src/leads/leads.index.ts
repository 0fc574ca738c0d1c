import { createRouter } from '../lib/create-router';
import * as handlers from './leads.handlers';
import * as routes from './leads.routes';

// /leads/match is registered before /leads/{id} so "match" is never read as an id.
export const leadsRouter = createRouter()
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.match, handlers.match)
  .openapi(routes.get, handlers.get)
  .openapi(routes.score, handlers.score)
  .openapi(routes.update, handlers.update)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.createTouchpoint, handlers.createTouchpoint)
  .openapi(routes.listTouchpoints, handlers.listTouchpoints)
  .openapi(routes.removeTouchpoint, handlers.removeTouchpoint)
  .openapi(routes.listStageChanges, handlers.listStageChanges)
  .openapi(routes.audit, handlers.audit);
