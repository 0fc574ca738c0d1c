import { createRouter } from '../lib/create-router';
import * as handlers from './routing.handlers';
import * as routes from './routing.routes';

export const routingRouter = createRouter()
  .openapi(routes.get, handlers.get)
  .openapi(routes.put, handlers.put)
  .openapi(routes.preview, handlers.preview)
  .openapi(routes.assignments, handlers.assignments)
  .openapi(routes.routeAgain, handlers.routeAgain)
  .openapi(routes.analytics, handlers.analytics);
