/** The Tickets tab: the bridge's tickets with their live ConnectWise status, for any caller. */
import {
  getTicketView,
  InvalidCursorError,
  listTicketViews,
  type TicketFilter,
} from '../../tracking/index.js';
import type { RouteModule } from '../app-types.js';
import { getTicketEndpoint, listTicketsEndpoint } from '../contract/tickets.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';

export const ticketRoutes: RouteModule = (app, deps) => {
  const { db } = deps.storage;

  route(app, listTicketsEndpoint, async ({ auth, query }) => {
    const filter: TicketFilter = {
      limit: query.limit,
      ...(query.cursor !== undefined && { cursor: query.cursor }),
      ...(query.offset !== undefined && { offset: query.offset }),
      ...(query.company !== undefined && { company: query.company }),
      ...(query.status !== undefined && { status: query.status }),
      ...(query.state !== undefined && { state: query.state }),
    };
    return withCursor(() => listTicketViews(db, auth.accountId, filter));
  });

  route(app, getTicketEndpoint, async ({ auth, params }) => {
    const ticket = await getTicketView(db, auth.accountId, params.id);
    if (ticket === undefined) {
      throw new ApiError('not_found', `This account has no ticket #${params.id}.`);
    }
    return ticket;
  });
};

/** Runs a paged read; a cursor the list did not give is the caller's mistake (400). */
export async function withCursor<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw new ApiError('bad_request', error.message, {
        errors: [{ path: 'cursor', message: error.message }],
        cause: error,
      });
    }
    throw error;
  }
}
