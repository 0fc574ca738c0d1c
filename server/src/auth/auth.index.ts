import { createRouter } from '../lib/create-router';
import * as handlers from './auth.handlers';
import * as routes from './auth.routes';

export const authRouter = createRouter()
  .openapi(routes.me, handlers.me)
  .openapi(routes.listUsers, handlers.listUsers)
  .openapi(routes.listTokens, handlers.listTokens)
  .openapi(routes.createToken, handlers.createToken)
  .openapi(routes.removeToken, handlers.removeToken)
  .openapi(routes.getLeadVisibility, handlers.getLeadVisibility)
  .openapi(routes.putLeadVisibility, handlers.putLeadVisibility);
