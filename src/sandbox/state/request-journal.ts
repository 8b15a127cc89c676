/**
 * The requests the sandbox answered, newest last, so a test can assert what a client did (for
 * example "one ConnectWise call per ticket action") without a proxy.
 */

export interface JournalEntry {
  readonly at: string;
  readonly method: string;
  /** Path and query as received. */
  readonly url: string;
  /** The endpoint name from `ENDPOINTS`, when the request matched one. */
  readonly endpoint?: string;
  /** Status sent, or `0` when the socket was closed without an answer (an injected fault). */
  readonly status: number;
  /** The API member that authenticated, when one did. */
  readonly member?: string;
  /** The fault rule that acted on the request, if any. */
  readonly fault?: string;
}

export class RequestJournal {
  readonly #entries: JournalEntry[] = [];
  readonly #capacity: number;

  /** @param capacity entries kept; the oldest are dropped beyond it. Default 10,000. */
  constructor(capacity = 10_000) {
    this.#capacity = capacity;
  }

  record(entry: JournalEntry): void {
    this.#entries.push(entry);
    if (this.#entries.length > this.#capacity) this.#entries.shift();
  }

  /** A copy of the entries, oldest first; optionally only those of one endpoint. */
  entries(endpoint?: string): JournalEntry[] {
    return endpoint ? this.#entries.filter((e) => e.endpoint === endpoint) : [...this.#entries];
  }

  clear(): void {
    this.#entries.length = 0;
  }
}
