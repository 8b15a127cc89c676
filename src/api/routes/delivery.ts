/** Ticket delivery: its status for anyone signed in, the retry of blocked jobs for admins. */
import { deliveryStatus, requeueBlocked } from '../../worker/index.js';
import type { RouteModule } from '../app-types.js';
import { getDeliveryEndpoint, retryDeliveryEndpoint } from '../contract/delivery.js';
import { route } from '../route.js';

export const deliveryRoutes: RouteModule = (app, deps) => {
  const { db } = deps.storage;

  route(app, getDeliveryEndpoint, async ({ auth }) => deliveryStatus(db, auth.accountId));

  // Blocked jobs run again now; a cause still there blocks them again with a fresh reason.
  route(app, retryDeliveryEndpoint, async ({ auth, body }) => ({
    requeued: await requeueBlocked(
      db,
      {
        accountId: auth.accountId,
        ...(body.incidentKey !== undefined && { incidentKey: body.incidentKey }),
        ...(body.jobId !== undefined && { jobId: body.jobId }),
      },
      deps.now(),
    ),
  }));
};
