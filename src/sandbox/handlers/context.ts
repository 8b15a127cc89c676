/**
 * What a ConnectWise handler gets (the authenticated member, the route's ids, the parsed query,
 * the body on demand) and what it returns. Handlers are synchronous and never log; a failure is a
 * thrown `CwHttpError`.
 */
import type { IncomingHttpHeaders } from 'node:http';

import { compileFields } from '../../connectwise/conditions/index.js';
import type { AccessLevel } from '../../connectwise/models.js';
import { recordNotFound, securityDenied } from '../cw-errors.js';
import type { QueryParams } from '../http/list-params.js';
import { parseCountParams, parseListParams } from '../http/list-params.js';
import type { RouteMatch } from '../http/routes.js';
import { countList, forwardOnlyLink, navigableLink, runList } from '../http/run-list.js';
import type { Hrefs } from '../render.js';
import type { MemberRecord, StoredInfo } from '../state/records.js';
import type { SandboxState } from '../state/sandbox-state.js';
import type { Table } from '../state/table.js';

export interface HandlerContext {
  readonly state: SandboxState;
  readonly member: MemberRecord;
  readonly route: RouteMatch;
  readonly query: QueryParams;
  readonly headers: IncomingHttpHeaders;
  /** The request as an absolute URL, for `Link` headers. */
  readonly requestUrl: URL;
  readonly hrefs: Hrefs;
  /** The role's level for this endpoint's permission (`All` when it needs none). */
  readonly level: AccessLevel;
  /** The JSON body; throws 400/415 when it is not JSON. */
  body(): unknown;
}

export interface HandlerResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type Handler = (ctx: HandlerContext) => HandlerResult;

type Json = Record<string, unknown>;
interface Row {
  id: number;
}

/** The route's `:id` (every route that reads it has one). */
export function idOf(ctx: HandlerContext): number {
  return ctx.route.params.id ?? 0;
}

/** The route's `:parentId`. */
export function parentIdOf(ctx: HandlerContext): number {
  return ctx.route.params.parentId ?? 0;
}

/**
 * Rows a member may see at a `My` level: those they entered. At `All` (or for records without
 * an author) everything is visible.
 */
export function visibleTo(ctx: HandlerContext): (row: { _info: StoredInfo }) => boolean {
  if (ctx.level !== 'My') return () => true;
  const me = ctx.member.identifier;
  return (row) => row._info.enteredBy === me;
}

/**
 * One record or a 404 with `message`; a record `visible` refuses (someone else's, at a `My`
 * level) gets 403.
 */
export function one<T extends Row>(
  ctx: HandlerContext,
  record: T | undefined,
  notFound: string,
  render: (row: T) => Json,
  visible: (row: T) => boolean = () => true,
): HandlerResult {
  if (!record) throw recordNotFound(notFound);
  if (!visible(record)) throw securityDenied();
  return { status: 200, body: project(ctx, render(record)) };
}

/** Applies `fields=` to a single record (it works on GET and POST, §4.4). */
export function project(ctx: HandlerContext, body: Json): Json {
  const fields = ctx.query.get('fields');
  return fields?.trim() ? (compileFields(fields)(body) as Json) : body;
}

/**
 * A list answer: bare array (§3.1), `Link` header per paging mode, `fields` applied.
 * @param filters `/search` body filters replacing the query's.
 */
export function list<T extends Row>(
  ctx: HandlerContext,
  from: Table<T> | readonly T[],
  render: (row: T) => Json,
  visible: (row: T) => boolean = () => true,
  filters?: Parameters<typeof parseListParams>[3],
): HandlerResult {
  const params = parseListParams(ctx.query, ctx.headers, ctx.state.behaviour, filters);
  const result = runList(from, params, visible, ctx.state.behaviour.queryIndexes);
  const rows = result.rows.map(render);
  const body = params.project ? rows.map((r) => params.project!(r)) : rows;
  const link = params.forwardOnly
    ? forwardOnlyLink(ctx.requestUrl, params.pageSize, result, params.pageId, ctx.state.behaviour)
    : navigableLink(ctx.requestUrl, params.page, params.pageSize, result.total);
  return { status: 200, body, ...(link ? { headers: { link } } : {}) };
}

/** `{"count": N}` for the same filter as the list (§4.4). */
export function count<T extends Row>(
  ctx: HandlerContext,
  from: Table<T> | readonly T[],
  visible: (row: T) => boolean = () => true,
): HandlerResult {
  const params = parseCountParams(ctx.query, ctx.state.behaviour);
  const n = countList(from, params, visible, ctx.state.behaviour.queryIndexes);
  return { status: 200, body: { count: n } };
}
