// Loose value coercions shared by the evaluator and the sorter. ConnectWise runs its filters on
// SQL Server, so they follow what SQL Server does when a column meets a literal of another type
// (an int column against '5' converts the text, a bit column against 'true' converts it too),
// except that a failed conversion is "no match" instead of an error: evaluation never throws.
import { parseIsoInstant } from './instant.js';

const DECIMAL = /^\s*-?\d+(?:\.\d+)?\s*$/;

/** The number a text stands for under the conditions number rule, or `NaN`. */
export function numberFromText(text: string): number {
  return DECIMAL.test(text) ? Number(text) : NaN;
}

/** `true`/`false` for the texts `true`/`false` in any case, otherwise `undefined`. */
export function booleanFromText(text: string): boolean | undefined {
  const lower = text.trim().toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return undefined;
}

/** Epoch milliseconds of a record value (ISO text or Date), or `NaN`. */
export function instantOf(value: unknown): number {
  if (typeof value === 'string') return parseIsoInstant(value);
  if (value instanceof Date) return value.getTime();
  return NaN;
}

/**
 * The text SQL would see for a scalar (numbers and booleans convert; objects and null do not).
 * Used by `contains` and `like`, which work on text.
 */
export function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

// ConnectWise's database uses a case-insensitive collation, so ordering ignores case (and, like
// SQL Server's accent-sensitive collations, not accents). `Intl.Collator` gives a linguistic order
// close to SQL Server's, unlike code-unit order which would put `é` after `z`.
const collator = new Intl.Collator('en', { sensitivity: 'accent' });

/** Case-insensitive linguistic comparison of two texts: negative, zero or positive. */
export function compareText(a: string, b: string): number {
  return collator.compare(a, b);
}
