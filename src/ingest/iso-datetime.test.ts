import { describe, expect, it } from 'vitest';

import { normalizeIsoDateTime } from './iso-datetime.js';

describe('normalizeIsoDateTime', () => {
  it.each([
    ['2026-12-03T10:00:00Z', '2026-12-03T10:00:00.000Z'],
    ['2026-12-03t10:00:00z', '2026-12-03T10:00:00.000Z'],
    ['2026-12-03T11:00:00+01:00', '2026-12-03T10:00:00.000Z'],
    ['2026-12-03T11:00:00+0100', '2026-12-03T10:00:00.000Z'],
    ['2026-12-03T04:30:00-05:30', '2026-12-03T10:00:00.000Z'],
    ['2026-12-03T10:00:00-00:00', '2026-12-03T10:00:00.000Z'],
    ['2026-12-03T10:00:00.5Z', '2026-12-03T10:00:00.500Z'],
    ['2026-12-03T10:00:00,25Z', '2026-12-03T10:00:00.250Z'],
    ['2026-12-03T10:00:00.123456789Z', '2026-12-03T10:00:00.123Z'],
    ['2027-01-01T00:30:00+01:00', '2026-12-31T23:30:00.000Z'],
    ['2026-12-31T23:30:00-01:00', '2027-01-01T00:30:00.000Z'],
  ])('rewrites %s as the UTC instant %s', (text, expected) => {
    expect(normalizeIsoDateTime(text)).toBe(expected);
  });

  it('accepts 29 February in leap years only', () => {
    expect(normalizeIsoDateTime('2028-02-29T00:00:00Z')).toBe('2028-02-29T00:00:00.000Z');
    expect(normalizeIsoDateTime('2000-02-29T00:00:00Z')).toBe('2000-02-29T00:00:00.000Z');
    expect(normalizeIsoDateTime('2026-02-29T00:00:00Z')).toBeUndefined();
    expect(normalizeIsoDateTime('2100-02-29T00:00:00Z')).toBeUndefined();
  });

  it('takes years below 100 literally instead of as 19xx', () => {
    expect(normalizeIsoDateTime('0050-06-01T00:00:00Z')).toBe('0050-06-01T00:00:00.000Z');
    expect(normalizeIsoDateTime('0001-01-01T00:00:00Z')).toBe('0001-01-01T00:00:00.000Z');
  });

  it.each([
    ['no zone', '2026-12-03T10:00:00'],
    ['no seconds', '2026-12-03T10:00Z'],
    ['a date only', '2026-12-03'],
    ['a space instead of T', '2026-12-03 10:00:00Z'],
    ['surrounding spaces', ' 2026-12-03T10:00:00Z '],
    ['month 13', '2026-13-03T10:00:00Z'],
    ['day 0', '2026-12-00T10:00:00Z'],
    ['31 April', '2026-04-31T10:00:00Z'],
    ['hour 24', '2026-12-03T24:00:00Z'],
    ['minute 60', '2026-12-03T10:60:00Z'],
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['an offset of 24 hours', '2026-12-03T10:00:00+24:00'],
    ['offset minutes of 60', '2026-12-03T10:00:00+01:60'],
    ['ten fraction digits', '2026-12-03T10:00:00.1234567890Z'],
    ['an empty fraction', '2026-12-03T10:00:00.Z'],
    ['a named zone', '2026-12-03T10:00:00 UTC'],
    ['a Unix timestamp', '1796292000'],
    ['a year past 9999 once in UTC', '9999-12-31T23:30:00-01:00'],
    ['a year before 0000 once in UTC', '0000-01-01T00:30:00+01:00'],
    ['non-ASCII digits', '２０２６-12-03T10:00:00Z'],
  ])('refuses %s', (_what, text) => {
    expect(normalizeIsoDateTime(text)).toBeUndefined();
  });
});
