/**
 * Query strings for ConnectWise list calls: the options callers give, the escaping ConnectWise
 * asks for, and the merge of a `rel="next"` link into the next request.
 */
import { ManageConfigError } from './errors.js';

/** ConnectWise's hard page-size limit (reference §4.2: "a hard limit of 1,000 records"). */
export const MAX_PAGE_SIZE = 1_000;

/**
 * A `conditions` filter, best built with `where` from `../conditions/index.js`, which escapes
 * quotes and backslashes and writes dates without milliseconds.
 */
export type ConditionsInput = string;

/** How a list is paged (reference §4.2, §4.3). */
export type PagingMode = 'navigable' | 'forward-only';

/** Filters and shape of a list, count or search. */
export interface QueryOptions {
  /** `conditions`, e.g. `where.eq('identifier', 'ACME')` or `'closedFlag = false'`. */
  readonly conditions?: ConditionsInput;
  /** `childConditions`, over arrays such as `communicationItems/value`. */
  readonly childConditions?: ConditionsInput;
  /** `customFieldConditions`, over `caption` and `value`. */
  readonly customFieldConditions?: ConditionsInput;
}

/** Options every list call takes besides the request options. */
export interface ListQueryOptions extends QueryOptions {
  /** `orderBy`, e.g. `id desc`; not allowed with forward-only paging. */
  readonly orderBy?: string;
  /** Partial response: `fields=id,name,status/id`. */
  readonly fields?: readonly string[];
  /** Records per request, 1 to 1,000. Default 1,000 when iterating. */
  readonly pageSize?: number;
  /**
   * `forward-only` sends `pagination-type: forward-only` and pages by id, so rows added during
   * the walk do not shift pages (reference §4.3). Default `navigable`.
   */
  readonly paging?: PagingMode;
}

/** The query parameters of a list, in ConnectWise's names. */
export function listQuery(options: ListQueryOptions, defaultPageSize?: number): [string, string][] {
  const pageSize = options.pageSize ?? defaultPageSize;
  if (
    pageSize !== undefined &&
    (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
  ) {
    throw new ManageConfigError(
      `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE} (ConnectWise's hard limit); got ${pageSize}.`,
    );
  }
  if (options.paging === 'forward-only' && options.orderBy !== undefined) {
    throw new ManageConfigError(
      'orderBy cannot be combined with forward-only paging: ConnectWise orders forward-only pages by id.',
    );
  }
  return [
    ...conditionsQuery(options),
    ...optional('orderBy', options.orderBy),
    ...optional('fields', options.fields?.join(',')),
    ...optional('pageSize', pageSize?.toString()),
  ];
}

/** `conditions`, `childConditions` and `customFieldConditions`, where given. */
export function conditionsQuery(options: QueryOptions): [string, string][] {
  return [
    ...optional('conditions', textOf(options.conditions)),
    ...optional('childConditions', textOf(options.childConditions)),
    ...optional('customFieldConditions', textOf(options.customFieldConditions)),
  ];
}

/** The text of a conditions input; empty conditions are left out. */
export function textOf(conditions: ConditionsInput | undefined): string | undefined {
  if (conditions === undefined) return undefined;
  return conditions.trim() === '' ? undefined : conditions;
}

/**
 * The next request's query: the `rel="next"` link's parameters, plus any of ours the link left
 * out (a client once lost its conditions on page 2 that way, reference §8).
 */
export function mergeNextQuery(
  next: URLSearchParams,
  ours: readonly [string, string][],
): [string, string][] {
  const merged: [string, string][] = [...next.entries()];
  const present = new Set(merged.map(([name]) => name.toLowerCase()));
  for (const [name, value] of ours) {
    if (!present.has(name.toLowerCase())) merged.push([name, value]);
  }
  return merged;
}

/**
 * A query string escaped as ConnectWise documents (reference §4.1): everything but unreserved
 * characters is percent-encoded, including `'`, `*`, `(`, `)` and `!` which
 * `encodeURIComponent` leaves alone, and `+` which would otherwise read as a space.
 */
export function encodeQuery(params: readonly [string, string][]): string {
  return params.map(([name, value]) => `${escape(name)}=${escape(value)}`).join('&');
}

/** The parameters of a link URL (absolute or relative). */
export function linkQuery(link: string): URLSearchParams {
  return new URL(link, 'http://link.invalid/').searchParams;
}

/** True when two queries hold the same parameters, in any order. */
export function sameQuery(a: readonly [string, string][], b: readonly [string, string][]): boolean {
  const key = (params: readonly [string, string][]): string =>
    params
      .map(([n, v]) => `${n.toLowerCase()}=${v}`)
      .sort()
      .join('&');
  return key(a) === key(b);
}

function escape(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function optional(name: string, value: string | undefined): [string, string][] {
  return value === undefined ? [] : [[name, value]];
}
