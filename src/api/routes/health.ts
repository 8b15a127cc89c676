/** `GET /healthz`: the service answers and so does its database. */
import { getHealth } from '../contract/health.js';
import type { RouteModule } from '../app-types.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';

export const healthRoutes: RouteModule = (app, deps) => {
  route(app, getHealth, async ({ request }) => {
    try {
      await deps.storage.ping();
    } catch (err) {
      request.log.error({ err }, 'health check: database unreachable');
      throw new ApiError('unavailable', 'The database does not answer.', { cause: err });
    }
    return { status: 'ok', database: 'ok' } as const;
  });
};
