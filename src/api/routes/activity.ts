/**
 * The Activity tab and the integration's health (`GET /api/v1/health`: connection, board,
 * delivery, company sync and ticket tracking of the caller's account), for any caller.
 */
import { integrationHealth, listActivityViews, type ActivityFilter } from '../../tracking/index.js';
import type { RouteModule } from '../app-types.js';
import { getIntegrationHealthEndpoint, listActivityEndpoint } from '../contract/activity.js';
import { route } from '../route.js';
import { withCursor } from './tickets.js';

export const activityRoutes: RouteModule = (app, deps) => {
  const { db } = deps.storage;

  route(app, listActivityEndpoint, async ({ auth, query }) => {
    const filter: ActivityFilter = {
      limit: query.limit,
      ...(query.cursor !== undefined && { cursor: query.cursor }),
      ...(query.offset !== undefined && { offset: query.offset }),
      ...(query.level !== undefined && { level: query.level }),
      ...(query.kind !== undefined && { kind: query.kind }),
      ...(query.company !== undefined && { company: query.company }),
      ...(query.since !== undefined && { since: query.since }),
    };
    return withCursor(() => listActivityViews(db, auth.accountId, filter));
  });

  route(app, getIntegrationHealthEndpoint, async ({ auth }) =>
    integrationHealth(db, auth.accountId, deps.now()),
  );
};
