import { createRouter } from '../lib/create-router';
import * as handlers from './workspace.handlers';
import * as routes from './workspace.routes';

export const workspaceRouter = createRouter()
  .openapi(routes.get, handlers.get)
  .openapi(routes.update, handlers.update);
