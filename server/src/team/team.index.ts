import { createRouter } from '../lib/create-router';
import * as handlers from './team.handlers';
import * as routes from './team.routes';

export const teamRouter = createRouter()
  .openapi(routes.listPeople, handlers.listPeople)
  .openapi(routes.invite, handlers.invite)
  .openapi(routes.updatePerson, handlers.updatePerson)
  .openapi(routes.deactivate, handlers.deactivate)
  .openapi(routes.listTeams, handlers.listTeams)
  .openapi(routes.createTeam, handlers.createTeam)
  .openapi(routes.replaceTeam, handlers.replaceTeam)
  .openapi(routes.deleteTeam, handlers.deleteTeam);
