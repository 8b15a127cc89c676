import { describe, expect, it } from 'vitest';
import { compileConditions, type CompileOptions } from './compile-conditions.js';
import { parseConditions } from './parse-conditions.js';
import { seededRandom, pick } from './test-random.js';
import type { ConditionValue } from './types.js';
import { equalsTest, inTest } from './value-tests.js';

function matches(conditions: string, record: object, options?: CompileOptions): boolean {
  return compileConditions(parseConditions(conditions), options)(record);
}

const ticket = {
  id: 42,
  summary: 'VPN down at Smith & Co',
  closedFlag: false,
  budgetHours: 2.5,
  board: { id: 3, name: 'Integration' },
  company: { id: 7, identifier: 'SmithCo', name: 'Smith & Co' },
  status: { id: 11, name: 'New' },
  contact: null,
  dateEntered: '2026-01-02T03:04:05Z',
  customerUpdatedFlag: true,
  _info: { lastUpdated: '2026-01-05T10:00:00Z', updatedBy: 'bridge' },
};

describe('compileConditions: equality', () => {
  it.each([
    ['id = 42', true],
    ['id = 43', false],
    ['id != 43', true],
    ['id != 42', false],
    ['summary = "vpn down at smith & co"', true],
    ['summary = "VPN DOWN AT SMITH & CO"', true],
    ['summary = "VPN down"', false],
    ['summary != "vpn down at SMITH & CO"', false],
    ['closedFlag = false', true],
    ['ClosedFlag = False', true],
    ['closedFlag = true', false],
    ['closedFlag != true', true],
    ['budgetHours = 2.5', true],
    ['board/id = 3', true],
    ['Board/Id = 3', true],
    ['BOARD/NAME = "integration"', true],
    ['company/identifier = "smithco"', true],
  ])('%s → %s', (conditions, expected) => {
    expect(matches(conditions, ticket)).toBe(expected);
  });
});

describe('compileConditions: null and missing fields', () => {
  it.each([
    ['contact = null', true],
    ['contact != null', false],
    ['missingField = null', true],
    ['missingField != null', false],
    ['status/missing = null', true],
    ['contact/id = null', true],
    ['board != null', true],
    ['board = null', false],
    // A missing field is null: every test of it other than = null / != null is false.
    ['missingField = 5', false],
    ['missingField != 5', false],
    ['missingField < 5', false],
    ['missingField contains "x"', false],
    ['missingField not contains "x"', false],
    ['missingField like "*"', false],
    ['missingField not like "x"', false],
    ['missingField in (1, 2)', false],
    ['missingField not in (1, 2)', false],
    ['missingField in (1, null)', true],
    ['id < null', false],
    ['id > null', false],
    ['summary contains null', false],
    ['summary not contains null', false],
  ])('%s → %s', (conditions, expected) => {
    expect(matches(conditions, ticket)).toBe(expected);
  });
});

describe('compileConditions: ordering', () => {
  it.each([
    ['id < 50', true],
    ['id <= 42', true],
    ['id < 42', false],
    ['id > 41.5', true],
    ['id >= 42', true],
    ['id > 42', false],
    ['id > -1', true],
    ['summary > "vpn"', true],
    ['summary < "VPN E"', true],
    ['summary >= "VPN DOWN AT SMITH & CO"', true],
    ['summary <= "vpn down at smith & co"', true],
    ['dateEntered > [2026-01-01T00:00:00Z]', true],
    ['dateEntered >= [2026-01-02T03:04:05Z]', true],
    ['dateEntered > [2026-01-02T03:04:05Z]', false],
    ['dateEntered < [2026-01-02T04:04:05+01:00]', false],
    ['dateEntered <= [2026-01-02T04:04:05+01:00]', true],
    ['dateEntered > "2026-01-01"', true],
    ['dateEntered < "2026-01-02T03:04:06Z"', true],
    ['closedFlag < true', true],
    ['board < 5', false],
    ['board > "a"', false],
  ])('%s → %s', (conditions, expected) => {
    expect(matches(conditions, ticket)).toBe(expected);
  });

  it('compares datetimes as instants, not as text', () => {
    const record = { when: '2026-01-02T03:04:05.5Z' };
    expect(matches('when > [2026-01-02T03:04:05Z]', record)).toBe(true);
    expect(matches('when < [2026-01-02T03:04:06Z]', record)).toBe(true);
    expect(matches('when = [2026-01-02T04:04:05.5+01:00]', record)).toBe(true);
    expect(matches('when = "2026-01-02T03:04:05.500Z"', record)).toBe(true);
  });
});

describe('compileConditions: contains', () => {
  it.each([
    ['summary contains "vpn"', true],
    ['summary contains "SMITH &"', true],
    ['summary contains ""', true],
    ['summary contains "printer"', false],
    ['summary not contains "printer"', true],
    ['summary NOT CONTAINS "Vpn"', false],
    ["summary contains '&'", true],
    ['id contains 4', true],
    ['id contains "2"', true],
    ['board contains "Integration"', false],
    ['board not contains "x"', false],
  ])('%s → %s', (conditions, expected) => {
    expect(matches(conditions, ticket)).toBe(expected);
  });
});

describe('compileConditions: like', () => {
  it.each([
    ['summary like "vpn*"', true],
    ['summary like "vpn%"', true],
    ['summary like "*smith*"', true],
    ['summary like "%smith%"', true],
    ['summary like "%SMITH & co"', true],
    ['summary like "VPN down at Smith & Co"', true],
    ['summary like "vpn"', false],
    ['summary like "*printer*"', false],
    ['summary like "v*n*w*t*&*o"', true],
    ['summary like "v**%%o"', true],
    ['summary like "%"', true],
    ['summary like "*co*co"', false],
    ['summary not like "vpn*"', false],
    ['summary not like "*printer*"', true],
    ['summary like "VPN_down*"', false],
  ])('%s → %s', (conditions, expected) => {
    expect(matches(conditions, ticket)).toBe(expected);
  });

  it('keeps _ literal and reads [[] as a literal [', () => {
    expect(matches('code like "a_b*"', { code: 'a_bc' })).toBe(true);
    expect(matches('code like "a_b*"', { code: 'axbc' })).toBe(false);
    expect(matches('code like "[[]x]*"', { code: '[x] ticket' })).toBe(true);
    expect(matches('code like "[[]x]*"', { code: 'x] ticket' })).toBe(false);
  });

  it('matches across line breaks', () => {
    expect(matches('notes like "a*b"', { notes: 'a\nline\nb' })).toBe(true);
  });

  it('stays linear on a pattern that would make a regular expression backtrack', () => {
    const text = 'a'.repeat(20_000);
    expect(matches(`s like "${'%a'.repeat(30)}%b"`, { s: text })).toBe(false);
  });

  it('ignores like clauses when wildcards are switched off', () => {
    const options = { likeWildcards: false };
    expect(matches('summary like "*printer*"', ticket, options)).toBe(true);
    expect(matches('summary not like "vpn*"', ticket, options)).toBe(true);
    expect(matches('missing like "x"', ticket, options)).toBe(true);
    expect(matches('summary like "*printer*" and id = 1', ticket, options)).toBe(false);
    expect(matches('summary contains "printer"', ticket, options)).toBe(false);
  });
});

describe('compileConditions: in', () => {
  it.each([
    ['id in (1, 42, 3)', true],
    ['id in (1, 2)', false],
    ['id not in (1, 2)', true],
    ['id not in (42)', false],
    ['id in ("42")', true],
    ['status/name in ("new", \'Open\')', true],
    ['status/name in ("Closed")', false],
    ['status/name not in ("NEW")', false],
    ['closedFlag in (false)', true],
    ['closedFlag in (0)', true],
    ['closedFlag in ("FALSE")', true],
    ['dateEntered in ([2026-01-02T03:04:05Z])', true],
    ['dateEntered in ("2026-01-02T03:04:05.000Z")', true],
    ['board in (3)', false],
    ['board not in (3)', false],
  ])('%s → %s', (conditions, expected) => {
    expect(matches(conditions, ticket)).toBe(expected);
  });

  it('agrees with an or of equalities for every mix of field values and literals', () => {
    const random = seededRandom(7);
    const literals: ConditionValue[] = [
      null,
      0,
      1,
      5,
      -2.5,
      42,
      true,
      false,
      '',
      '5',
      ' 5 ',
      '42',
      'abc',
      'ABC',
      'true',
      'FALSE',
      '2026-01-02T03:04:05Z',
      new Date('2026-01-02T03:04:05Z'),
      new Date('2020-01-01T00:00:00Z'),
    ];
    const fieldValues: unknown[] = [
      ...literals,
      undefined,
      {},
      [],
      [1],
      { id: 1 },
      'Abc',
      '2026-01-02T03:04:05.000Z',
      NaN,
      1.5,
    ];
    for (let round = 0; round < 2000; round++) {
      const list = Array.from({ length: 1 + Math.floor(random() * 4) }, () =>
        pick(random, literals),
      );
      const value = pick(random, fieldValues);
      const expected = list.some((literal) => equalsTest(literal)(value));
      expect(inTest(list, false)(value), `${String(value)} in ${String(list)}`).toBe(expected);
    }
  });
});

describe('compileConditions: loose types never throw', () => {
  it.each([
    ['id = "42"', true],
    ['id = " 42 "', true],
    ['id = "abc"', false],
    ['id != "abc"', true],
    ['id > "40"', true],
    ['id < "abc"', false],
    ['closedFlag = "false"', true],
    ['closedFlag = 0', true],
    ['customerUpdatedFlag = 1', true],
    ['closedFlag = "no"', false],
    ['summary = 5', false],
    ['summary < 5', false],
    ['summary = true', false],
    ['summary = [2026-01-02T03:04:05Z]', false],
    ['id = [2026-01-02T03:04:05Z]', false],
    ['board = "Integration"', false],
    ['board != "Integration"', false],
    ['board = 3', false],
    ['board/name/deeper = "x"', false],
  ])('%s → %s', (conditions, expected) => {
    expect(matches(conditions, ticket)).toBe(expected);
  });

  it('reads numeric text fields as numbers against number literals', () => {
    expect(matches('zip = 90210', { zip: '90210' })).toBe(true);
    expect(matches('zip > 90000', { zip: '90210' })).toBe(true);
    expect(matches('zip in (1, 90210)', { zip: '90210' })).toBe(true);
  });
});

describe('compileConditions: and, or', () => {
  it.each([
    ['id = 42 and closedFlag = false', true],
    ['id = 42 and closedFlag = true', false],
    ['id = 1 or closedFlag = false', true],
    ['id = 1 or closedFlag = true', false],
    ['id = 1 and closedFlag = true or board/id = 3', true],
    ['id = 1 and (closedFlag = true or board/id = 3)', false],
    ['(id = 1 or id = 42) and (board/name = "x" or board/name = "integration")', true],
    ['a = 1 or b = 2 or c = 3 or id = 42', true],
    ['id = 42 and id > 1 and id < 100 and summary contains "vpn"', true],
    ['id = 42 and id > 1 and id < 100 and summary contains "printer"', false],
    ['', true],
  ])('%s → %s', (conditions, expected) => {
    expect(matches(conditions, ticket)).toBe(expected);
  });

  it('matches nothing for an or without operands', () => {
    expect(compileConditions({ kind: 'or', operands: [] })(ticket)).toBe(false);
  });
});

describe('compileConditions: lastUpdated and aliases', () => {
  it.each([
    ['lastUpdated > [2026-01-05T00:00:00Z]', true],
    ['LastUpdated >= [2026-01-05T10:00:00Z] AND LastUpdated <= [2026-01-05T10:00:00Z]', true],
    ['lastupdated < [2026-01-05T00:00:00Z]', false],
    ['lastUpdated != null', true],
  ])('maps %s to _info/lastUpdated', (conditions, expected) => {
    expect(matches(conditions, ticket)).toBe(expected);
  });

  it('falls back to a top-level field when the alias target is missing', () => {
    expect(matches('lastUpdated = "x"', { lastUpdated: 'x' })).toBe(true);
  });

  it('applies caller aliases instead of the default', () => {
    const options = { aliases: { name: 'company/name' } };
    expect(matches('name = "smith & co"', ticket, options)).toBe(true);
    expect(matches('lastUpdated != null', ticket, options)).toBe(false);
  });

  it('never reads inherited properties through a path', () => {
    expect(matches('constructor != null', {})).toBe(false);
    expect(matches('toString = null', { a: 1 })).toBe(true);
    expect(matches('__proto__ = null', {})).toBe(true);
  });
});

describe('compileConditions: scale', () => {
  it('compiles once and filters 100,000 small records', () => {
    const statuses = ['New', 'In Progress', 'Waiting', 'Closed'];
    const records = Array.from({ length: 100_000 }, (_, i) => ({
      id: i + 1,
      summary: `Backup failed on device ${i}`,
      closedFlag: i % 4 === 3,
      board: { id: (i % 5) + 1, name: `Board ${i % 5}` },
      status: { id: i % 4, name: statuses[i % 4] },
      company: { id: i % 100, identifier: `C${i % 100}` },
      _info: { lastUpdated: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString() },
    }));
    const predicate = compileConditions(
      parseConditions(
        'Board/Id in (1, 2) and closedFlag = false and status/name != "closed" ' +
          'and (summary contains "DEVICE 1" or company/identifier like "c9*") ' +
          'and lastUpdated >= [2026-01-01T00:00:00Z]',
      ),
    );
    const hits = records.filter(predicate);
    const expected = records.filter(
      (r) =>
        (r.board.id === 1 || r.board.id === 2) &&
        !r.closedFlag &&
        r.status.name !== 'Closed' &&
        (r.summary.includes('device 1') || r.company.identifier.startsWith('C9')),
    );
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.map((r) => r.id)).toEqual(expected.map((r) => r.id));
  });
});
