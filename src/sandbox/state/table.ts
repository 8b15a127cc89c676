/**
 * One resource's records: a map by id kept in ascending id order (ConnectWise's default list
 * order and the order forward-only paging needs, §4.3), plus secondary indexes on the paths
 * queries filter on (`company/id`, `externalXRef`, `identifier`, `board/id`, …).
 *
 * An index narrows the candidates and the compiled `conditions` predicate still decides each row,
 * so an index may return extra rows but must never miss one the predicate accepts. Keys therefore
 * follow the predicate's equality (`conditions/value-tests.ts`): a `number` index keys by numeric
 * value and converts text literals the way the predicate does; a `text` index keys by lower-cased
 * text and declines literals it cannot key faithfully (numbers, booleans, datetimes), letting the
 * query fall back to another index or a scan. A `text` index is for paths that hold text.
 */
import { parseIsoInstant } from '../../connectwise/conditions/index.js';

interface HasId {
  id: number;
}

/** How an indexed path's values compare: numeric ids, or case-insensitive text. */
export type IndexKind = 'number' | 'text';

const NULL_KEY = '\u0000null';

/** A text's number under the conditions number rule (digits, optional point and sign), or NaN. */
function numberFromText(text: string): number {
  return /^\s*-?\d+(?:\.\d+)?\s*$/.test(text) ? Number(text) : NaN;
}

/** The key a stored value files under. */
function storedKey(kind: IndexKind, value: unknown): string {
  if (value === null || value === undefined) return NULL_KEY;
  if (kind === 'number') {
    // Converted as the predicate converts a record value for a numeric literal.
    if (typeof value === 'number') return String(value);
    if (typeof value === 'boolean') return String(Number(value));
    if (typeof value === 'string' && !Number.isNaN(numberFromText(value))) {
      return String(numberFromText(value));
    }
  } else if (typeof value === 'string') {
    return value.toLowerCase();
  }
  // Objects (and, in a text index, non-text values) equal no literal: filed where none reaches.
  return typeof value === 'object' ? '\u0001object' : `\u0001${typeof value}`;
}

/**
 * The key a `conditions` literal finds its matches under; `undefined` when the literal may match
 * values this index cannot key (the caller must not use the index for it).
 */
function literalKey(kind: IndexKind, literal: unknown): string | undefined {
  if (literal === null) return NULL_KEY;
  if (literal instanceof Date) return undefined;
  if (kind === 'number') {
    if (typeof literal === 'number') return String(literal);
    if (typeof literal === 'boolean') return String(Number(literal));
    if (typeof literal === 'string') {
      const n = numberFromText(literal);
      return Number.isNaN(n) ? `\u0002none` : String(n);
    }
    return undefined;
  }
  if (typeof literal !== 'string') return undefined;
  return Number.isNaN(parseIsoInstant(literal)) ? literal.toLowerCase() : undefined;
}

/**
 * key → ids. Most keys of a large table name one row (an `externalXRef`, a summary), so a single
 * id is stored as a number and becomes a Set only when a second row shares the key: 100,000
 * one-element Sets would dominate load time and memory.
 */
type Bucket = number | Set<number>;

interface IndexSpec {
  readonly steps: readonly string[];
  readonly kind: IndexKind;
  readonly map: Map<string, Bucket>;
}

function bucketIds(bucket: Bucket | undefined): Iterable<number> {
  if (bucket === undefined) return [];
  return typeof bucket === 'number' ? [bucket] : bucket;
}

export class Table<T extends HasId> {
  readonly #rows = new Map<number, T>();
  /** Lower-cased path → key → ids. */
  readonly #indexes = new Map<string, Map<string, Bucket>>();
  readonly #kinds = new Map<string, IndexKind>();
  readonly #specs: readonly IndexSpec[];
  #lastId = 0;

  /**
   * @param indexed slash path (the record's own spelling) → how its values compare, e.g.
   *   `{ 'company/id': 'number', externalXRef: 'text' }`. Queries name paths in any case.
   */
  constructor(indexed: Readonly<Record<string, IndexKind>> = {}) {
    this.#specs = Object.entries(indexed).map(([path, kind]) => {
      const map = new Map<string, Bucket>();
      this.#indexes.set(path.toLowerCase(), map);
      this.#kinds.set(path.toLowerCase(), kind);
      return { steps: path.split('/'), kind, map };
    });
  }

  get size(): number {
    return this.#rows.size;
  }

  get(id: number): T | undefined {
    return this.#rows.get(id);
  }

  has(id: number): boolean {
    return this.#rows.has(id);
  }

  /** All rows in ascending id order. */
  values(): IterableIterator<T> {
    return this.#rows.values();
  }

  /** Adds a row. Ids must be unique; a lower id than the highest so far re-sorts the map. */
  insert(row: T): T {
    if (this.#rows.has(row.id)) throw new Error(`duplicate id ${row.id}`);
    const outOfOrder = row.id < this.#lastId;
    this.#rows.set(row.id, row);
    this.#lastId = Math.max(this.#lastId, row.id);
    this.#indexRow(row, 1);
    if (outOfOrder) this.#resort();
    return row;
  }

  /** Changes a row in place and keeps the indexes right. */
  update(id: number, change: (row: T) => void): T | undefined {
    const row = this.#rows.get(id);
    if (!row) return undefined;
    this.#indexRow(row, -1);
    change(row);
    this.#indexRow(row, 1);
    return row;
  }

  delete(id: number): T | undefined {
    const row = this.#rows.get(id);
    if (!row) return undefined;
    this.#indexRow(row, -1);
    this.#rows.delete(id);
    return row;
  }

  /**
   * Rows whose indexed `path` equals `value` as a `conditions` `=` would compare them (text
   * ignores case), ascending by id. Throws for a path that is not indexed.
   */
  lookup(path: string, value: string | number): T[] {
    const lower = path.toLowerCase();
    const index = this.#indexes.get(lower);
    if (!index) throw new Error(`${path} is not indexed`);
    const key = literalKey(this.#kinds.get(lower)!, value);
    return key === undefined ? [] : this.#byIds([...bucketIds(index.get(key))]);
  }

  /** Whether `path` is indexed (always true for `id`). */
  isIndexed(path: string): boolean {
    const lower = path.toLowerCase();
    return lower === 'id' || this.#indexes.has(lower);
  }

  /**
   * The fewest candidate ids any equality constraint allows, ascending, or `undefined` when no
   * constrained path is indexed or the narrowest index still keeps more than an eighth of a large
   * table (collecting and sorting that many ids costs about what the scan it would save costs).
   * Constraints come from the top-level AND chain of a `conditions` filter: path → the values it
   * may equal.
   */
  candidates(constraints: ReadonlyMap<string, readonly unknown[]>): number[] | undefined {
    let best: { size: number; ids: () => Iterable<number> } | undefined;
    for (const [path, values] of constraints) {
      const lower = path.toLowerCase();
      const kind = lower === 'id' ? 'number' : this.#kinds.get(lower);
      const index = this.#indexes.get(lower);
      if (!kind || (lower !== 'id' && !index)) continue;
      const keys = values.map((value) => literalKey(kind, value));
      if (keys.some((key) => key === undefined)) continue;
      let size: number;
      let ids: () => Iterable<number>;
      if (lower === 'id') {
        const found = keys.map(Number).filter((n) => this.#rows.has(n));
        size = found.length;
        ids = () => found;
      } else {
        const buckets = keys.map((key) => index!.get(key!));
        size = buckets.reduce<number>(
          (n, b) => n + (b === undefined ? 0 : typeof b === 'number' ? 1 : b.size),
          0,
        );
        ids = () => buckets.flatMap((b) => [...bucketIds(b)]);
      }
      if (!best || size < best.size) best = { size, ids };
      if (size === 0) break;
    }
    if (!best || best.size > Math.max(64, this.#rows.size / 8)) return undefined;
    return [...new Set(best.ids())].sort((a, b) => a - b);
  }

  /** The next free id: one above the highest ever used (ConnectWise never reuses ids). */
  nextId(floor = 1): number {
    return Math.max(this.#lastId + 1, floor);
  }

  #byIds(ids: number[]): T[] {
    return ids
      .sort((a, b) => a - b)
      .map((rowId) => this.#rows.get(rowId))
      .filter((row): row is T => row !== undefined);
  }

  #indexRow(row: T, direction: 1 | -1): void {
    for (const { steps, kind, map } of this.#specs) {
      let value: unknown = row;
      for (const step of steps) {
        value =
          value !== null && typeof value === 'object'
            ? (value as Record<string, unknown>)[step]
            : undefined;
      }
      const key = storedKey(kind, value);
      const bucket = map.get(key);
      if (direction === 1) {
        if (bucket === undefined) map.set(key, row.id);
        else if (typeof bucket === 'number') map.set(key, new Set([bucket, row.id]));
        else bucket.add(row.id);
      } else if (bucket === row.id) {
        map.delete(key);
      } else if (typeof bucket === 'object') {
        bucket.delete(row.id);
        if (bucket.size === 1) map.set(key, bucket.values().next().value!);
      }
    }
  }

  #resort(): void {
    const sorted = [...this.#rows.values()].sort((a, b) => a.id - b.id);
    this.#rows.clear();
    for (const row of sorted) this.#rows.set(row.id, row);
  }
}
