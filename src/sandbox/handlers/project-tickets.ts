/** `/project/tickets` (§3.9): a resource of its own, sharing the ticket id sequence. */
import { renderProjectTicket } from '../render.js';
import type { Handler } from './context.js';
import { count, idOf, list, one, visibleTo } from './context.js';

export const listProjectTickets: Handler = (ctx) =>
  list(ctx, ctx.state.projectTickets, (t) => renderProjectTicket(t, ctx.hrefs), visibleTo(ctx));

export const countProjectTickets: Handler = (ctx) =>
  count(ctx, ctx.state.projectTickets, visibleTo(ctx));

export const getProjectTicket: Handler = (ctx) =>
  one(
    ctx,
    ctx.state.projectTickets.get(idOf(ctx)),
    'Ticket not found',
    (t) => renderProjectTicket(t, ctx.hrefs),
    visibleTo(ctx),
  );
