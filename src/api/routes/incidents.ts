/** Incidents: their state, counts, tickets and why delivery is blocked, for any caller. */
import { getIncidentView, listIncidentViews, type IncidentFilter } from '../../tracking/index.js';
import type { RouteModule } from '../app-types.js';
import { getIncidentEndpoint, listIncidentsEndpoint } from '../contract/incidents.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';
import { withCursor } from './tickets.js';

export const incidentRoutes: RouteModule = (app, deps) => {
  const { db } = deps.storage;

  route(app, listIncidentsEndpoint, async ({ auth, query }) => {
    const filter: IncidentFilter = {
      limit: query.limit,
      ...(query.cursor !== undefined && { cursor: query.cursor }),
      ...(query.offset !== undefined && { offset: query.offset }),
      ...(query.company !== undefined && { company: query.company }),
      ...(query.state !== undefined && { state: query.state }),
      ...(query.condition !== undefined && { condition: query.condition }),
      ...(query.blocked !== undefined && { blocked: query.blocked }),
    };
    return withCursor(() => listIncidentViews(db, auth.accountId, filter));
  });

  route(app, getIncidentEndpoint, async ({ auth, params }) => {
    const incident = await getIncidentView(db, auth.accountId, params.key);
    if (incident === undefined) {
      throw new ApiError(
        'not_found',
        `This account has no incident ${JSON.stringify(params.key)}.`,
      );
    }
    return incident;
  });
};
