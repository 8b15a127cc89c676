/**
 * Runs a parsed list request against a table or a row list: picks the narrowest index the
 * `conditions` allow, filters, orders, pages, and builds the `Link` header (§4.2, §4.3).
 */
import type { SandboxBehaviour } from '../behaviour.js';
import type { Table } from '../state/table.js';
import type { ListParams } from './list-params.js';

interface HasId {
  id: number;
}

/** What a list matched: the page's rows and what paging needs. */
export interface ListResult<T> {
  readonly rows: T[];
  /** Every match (navigable paging); forward-only counts only up to one past the page. */
  readonly total: number;
  /** Forward-only: whether rows remain after this page. */
  readonly more: boolean;
}

/**
 * Rows to consider: the index candidates when a `conditions` equality names an indexed path,
 * else every row. `scope` (e.g. "notes of ticket 7") always applies.
 */
function source<T extends HasId>(
  from: Table<T> | readonly T[],
  params: Pick<ListParams, 'constraints'>,
): Iterable<T> {
  if (Array.isArray(from)) return from as readonly T[];
  const table = from as Table<T>;
  const ids = params.constraints.size > 0 ? table.candidates(params.constraints) : undefined;
  if (!ids) return table.values();
  return ids.map((id) => table.get(id)).filter((row): row is T => row !== undefined);
}

/**
 * Filters and pages. `visible` narrows further (a role's "My" level, a parent's children).
 * @param useIndexes false forces a full scan (the benchmark's baseline).
 */
export function runList<T extends HasId>(
  from: Table<T> | readonly T[],
  params: ListParams,
  visible: (row: T) => boolean = () => true,
  useIndexes = true,
): ListResult<T> {
  const rows = useIndexes ? source(from, params) : allRows(from);
  const match = (row: T): boolean => visible(row) && params.predicate(row);

  if (params.forwardOnly) {
    const page: T[] = [];
    let more = false;
    for (const row of rows) {
      if (row.id <= params.pageId || !match(row)) continue;
      if (page.length === params.pageSize) {
        more = true;
        break;
      }
      page.push(row);
    }
    return { rows: page, total: page.length, more };
  }

  const start = (params.page - 1) * params.pageSize;
  if (params.compare) {
    const all: T[] = [];
    for (const row of rows) if (match(row)) all.push(row);
    const compare = params.compare;
    all.sort((a, b) => compare(a, b) || a.id - b.id);
    return { rows: all.slice(start, start + params.pageSize), total: all.length, more: false };
  }
  const page: T[] = [];
  let total = 0;
  for (const row of rows) {
    if (!match(row)) continue;
    if (total >= start && page.length < params.pageSize) page.push(row);
    total++;
  }
  return { rows: page, total, more: false };
}

/** How many rows match (for `/count`). */
export function countList<T extends HasId>(
  from: Table<T> | readonly T[],
  params: Pick<ListParams, 'predicate' | 'constraints'>,
  visible: (row: T) => boolean = () => true,
  useIndexes = true,
): number {
  const rows = useIndexes ? source(from, params) : allRows(from);
  let count = 0;
  for (const row of rows) if (visible(row) && params.predicate(row)) count++;
  return count;
}

function allRows<T extends HasId>(from: Table<T> | readonly T[]): Iterable<T> {
  return Array.isArray(from) ? (from as readonly T[]) : (from as Table<T>).values();
}

/**
 * The `Link` header of a navigable page (§4.2), absolute URLs that keep every other query
 * parameter. `prev`/`next` are omitted when there is none (the guide's rule); `first` is omitted
 * on page 1 and `last` on the last page, as in the guide's own example (a first page carrying only
 * `next` and `last`). One page or none: no header.
 */
export function navigableLink(
  requestUrl: URL,
  page: number,
  pageSize: number,
  total: number,
): string | undefined {
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  if (lastPage === 1 && page === 1) return undefined;
  const link = (target: number, rel: string): string =>
    `<${withPaging(requestUrl, { pageSize, page: target })}>; rel="${rel}"`;
  const parts: string[] = [];
  if (page > 1) parts.push(link(1, 'first'));
  if (page > 1) parts.push(link(Math.min(page - 1, lastPage), 'prev'));
  if (page < lastPage) parts.push(link(page + 1, 'next'));
  if (page < lastPage) parts.push(link(lastPage, 'last'));
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * The `Link` of a forward-only page (§4.3): `next` carries the page's last id as `pageId`. On the
 * final page it is omitted, or still sent when `behaviour.forwardOnlyFinalLink` is `always`.
 */
export function forwardOnlyLink(
  requestUrl: URL,
  pageSize: number,
  result: ListResult<HasId>,
  pageId: number,
  behaviour: SandboxBehaviour,
): string | undefined {
  if (!result.more && behaviour.forwardOnlyFinalLink === 'omit') return undefined;
  const lastId = result.rows.at(-1)?.id ?? pageId;
  return `<${withPaging(requestUrl, { pageSize, pageId: lastId })}>; rel="next"`;
}

/** The request URL with its paging parameters replaced (any spelling of their names). */
function withPaging(requestUrl: URL, paging: Record<string, number>): string {
  const url = new URL(requestUrl.href);
  const names = new Set(Object.keys(paging).map((k) => k.toLowerCase()));
  for (const key of [...url.searchParams.keys()]) {
    if (names.has(key.toLowerCase()) || key.toLowerCase() === 'page') url.searchParams.delete(key);
  }
  for (const [key, value] of Object.entries(paging)) url.searchParams.set(key, String(value));
  return url.href;
}
