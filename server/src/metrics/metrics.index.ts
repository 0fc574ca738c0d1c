import { createRouter } from '../lib/create-router';
import type { AppRouteHandler } from '../lib/types';
import { readEventLoopDelay } from './event-loop';
import * as routes from './metrics.routes';

const get: AppRouteHandler<typeof routes.get> = (c) => c.json({ eventLoop: readEventLoopDelay() }, 200);

export const metricsRouter = createRouter().openapi(routes.get, get);
