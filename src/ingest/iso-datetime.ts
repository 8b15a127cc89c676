/**
 * ISO-8601 date-times as the ingestion contract accepts them, normalised to one UTC form.
 *
 * The profile is RFC 3339 (the internet profile of ISO-8601): a full date, a time with seconds, an
 * optional fraction, and a zone that is either `Z` or a numeric offset. A time without a zone is
 * refused because it names no instant: the same text would mean different moments on a sender in
 * Sydney and one in Denver, and incidents are ordered by these times.
 *
 * Every accepted value is rewritten as `YYYY-MM-DDTHH:mm:ss.sssZ` (what `Date#toISOString`
 * produces), so stored times have one width, sort as text on SQLite and PostgreSQL alike, and
 * compare directly with `new Date().toISOString()`. Fractions finer than a millisecond are cut.
 */

// Date `T` time, optional `.` or `,` fraction (ISO allows both), then `Z` or `±hh:mm` / `±hhmm`.
// RFC 3339 §5.6 allows lower-case `t` and `z`, so they are accepted too.
const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/** What `normalizeIsoDateTime` accepts, in words, for error messages. */
export const ISO_DATE_TIME_EXPECTATION =
  'an ISO-8601 date-time with seconds and a time zone, e.g. 2026-12-03T10:00:00Z or 2026-12-03T11:00:00.5+01:00';

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * Parses an ISO-8601 date-time with a zone and returns the same instant as
 * `YYYY-MM-DDTHH:mm:ss.sssZ`, or `undefined` when the text is not one (wrong shape, a date that
 * does not exist such as 30 February, a leap second, or an instant outside years 0000–9999).
 *
 * @example
 * normalizeIsoDateTime('2026-12-03T11:00:00+01:00'); // '2026-12-03T10:00:00.000Z'
 * normalizeIsoDateTime('2026-12-03T10:00:00');       // undefined: no zone
 */
export function normalizeIsoDateTime(text: string): string | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;

  // Check each field against the calendar: the regex only knows digits.
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetHours = m[10] === undefined ? 0 : Number(m[10]);
  const offsetMinutes = m[11] === undefined ? 0 : Number(m[11]);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;

  // Build the local time, then shift by the offset. `Date.UTC` would map years 0–99 to 1900–1999,
  // so the year is set with `setUTCFullYear`, which takes it literally.
  const millis = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const local = new Date(0);
  local.setUTCFullYear(year, month - 1, day);
  local.setUTCHours(hour, minute, second, millis);
  const sign = m[9] === '-' ? -1 : 1;
  const utc = new Date(local.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000);

  // An offset can push 0000-01-01 or 9999-12-31 out of four-digit years, which `toISOString`
  // writes as `-000001-…` or `+010000-…`: those would not sort with the rest.
  const iso = utc.toISOString();
  return /^\d{4}-/.test(iso) ? iso : undefined;
}
