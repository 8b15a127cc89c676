// Per-literal tests of one field value, built once per condition and run once per record.
//
// Semantics, chosen to mirror ConnectWise's SQL Server back end:
// - Text compares case-insensitively: ConnectWise's database uses a case-insensitive collation,
//   so `summary = "vpn down"` finds "VPN down" and `contains`/`like`/`in` ignore case too.
// - A missing field is null. `= null` / `!= null` test for null; every other test of a null
//   field is false, negated ones included (SQL's "unknown"). As the language has no NOT over a
//   group, treating unknown as false at the leaves gives exactly SQL's three-valued result.
// - Objects and arrays (a whole reference such as `company`) are not null but compare with
//   nothing, so every test of them except `!= null` is false.
// - Mixed types convert the way SQL Server converts a literal to the column's type: a number
//   field against "5" compares numbers, a boolean field against "true" compares booleans, text
//   in ISO-8601 form against a datetime compares instants. A failed conversion is no match
//   rather than an error, so evaluation never throws.
import { parseIsoInstant } from './instant.js';
import type { ComparisonOperator, ConditionValue } from './types.js';
import { booleanFromText, compareText, instantOf, numberFromText, textOf } from './values.js';

/** A test of one field value. */
export type ValueTest = (value: unknown) => boolean;

const never: ValueTest = () => false;
const always: ValueTest = () => true;

/** True for the values a comparison can say "not equal" about: not null, not an object. */
function isScalar(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean' || value instanceof Date;
}

/** `field = literal`. */
export function equalsTest(literal: ConditionValue): ValueTest {
  if (literal === null) return (v) => v === null || v === undefined;
  if (literal instanceof Date) {
    const time = literal.getTime();
    return (v) => instantOf(v) === time;
  }
  if (typeof literal === 'number') {
    return (v) => {
      if (typeof v === 'number') return v === literal;
      if (typeof v === 'string') return numberFromText(v) === literal;
      if (typeof v === 'boolean') return Number(v) === literal;
      return false;
    };
  }
  if (typeof literal === 'boolean') {
    return (v) => {
      if (typeof v === 'boolean') return v === literal;
      if (typeof v === 'number') return v === Number(literal);
      if (typeof v === 'string') return booleanFromText(v) === literal;
      return false;
    };
  }
  const lower = literal.toLowerCase();
  const asNumber = numberFromText(literal);
  const asBoolean = booleanFromText(literal);
  const asInstant = parseIsoInstant(literal);
  const datelike = !Number.isNaN(asInstant);
  return (v) => {
    if (typeof v === 'string') {
      return v.toLowerCase() === lower || (datelike && parseIsoInstant(v) === asInstant);
    }
    if (typeof v === 'number') return v === asNumber;
    if (typeof v === 'boolean') return v === asBoolean;
    if (v instanceof Date) return v.getTime() === asInstant;
    return false;
  };
}

/**
 * Sign of `field - literal` for ordering operators, or `NaN` when the two cannot be ordered (every
 * comparison with `NaN` is false, which is the "no match" wanted).
 */
function orderAgainst(literal: ConditionValue): (value: unknown) => number {
  if (literal === null) return () => NaN;
  if (literal instanceof Date) {
    const time = literal.getTime();
    return (v) => instantOf(v) - time;
  }
  if (typeof literal === 'number') {
    return (v) => {
      if (typeof v === 'number') return v - literal;
      if (typeof v === 'string') return numberFromText(v) - literal;
      if (typeof v === 'boolean') return Number(v) - literal;
      return NaN;
    };
  }
  if (typeof literal === 'boolean') {
    const bit = Number(literal);
    return (v) => {
      if (typeof v === 'boolean' || typeof v === 'number') return Number(v) - bit;
      if (typeof v === 'string') {
        const parsed = booleanFromText(v);
        return parsed === undefined ? NaN : Number(parsed) - bit;
      }
      return NaN;
    };
  }
  const asNumber = numberFromText(literal);
  const asBoolean = booleanFromText(literal);
  const asInstant = parseIsoInstant(literal);
  const datelike = !Number.isNaN(asInstant);
  return (v) => {
    if (typeof v === 'string') {
      if (datelike) {
        const time = parseIsoInstant(v);
        if (!Number.isNaN(time)) return time - asInstant;
      }
      return compareText(v, literal);
    }
    if (typeof v === 'number') return v - asNumber;
    if (typeof v === 'boolean') {
      return asBoolean === undefined ? NaN : Number(v) - Number(asBoolean);
    }
    if (v instanceof Date) return v.getTime() - asInstant;
    return NaN;
  };
}

/** `field <operator> literal` for the symbolic operators. */
export function compareTest(operator: ComparisonOperator, literal: ConditionValue): ValueTest {
  if (operator === '=') return equalsTest(literal);
  if (operator === '!=') {
    if (literal === null) return (v) => v !== null && v !== undefined;
    const equals = equalsTest(literal);
    return (v) => isScalar(v) && !equals(v);
  }
  const order = orderAgainst(literal);
  switch (operator) {
    case '<':
      return (v) => order(v) < 0;
    case '<=':
      return (v) => order(v) <= 0;
    case '>':
      return (v) => order(v) > 0;
    case '>=':
      return (v) => order(v) >= 0;
  }
}

/** The text a literal stands for in `contains`/`like`, or `undefined` for null. */
function literalText(literal: ConditionValue): string | undefined {
  if (literal instanceof Date) {
    return Number.isNaN(literal.getTime())
      ? undefined
      : literal.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  return textOf(literal);
}

/** `field [not] contains literal`: case-insensitive substring test on the field's text. */
export function containsTest(literal: ConditionValue, negated: boolean): ValueTest {
  const needle = literalText(literal)?.toLowerCase();
  if (needle === undefined) return never;
  return (v) => {
    const text = textOf(v);
    return text !== undefined && text.toLowerCase().includes(needle) !== negated;
  };
}

/**
 * `field [not] like pattern`. The reference leaves the wildcard set in conflict (§4.1): `*` per
 * ConnectWise's guide, `%` per client code, and one tenant saw `like` silently ignored. `*` and `%`
 * both match any run of characters; `_` is literal; `[[]` stands for a literal `[` (the guide's
 * escaping rule). With `wildcards` false the clause is ignored and matches every record.
 *
 * Matching splits the pattern at its wildcards and finds the pieces left to right, which is exact
 * for patterns whose only wildcard is "any run" and linear in the text, so a hostile pattern such
 * as `%a%a%a%a%b` cannot backtrack exponentially the way a regular expression would.
 */
export function likeTest(literal: ConditionValue, negated: boolean, wildcards: boolean): ValueTest {
  if (!wildcards) return always;
  const pattern = literalText(literal)?.toLowerCase();
  if (pattern === undefined) return never;
  const matches = compileWildcard(pattern);
  return (v) => {
    const text = textOf(v);
    return text !== undefined && matches(text.toLowerCase()) !== negated;
  };
}

function compileWildcard(pattern: string): (text: string) => boolean {
  const pieces = pattern.split(/[*%]+/).map((piece) => piece.replaceAll('[[]', '['));
  const first = pieces[0] ?? '';
  if (pieces.length === 1) return (text) => text === first;
  const last = pieces[pieces.length - 1] ?? '';
  const middle = pieces.slice(1, -1).filter((piece) => piece !== '');
  const minLength = first.length + last.length;
  return (text) => {
    if (text.length < minLength || !text.startsWith(first) || !text.endsWith(last)) return false;
    const end = text.length - last.length;
    let from = first.length;
    for (const piece of middle) {
      const at = text.indexOf(piece, from);
      if (at < 0 || at + piece.length > end) return false;
      from = at + piece.length;
    }
    return true;
  };
}

/**
 * `field [not] in (…)`: true when {@link equalsTest} holds for any listed literal, answered from
 * sets so that long lists (`id in (1, 2, … 1000)`) cost one lookup per record.
 */
export function inTest(literals: readonly ConditionValue[], negated: boolean): ValueTest {
  let hasNull = false;
  const lowerTexts = new Set<string>(); // string literals, for text fields
  const numberLiterals = new Set<number>(); // number literals, for numeric text fields
  const booleanLiterals = new Set<boolean>(); // boolean literals, for "true"/"false" text fields
  const forNumbers = new Set<number>(); // everything a number field can equal
  const forBooleans = new Set<boolean>(); // everything a boolean field can equal
  const instants = new Set<number>(); // datetimes and ISO-8601 texts, for date fields

  // Sets compare with SameValueZero, under which NaN equals NaN: never store NaN.
  const addNumber = (set: Set<number>, n: number): void => {
    if (!Number.isNaN(n)) set.add(n);
  };
  for (const literal of literals) {
    if (literal === null) {
      hasNull = true;
    } else if (literal instanceof Date) {
      addNumber(instants, literal.getTime());
    } else if (typeof literal === 'number') {
      addNumber(numberLiterals, literal);
      addNumber(forNumbers, literal);
      if (literal === 1) forBooleans.add(true);
      if (literal === 0) forBooleans.add(false);
    } else if (typeof literal === 'boolean') {
      booleanLiterals.add(literal);
      forBooleans.add(literal);
      forNumbers.add(Number(literal));
    } else {
      lowerTexts.add(literal.toLowerCase());
      addNumber(forNumbers, numberFromText(literal));
      const asBoolean = booleanFromText(literal);
      if (asBoolean !== undefined) forBooleans.add(asBoolean);
      addNumber(instants, parseIsoInstant(literal));
    }
  }

  const contains = (v: unknown): boolean => {
    if (typeof v === 'string') {
      if (lowerTexts.has(v.toLowerCase())) return true;
      if (numberLiterals.size > 0 && numberLiterals.has(numberFromText(v))) return true;
      if (booleanLiterals.size > 0) {
        const asBoolean = booleanFromText(v);
        if (asBoolean !== undefined && booleanLiterals.has(asBoolean)) return true;
      }
      return instants.size > 0 && instants.has(parseIsoInstant(v));
    }
    if (typeof v === 'number') return forNumbers.has(v);
    if (typeof v === 'boolean') return forBooleans.has(v);
    if (v instanceof Date) return instants.has(v.getTime());
    return v === null || v === undefined ? hasNull : false;
  };
  if (!negated) return contains;
  return (v) => isScalar(v) && !contains(v);
}
