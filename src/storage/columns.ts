/**
 * Conversions between JavaScript values and the portable column types both databases share:
 * ISO-8601 text for time, 0/1 for booleans, text for JSON.
 */

/** A time as stored: ISO-8601 in UTC with milliseconds (`2026-12-03T10:00:00.000Z`). */
export function toIso(date: Date = new Date()): string {
  return date.toISOString();
}

/** A boolean as stored: 1 or 0. */
export function toFlag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

/** A stored 0/1 (PostgreSQL may hand back a string for some expressions) as a boolean. */
export function fromFlag(value: number | string | bigint | boolean): boolean {
  return Number(value) === 1 || value === true;
}

/** A JSON value as stored text. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value);
}

/** Stored JSON text back as a value; the caller validates its shape. */
export function fromJsonText(text: string): unknown {
  return JSON.parse(text) as unknown;
}
