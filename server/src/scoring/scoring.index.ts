import { createRouter } from '../lib/create-router';
import * as handlers from './scoring.handlers';
import * as routes from './scoring.routes';

export const scoringRouter = createRouter()
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update);
