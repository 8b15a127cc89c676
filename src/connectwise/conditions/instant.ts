// ISO-8601 instants as ConnectWise writes them (`2026-01-02T03:04:05Z`), plus the looser forms a
// hand-written condition may use: a date alone, a space instead of `T`, fractions, a UTC offset.
const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Epoch milliseconds of an ISO-8601 text, or `NaN` when it is not a valid calendar instant.
 *
 * Without a zone designator the text is read as UTC: ConnectWise stores and returns UTC, and
 * `Date.parse` would otherwise use the host's local zone and make results machine-dependent.
 * `Date.parse` is not used at all because it also accepts texts like `"1"` (the year 2001).
 */
export function parseIsoInstant(text: string): number {
  const fast = parseCanonical(text);
  if (fast !== undefined) return fast;
  const m = ISO_INSTANT.exec(text);
  if (m === null) return NaN;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Math.floor(Number(`0.${m[7]}`) * 1000);

  // Reject impossible fields instead of letting Date.UTC roll them over (Feb 30 → Mar 2).
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return NaN;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const maxDay = month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] ?? 31);
  if (day > maxDay) return NaN;

  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const offHours = Number(m[10]);
    const offMinutes = Number(m[11]);
    if (offHours > 23 || offMinutes > 59) return NaN;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (offHours * 60 + offMinutes);
  }
  // Date.UTC reads years 0–99 as 1900–1999, so those take the slower explicit path.
  let time: number;
  if (year >= 100) {
    time = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  } else {
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    date.setUTCHours(hour, minute, second, millis);
    time = date.getTime();
  }
  return time - offsetMinutes * 60_000;
}

/** Value of the two digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at) - 48;
  const ones = text.charCodeAt(at + 1) - 48;
  return tens >= 0 && tens <= 9 && ones >= 0 && ones <= 9 ? tens * 10 + ones : -1;
}

/**
 * Fast path for the form every ConnectWise record carries, `yyyy-MM-ddTHH:mm:ssZ`: filters
 * compare it on every record of a store, and reading it by character codes is several times
 * quicker than the general expression. Other texts return `undefined` for the general path.
 */
function parseCanonical(text: string): number | undefined {
  if (text.length !== 20 || text[4] !== '-' || text[7] !== '-' || text[10] !== 'T') {
    return undefined;
  }
  if (text[13] !== ':' || text[16] !== ':' || text[19] !== 'Z') return undefined;
  const century = twoDigits(text, 0);
  const yearInCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (century < 1 || yearInCentury < 0 || month < 1 || month > 12 || day < 1 || day > 28) {
    return undefined; // years below 100 and days 29–31 need the checks of the general path
  }
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return NaN;
  return Date.UTC(century * 100 + yearInCentury, month - 1, day, hour, minute, second);
}

/**
 * `yyyy-MM-ddTHH:mm:ssZ` without milliseconds: ConnectWise rejects datetimes carrying milliseconds
 * with `UnsupportedFormat` (reference §5.2), so the sub-second part is dropped.
 *
 * @throws RangeError for an invalid date or a year outside 0000–9999 (not expressible as ISO text).
 */
export function formatInstant(date: Date): string {
  const time = date.getTime();
  if (Number.isNaN(time)) {
    throw new RangeError('Cannot format an invalid Date as a ConnectWise datetime.');
  }
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) {
    throw new RangeError(
      `Cannot format year ${year} as a ConnectWise datetime; use a year between 0000 and 9999.`,
    );
  }
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
