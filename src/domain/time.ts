/**
 * Time helpers. The domain never reads the clock: every instant arrives as an ISO-8601 string,
 * is checked here, and texts show times in UTC so a note reads the same for every technician.
 */
import { InvalidTimeError } from './errors.js';

const MINUTE_MS = 60_000;

/** Milliseconds since the epoch of an ISO-8601 instant; throws `InvalidTimeError` otherwise. */
export function toMs(value: string, field: string): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidTimeError(field, value);
  return ms;
}

/** The ISO-8601 instant `minutes` after `iso` (negative goes back). */
export function addMinutes(iso: string, minutes: number, field = 'time'): string {
  return new Date(toMs(iso, field) + minutes * MINUTE_MS).toISOString();
}

/** Whole minutes from `from` to `to` (negative when `to` is earlier), as a float. */
export function minutesBetween(from: string, to: string): number {
  return (toMs(to, 'time') - toMs(from, 'time')) / MINUTE_MS;
}

/** True when `a` is strictly before `b`. */
export function isBefore(a: string, b: string): boolean {
  return toMs(a, 'time') < toMs(b, 'time');
}

/** The later of two instants (`a` when equal). */
export function latest(a: string, b: string): string {
  return isBefore(a, b) ? b : a;
}

/** `2026-12-03 10:00 UTC`: minute precision, date always shown so old notes stay unambiguous. */
export function formatUtc(iso: string): string {
  const date = new Date(toMs(iso, 'time')).toISOString();
  return `${date.slice(0, 10)} ${date.slice(11, 16)} UTC`;
}

/** `20 min`, `2 h 5 min`, `3 d 4 h`: a duration for evidence texts; `0 min` below a minute. */
export function formatDuration(fromIso: string, toIso: string): string {
  const totalMinutes = Math.max(0, Math.round(minutesBetween(fromIso, toIso)));
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return `${minutes} min`;
}
