/**
 * Service-board setup tables (§3.7, §3.8): boards and their statuses, types, subtypes, items,
 * teams and type/subtype/item associations, and priorities. A child list under a board that does
 * not exist is a 404 naming the board.
 */
import { recordNotFound } from '../cw-errors.js';
import {
  renderBoard,
  renderBoardAssociation,
  renderBoardItem,
  renderBoardStatus,
  renderBoardSubType,
  renderBoardTeam,
  renderBoardType,
  renderPriority,
} from '../render.js';
import type { Handler, HandlerContext } from './context.js';
import { idOf, list, one, parentIdOf } from './context.js';

export const listBoards: Handler = (ctx) =>
  list(ctx, ctx.state.boards, (b) => renderBoard(b, ctx.hrefs));

export const getBoard: Handler = (ctx) =>
  one(ctx, ctx.state.boards.get(idOf(ctx)), `Service Board ${idOf(ctx)} not found`, (b) =>
    renderBoard(b, ctx.hrefs),
  );

/** The board of a child route, or 404. */
function boardId(ctx: HandlerContext): number {
  const id = parentIdOf(ctx);
  if (!ctx.state.boards.has(id)) throw recordNotFound(`Service Board ${id} not found`);
  return id;
}

export const listBoardStatuses: Handler = (ctx) =>
  list(ctx, ctx.state.boardStatuses.lookup('board/id', boardId(ctx)), (s) =>
    renderBoardStatus(s, ctx.hrefs),
  );

export const listBoardTypes: Handler = (ctx) =>
  list(ctx, ctx.state.boardTypes.lookup('board/id', boardId(ctx)), (t) =>
    renderBoardType(t, ctx.hrefs),
  );

export const listBoardSubTypes: Handler = (ctx) =>
  list(ctx, ctx.state.boardSubTypes.lookup('board/id', boardId(ctx)), (t) =>
    renderBoardSubType(t, ctx.hrefs),
  );

export const listBoardItems: Handler = (ctx) =>
  list(ctx, ctx.state.boardItems.lookup('board/id', boardId(ctx)), (i) =>
    renderBoardItem(i, ctx.hrefs),
  );

export const listBoardTeams: Handler = (ctx) =>
  list(ctx, ctx.state.teamsOf(boardId(ctx)), (t) => renderBoardTeam(t, ctx.hrefs));

export const listBoardAssociations: Handler = (ctx) =>
  list(ctx, ctx.state.boardAssociations.lookup('board/id', boardId(ctx)), (a) =>
    renderBoardAssociation(a, ctx.hrefs),
  );

export const listPriorities: Handler = (ctx) =>
  list(ctx, ctx.state.priorities, (p) => renderPriority(p, ctx.hrefs));
