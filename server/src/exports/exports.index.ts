import { createRouter } from '../lib/create-router';
import * as handlers from './exports.handlers';
import * as routes from './exports.routes';

export const exportsRouter = createRouter()
  .openapi(routes.leadsCsv, handlers.leadsCsv)
  .openapi(routes.leadsVcf, handlers.leadsVcf)
  .openapi(routes.leadVcard, handlers.leadVcard)
  .openapi(routes.personExport, handlers.personExport);
