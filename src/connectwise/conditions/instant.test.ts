import { describe, expect, it } from 'vitest';
import { formatInstant, parseIsoInstant } from './instant.js';
import { seededRandom } from './test-random.js';

describe('parseIsoInstant', () => {
  it.each([
    ['2026-01-02T03:04:05Z', '2026-01-02T03:04:05.000Z'],
    ['2026-01-31T23:59:59Z', '2026-01-31T23:59:59.000Z'],
    ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
    ['2000-02-29', '2000-02-29T00:00:00.000Z'],
    ['2026-01-02T03:04:05', '2026-01-02T03:04:05.000Z'],
    ['2026-01-02 03:04:05z', '2026-01-02T03:04:05.000Z'],
    ['2026-01-02T03:04:05.123456789Z', '2026-01-02T03:04:05.123Z'],
    ['2026-01-02T03:04:05+05:30', '2026-01-01T21:34:05.000Z'],
    ['2026-01-02T03:04:05-0800', '2026-01-02T11:04:05.000Z'],
    ['0099-12-31T00:00:00Z', '0099-12-31T00:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(new Date(parseIsoInstant(text)).toISOString()).toBe(iso);
  });

  it.each([
    '',
    '1',
    'yesterday',
    '2026-13-01T00:00:00Z',
    '2026-00-01T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '1900-02-29',
    '2026-04-31T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-02T24:00:00Z',
    '2026-01-02T23:60:00Z',
    '2026-01-02T23:59:60Z',
    '2026-01-02T03:04:05+24:00',
    '2026-1-2',
    '2026-01-02T03:04:05ZZ',
    ' 2026-01-02T03:04:05Z',
    '2026-01-02T0a:04:05Z',
  ])('rejects %j', (text) => {
    expect(parseIsoInstant(text)).toBeNaN();
  });

  it('reads the canonical form exactly as Date does, on its fast path and off it', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 5000; i++) {
      const time = Math.floor(random() * 253402300799) * 1000;
      const text = new Date(time).toISOString().replace('.000Z', 'Z');
      expect(parseIsoInstant(text), text).toBe(time);
    }
  });
});

describe('formatInstant', () => {
  it('writes whole seconds in UTC with a Z', () => {
    expect(formatInstant(new Date('2016-08-20T18:04:26.789Z'))).toBe('2016-08-20T18:04:26Z');
    expect(formatInstant(new Date('0001-01-01T00:00:00Z'))).toBe('0001-01-01T00:00:00Z');
  });

  it('refuses dates it cannot write', () => {
    expect(() => formatInstant(new Date(NaN))).toThrow(/invalid Date/);
    expect(() => formatInstant(new Date('-000001-01-01T00:00:00Z'))).toThrow(/year -1/);
  });
});
