import { compileAliasedPath, DEFAULT_ALIASES } from './aliases.js';
import type { CompileOptions } from './compile-conditions.js';
import { OrderBySyntaxError } from './errors.js';
import { PATH_PATTERN } from './path.js';
import { compareText } from './values.js';

/** One `orderBy` key: `contact/name asc`. */
export interface OrderTerm {
  /** The field path as written; lookups ignore case. */
  path: string;
  direction: 'asc' | 'desc';
}

const EXAMPLE = 'e.g. "contact/name asc, id desc"';

/**
 * Parses an `orderBy` value (reference §4: `contact/name asc`, `id desc`): comma-separated field
 * paths, each optionally followed by `asc` or `desc` in any case; the default is `asc`. Blank
 * text gives no terms.
 *
 * @throws OrderBySyntaxError for an empty term, a bad path, an unknown direction or extra words.
 * @example
 * parseOrderBy('contact/name, id DESC')
 * // [{ path: 'contact/name', direction: 'asc' }, { path: 'id', direction: 'desc' }]
 */
export function parseOrderBy(text: string): OrderTerm[] {
  if (typeof text !== 'string') {
    throw new OrderBySyntaxError(`orderBy must be a string, not ${typeof text}.`, 0);
  }
  if (text.trim() === '') return [];

  const terms: OrderTerm[] = [];
  let termStart = 0;
  for (const raw of text.split(',')) {
    const rawStart = termStart;
    termStart += raw.length + 1;
    const words = [...raw.matchAll(/\S+/g)].map((m) => ({ text: m[0], at: rawStart + m.index }));
    const [path, direction, extra] = words;

    if (path === undefined) {
      const at = rawStart;
      throw new OrderBySyntaxError(
        `Empty sort term at position ${at} in orderBy; separate fields with one comma, ${EXAMPLE}.`,
        at,
      );
    }
    if (!PATH_PATTERN.test(path.text)) {
      throw new OrderBySyntaxError(
        `Invalid field ${JSON.stringify(path.text)} at position ${path.at} in orderBy; use a field path such as contact/name, ${EXAMPLE}.`,
        path.at,
      );
    }
    const lower = direction?.text.toLowerCase() ?? 'asc';
    if (direction !== undefined && lower !== 'asc' && lower !== 'desc') {
      throw new OrderBySyntaxError(
        `Unknown sort direction ${JSON.stringify(direction.text)} for ${path.text} at position ${direction.at} in orderBy; use asc or desc.`,
        direction.at,
      );
    }
    if (extra !== undefined) {
      throw new OrderBySyntaxError(
        `Unexpected ${JSON.stringify(extra.text)} at position ${extra.at} in orderBy; each term is a field and an optional asc or desc, ${EXAMPLE}.`,
        extra.at,
      );
    }
    terms.push({ path: path.text, direction: lower === 'desc' ? 'desc' : 'asc' });
  }
  return terms;
}

/** Null and missing first, then booleans, numbers, text, datetimes, and objects last. */
function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 0;
  switch (typeof value) {
    case 'boolean':
      return 1;
    case 'number':
      return 2;
    case 'string':
      return 3;
    default:
      return value instanceof Date ? 4 : 5;
  }
}

/**
 * Orders two field values ascending: nulls first (SQL Server sorts NULL lowest), numbers
 * numerically, text case-insensitively (ConnectWise's collation), false before true. ISO-8601
 * texts of one format order chronologically as text. Values of different types order by type.
 */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  return 0;
}

/**
 * A comparator for `Array.prototype.sort` from parsed `orderBy` terms, with paths resolved once.
 * Ties on every term compare equal (sort is stable, so insertion order remains); `lastUpdated` is
 * aliased as in {@link compileConditions}.
 *
 * @param options.aliases - default `{ lastupdated: '_info/lastUpdated' }`.
 * @example
 * tickets.sort(compareBy(parseOrderBy('priority/sort asc, id desc')));
 */
export function compareBy(
  terms: readonly OrderTerm[],
  options: Pick<CompileOptions, 'aliases'> = {},
): (a: object, b: object) => number {
  const aliases = options.aliases ?? DEFAULT_ALIASES;
  const keys = terms.map((term) => ({
    read: compileAliasedPath(term.path, aliases),
    sign: term.direction === 'desc' ? -1 : 1,
  }));
  return (a, b) => {
    for (const { read, sign } of keys) {
      const order = compareValues(read(a), read(b));
      if (order !== 0) return order * sign;
    }
    return 0;
  };
}
