/**
 * A ConnectWise list read page by page, as an async iterator of records.
 *
 * It asks for the next page only when the previous one is used up and keeps no page it has
 * finished with, so memory stays at one page (at most 1,000 records) however large the table.
 * Where the next page is comes from ConnectWise's `Link: <…>; rel="next"` (reference §4.2, §4.3);
 * nothing here counts pages.
 */
import { ManageConfigError } from './errors.js';

/** One page as the client read it, and where the next one is (absent on the last page). */
export interface FetchedPage<T> {
  readonly records: readonly T[];
  /** The query of the `rel="next"` link, opaque to the list. */
  readonly next?: URLSearchParams | undefined;
}

/** Reads the page at a cursor (undefined: the first page). */
export type PageFetcher<T> = (cursor: URLSearchParams | undefined) => Promise<FetchedPage<T>>;

/** Options of {@link ManageList.toArray}. */
export interface ToArrayOptions {
  /**
   * The most records gathered into memory; a longer list throws instead of growing without
   * bound (iterate it with `for await` instead). Default 10,000.
   */
  readonly maxRecords?: number;
}

/**
 * Records of a ConnectWise list. Iterate it with `for await`; `pages()` yields whole pages;
 * `toArray()` gathers a small list (setup tables). Each iteration starts again at the first page.
 *
 * @example
 * for await (const company of client.companies.list({ conditions: 'deletedFlag = false' })) {
 *   index(company);
 * }
 */
export class ManageList<T> implements AsyncIterable<T> {
  readonly #fetchPage: PageFetcher<T>;

  constructor(fetchPage: PageFetcher<T>) {
    this.#fetchPage = fetchPage;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for await (const page of this.pages()) yield* page;
  }

  /** The pages one by one, each as ConnectWise returned it. */
  async *pages(): AsyncGenerator<readonly T[], void, undefined> {
    let cursor: URLSearchParams | undefined;
    do {
      const page = await this.#fetchPage(cursor);
      if (page.records.length > 0) yield page.records;
      // An empty page ends the list even if it links onwards: forward-only paging may always
      // send a next link (reference §4.3), and an empty page has nothing to continue from.
      cursor = page.records.length > 0 ? page.next : undefined;
    } while (cursor !== undefined);
  }

  /**
   * Every record in one array.
   * @throws ManageConfigError when the list holds more than `maxRecords` (default 10,000).
   */
  async toArray(options: ToArrayOptions = {}): Promise<T[]> {
    const maxRecords = options.maxRecords ?? 10_000;
    const records: T[] = [];
    for await (const record of this) {
      if (records.length === maxRecords) {
        throw new ManageConfigError(
          `The list holds more than ${maxRecords} records; iterate it with for await (memory stays at one page) or raise maxRecords.`,
        );
      }
      records.push(record);
    }
    return records;
  }
}
