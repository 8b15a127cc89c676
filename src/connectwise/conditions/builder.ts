// Builds `conditions` text on the client side. Everything it writes reads back through
// parseConditions to exactly the values given: strings always use double quotes with `\` and `"`
// escaped by a backslash (the escaping parseConditions assumes, see parse-conditions.ts), so a
// company identifier such as `Smith "and" O'Brien\Co` cannot end the string early or inject
// another clause.
import { formatInstant } from './instant.js';
import { PATH_PATTERN } from './path.js';
import type { ConditionValue } from './types.js';

/**
 * The conditions literal for a value: `"text"` (escaped), `[yyyy-MM-ddTHH:mm:ssZ]` for a Date
 * (milliseconds dropped, ConnectWise rejects them), `true`/`false`, `null`, or a plain decimal
 * number (never exponent notation, which the grammar does not accept).
 *
 * @throws RangeError for NaN, ±Infinity, an invalid Date or a year outside 0000–9999.
 * @example
 * literal('Smith "and" O\'Brien') // "Smith \"and\" O'Brien"
 * literal(new Date('2016-08-20T18:04:26.500Z')) // [2016-08-20T18:04:26Z]
 */
export function literal(value: ConditionValue): string {
  if (value === null) return 'null';
  if (value instanceof Date) return `[${formatInstant(value)}]`;
  switch (typeof value) {
    case 'string':
      return `"${value.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return decimalText(value);
  }
}

/** `String(n)` without exponent notation (`1e21` → `1000000000000000000000`), exact digits kept. */
function decimalText(n: number): string {
  if (!Number.isFinite(n)) {
    throw new RangeError(`Cannot write ${n} in conditions; only finite numbers have a literal.`);
  }
  const text = String(n);
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (m === null) return text;
  const [, sign = '', lead = '', fraction = '', exponent = '0'] = m;
  const digits = lead + fraction;
  const point = 1 + Number(exponent); // position of the decimal point within `digits`
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

function checkedPath(path: string): string {
  if (!PATH_PATTERN.test(path)) {
    throw new TypeError(
      `Invalid field path ${JSON.stringify(path)} for conditions; use names of letters, digits and _ joined by /, e.g. company/id.`,
    );
  }
  return path;
}

function list(values: readonly ConditionValue[]): string {
  if (values.length === 0) {
    throw new RangeError(
      'An in list needs at least one value (ConnectWise rejects "in ()"); skip the clause when there is nothing to match.',
    );
  }
  return `(${values.map(literal).join(', ')})`;
}

/** Joins clauses, each in parentheses; `undefined` and empty parts are skipped, none gives `''`. */
function join(keyword: 'and' | 'or', parts: readonly (string | undefined)[]): string {
  return parts
    .filter((part): part is string => part !== undefined && part.trim() !== '')
    .map((part) => `(${part})`)
    .join(` ${keyword} `);
}

/** Builders for `conditions` clauses; see {@link where}. */
export interface ConditionBuilder {
  /** `path = value` (`= null` tests for a missing value). */
  eq(path: string, value: ConditionValue): string;
  /** `path != value` (`!= null` tests for a present value). */
  ne(path: string, value: ConditionValue): string;
  /** `path < value`. */
  lt(path: string, value: ConditionValue): string;
  /** `path <= value`. */
  le(path: string, value: ConditionValue): string;
  /** `path > value`. */
  gt(path: string, value: ConditionValue): string;
  /** `path >= value`. */
  ge(path: string, value: ConditionValue): string;
  /** `path contains "text"`: case-insensitive substring; prefer it over `like` (reference §4.1). */
  contains(path: string, text: string): string;
  /** `path not contains "text"`. */
  notContains(path: string, text: string): string;
  /** `path like "pattern"`; the pattern is written as given, so the caller supplies `*`/`%`. */
  like(path: string, pattern: string): string;
  /** `path not like "pattern"`. */
  notLike(path: string, pattern: string): string;
  /** `path in (v1, v2, …)`. @throws RangeError for an empty list. */
  in(path: string, values: readonly ConditionValue[]): string;
  /** `path not in (v1, v2, …)`. @throws RangeError for an empty list. */
  notIn(path: string, values: readonly ConditionValue[]): string;
  /** `(a) and (b) …`, skipping `undefined` and empty parts; `''` when none remain. */
  and(...parts: (string | undefined)[]): string;
  /** `(a) or (b) …`, skipping `undefined` and empty parts; `''` when none remain. */
  or(...parts: (string | undefined)[]): string;
}

/**
 * Condition builders. Each returns text that {@link parseConditions} reads back exactly.
 *
 * @throws TypeError when a path is not a field path (`a/b` of letters, digits and `_`).
 * @example
 * where.and(where.eq('company/identifier', id), where.eq('closedFlag', false), maybeBoard)
 * // (company/identifier = "Smith \"and\" Co") and (closedFlag = false)
 */
export const where: ConditionBuilder = Object.freeze({
  eq: (path: string, value: ConditionValue) => `${checkedPath(path)} = ${literal(value)}`,
  ne: (path: string, value: ConditionValue) => `${checkedPath(path)} != ${literal(value)}`,
  lt: (path: string, value: ConditionValue) => `${checkedPath(path)} < ${literal(value)}`,
  le: (path: string, value: ConditionValue) => `${checkedPath(path)} <= ${literal(value)}`,
  gt: (path: string, value: ConditionValue) => `${checkedPath(path)} > ${literal(value)}`,
  ge: (path: string, value: ConditionValue) => `${checkedPath(path)} >= ${literal(value)}`,
  contains: (path: string, text: string) => `${checkedPath(path)} contains ${literal(text)}`,
  notContains: (path: string, text: string) => `${checkedPath(path)} not contains ${literal(text)}`,
  like: (path: string, pattern: string) => `${checkedPath(path)} like ${literal(pattern)}`,
  notLike: (path: string, pattern: string) => `${checkedPath(path)} not like ${literal(pattern)}`,
  in: (path: string, values: readonly ConditionValue[]) =>
    `${checkedPath(path)} in ${list(values)}`,
  notIn: (path: string, values: readonly ConditionValue[]) =>
    `${checkedPath(path)} not in ${list(values)}`,
  and: (...parts: (string | undefined)[]) => join('and', parts),
  or: (...parts: (string | undefined)[]) => join('or', parts),
});
