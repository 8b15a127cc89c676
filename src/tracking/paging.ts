/**
 * Paging of the read views: newest first by row id (ids are time-ordered), continued with an
 * opaque cursor (the last row's id) or, for simple clients, an offset.
 */

/** Paging options every list view takes. */
export interface PageOptions {
  /** Rows per page. Default 50; at most {@link MAX_PAGE_LIMIT}. */
  readonly limit?: number;
  /** From the answer's `nextCursor`: continue after that row. */
  readonly cursor?: string;
  /** Skip this many rows (ignored with a cursor). Default 0. */
  readonly offset?: number;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;

/** A cursor that is not one of ours. */
export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
  constructor(readonly cursor: string) {
    super(
      `The cursor ${JSON.stringify(cursor)} was not given by this list; pass the nextCursor of the previous page, or leave it out to start from the newest.`,
    );
  }
}

/** The cursor that continues after the row `id`. */
export function cursorAfter(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/**
 * The row id a cursor continues after.
 * @throws InvalidCursorError for anything {@link cursorAfter} did not make.
 */
export function idOfCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^[a-z]{2,8}_[0-9A-Z]{26}$/.test(id) || cursorAfter(id) !== cursor) {
    throw new InvalidCursorError(cursor);
  }
  return id;
}

/** The page size to use. */
export function limitOf(options: PageOptions): number {
  return Math.min(Math.max(1, Math.floor(options.limit ?? DEFAULT_PAGE_LIMIT)), MAX_PAGE_LIMIT);
}

/**
 * Splits the rows of a query that asked for one more than the limit: the page, and the cursor
 * of the next page (null on the last).
 */
export function pageOf<T extends { readonly id: string }>(
  rows: readonly T[],
  limit: number,
): { readonly items: T[]; readonly nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? cursorAfter(last.id) : null,
  };
}
