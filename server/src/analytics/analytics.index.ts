import { heavyReads } from '../db/sqlite-pool';
import { createRouter } from '../lib/create-router';
import * as handlers from './analytics.handlers';
import * as routes from './analytics.routes';

const router = createRouter();
// A year of figures is a heavy read: on its own reader connection (docs/design.md).
router.use('/analytics/*', (_c, next) => heavyReads(next));

export const analyticsRouter = router
  .openapi(routes.funnel, handlers.funnel)
  .openapi(routes.velocity, handlers.velocity)
  .openapi(routes.speedToLead, handlers.speedToLead)
  .openapi(routes.outcomes, handlers.outcomes)
  .openapi(routes.sources, handlers.sources)
  .openapi(routes.attribution, handlers.attribution)
  .openapi(routes.repActivity, handlers.repActivity)
  .openapi(routes.leadsBehind, handlers.leadsBehind)
  .openapi(routes.getStageProbabilities, handlers.getStageProbabilities)
  .openapi(routes.putStageProbabilities, handlers.putStageProbabilities)
  .openapi(routes.listSourceCosts, handlers.listSourceCosts)
  .openapi(routes.putSourceCosts, handlers.putSourceCosts);
