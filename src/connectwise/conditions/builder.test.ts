import { describe, expect, it } from 'vitest';
import { literal, where } from './builder.js';
import { compileConditions } from './compile-conditions.js';
import { formatConditions } from './format-conditions.js';
import { parseConditions } from './parse-conditions.js';
import { randomText, seededRandom } from './test-random.js';
import type { ConditionValue } from './types.js';

describe('literal', () => {
  it.each<[ConditionValue, string]>([
    ['plain', '"plain"'],
    ['', '""'],
    ['say "hi"', '"say \\"hi\\""'],
    ["O'Brien", '"O\'Brien"'],
    ['back\\slash', '"back\\\\slash"'],
    ['\\"', '"\\\\\\""'],
    [42, '42'],
    [-3.5, '-3.5'],
    [0, '0'],
    [-0, '0'],
    [1e21, '1000000000000000000000'],
    [1.5e-7, '0.00000015'],
    [-2.5e-10, '-0.00000000025'],
    [1.2345e25, '12345000000000000000000000'],
    [true, 'true'],
    [false, 'false'],
    [null, 'null'],
    [new Date('2016-08-20T18:04:26Z'), '[2016-08-20T18:04:26Z]'],
    [new Date('2016-08-20T18:04:26.999Z'), '[2016-08-20T18:04:26Z]'],
  ])('writes %j as %s', (value, text) => {
    expect(literal(value)).toBe(text);
  });

  it.each([NaN, Infinity, -Infinity])('refuses the number %s', (value) => {
    expect(() => literal(value)).toThrow(RangeError);
  });

  it('refuses invalid dates and years beyond four digits', () => {
    expect(() => literal(new Date('nope'))).toThrow(RangeError);
    expect(() => literal(new Date('+012345-01-01T00:00:00Z'))).toThrow(/year 12345/);
  });
});

describe('where', () => {
  it.each([
    [where.eq('company/id', 5), 'company/id = 5'],
    [where.ne('status/name', 'Closed'), 'status/name != "Closed"'],
    [where.lt('id', 10), 'id < 10'],
    [where.le('id', 10), 'id <= 10'],
    [
      where.gt('lastUpdated', new Date('2024-01-01T00:00:00Z')),
      'lastUpdated > [2024-01-01T00:00:00Z]',
    ],
    [where.ge('id', -1), 'id >= -1'],
    [where.eq('contact', null), 'contact = null'],
    [where.contains('summary', 'VPN'), 'summary contains "VPN"'],
    [where.notContains('summary', 'Low Priority'), 'summary not contains "Low Priority"'],
    [where.like('contact/name', 'Fred%'), 'contact/name like "Fred%"'],
    [where.notLike('name', '*test*'), 'name not like "*test*"'],
    [where.in('board/id', [3, 2, 4]), 'board/id in (3, 2, 4)'],
    [where.in('name', ['John', 'Ben']), 'name in ("John", "Ben")'],
    [where.notIn('id', [1]), 'id not in (1)'],
  ])('writes %s', (built, text) => {
    expect(built).toBe(text);
  });

  it('parenthesises the parts of and/or and skips undefined and empty parts', () => {
    expect(where.and('a = 1', undefined, 'b = 2 or c = 3')).toBe('(a = 1) and (b = 2 or c = 3)');
    expect(where.or('a = 1', 'b = 2')).toBe('(a = 1) or (b = 2)');
    expect(where.and(undefined, 'a = 1')).toBe('(a = 1)');
    expect(where.and(undefined, '', ' ')).toBe('');
    expect(where.or()).toBe('');
    expect(where.and(where.or(), 'a = 1')).toBe('(a = 1)');
  });

  it('keeps precedence when combined', () => {
    const text = where.and(where.or(where.eq('a', 1), where.eq('b', 2)), where.eq('c', 3));
    const predicate = compileConditions(parseConditions(text));
    expect(predicate({ a: 1, c: 4 })).toBe(false);
    expect(predicate({ b: 2, c: 3 })).toBe(true);
  });

  it.each(['', 'a b', 'a/', '/a', 'a//b', '1a', 'a-b', 'a = 1 or b', 'a"'])(
    'refuses the field path %j',
    (path) => {
      expect(() => where.eq(path, 1)).toThrow(TypeError);
    },
  );

  it('refuses an empty in list', () => {
    expect(() => where.in('id', [])).toThrow(RangeError);
    expect(() => where.notIn('id', [])).toThrow(RangeError);
  });
});

describe('builder round trip', () => {
  const hostile = [
    `Smith "and" O'Brien\\Co`,
    'and',
    'x" or identifier != "',
    "x' or identifier != '",
    '\\',
    '\\\\',
    '\\"',
    '"',
    "'",
    '""',
    "''",
    'a\\"b',
    'trailing backslash\\',
    '\\"\\\'',
    ')',
    '(',
    '") or ("1" = "1',
    '[2016-08-20T18:04:26Z]',
    'null',
    'true',
    '5',
    ' ',
    '',
    '*',
    '%',
    'line\nbreak\ttab\r',
    'ünïcödé ✓ 𝄞',
    '\u0000',
    'a,b',
    'contains',
  ];

  /** A stream of strings mixing quotes, backslashes, keywords and separators. */
  function* generatedStrings(count: number): Generator<string> {
    const random = seededRandom(2024);
    for (let i = 0; i < count; i++) {
      yield randomText(random, `"'\\ andorAND()=!<>,[]*%_xyZ\n\t`, 24);
    }
  }

  it('matches exactly the record whose identifier was written, for hostile strings', () => {
    const identifiers = [...hostile, ...generatedStrings(500)];
    const records = identifiers.map((identifier, id) => ({ id, identifier }));
    for (const [id, identifier] of identifiers.entries()) {
      const predicate = compileConditions(parseConditions(where.eq('identifier', identifier)));
      const hits = records.filter(predicate).map((r) => r.identifier);
      // Text compares case-insensitively (ConnectWise's collation), so equal-ignoring-case
      // identifiers match too, and only those.
      expect(hits, `identifier #${id} ${JSON.stringify(identifier)}`).toContain(identifier);
      for (const hit of hits) expect(hit.toLowerCase()).toBe(identifier.toLowerCase());
    }
  });

  it('reads every built string literal back to the same value', () => {
    for (const text of [...hostile, ...generatedStrings(2000)]) {
      expect(parseConditions(where.eq('a', text))).toEqual({
        kind: 'compare',
        path: 'a',
        operator: '=',
        value: text,
      });
      expect(parseConditions(where.notContains('a', text))).toMatchObject({ value: text });
      expect(parseConditions(where.in('a', [text, text]))).toMatchObject({ values: [text, text] });
    }
  });

  it('reads every built number back to the same number', () => {
    const random = seededRandom(99);
    const numbers = [0, 1, -1, 0.1, 1e21, 1e-7, 5e-324, Number.MAX_VALUE, Number.MAX_SAFE_INTEGER];
    for (let i = 0; i < 2000; i++) {
      const magnitude = 10 ** Math.floor(random() * 60 - 30);
      numbers.push((random() - 0.5) * magnitude);
    }
    for (const n of numbers) {
      const node = parseConditions(where.eq('n', n));
      expect(node.kind === 'compare' && node.value, `${n}`).toBe(n === 0 ? 0 : n);
    }
  });

  it('reads a built datetime back to the same second', () => {
    const random = seededRandom(5);
    for (let i = 0; i < 500; i++) {
      const date = new Date(Math.floor(random() * 253402300799000));
      const node = parseConditions(where.ge('lastUpdated', date));
      const value = node.kind === 'compare' ? node.value : undefined;
      expect(value).toEqual(new Date(Math.floor(date.getTime() / 1000) * 1000));
    }
  });

  it('builds conditions that compile to the intended filter', () => {
    const text = where.and(
      where.eq('company/identifier', `Smith "and" O'Brien\\Co`),
      where.in('status/name', ['New', "Customer's reply"]),
      where.notContains('summary', '"quoted"'),
      undefined,
    );
    const predicate = compileConditions(parseConditions(text));
    const base = {
      company: { identifier: `smith "AND" o'brien\\co` },
      status: { name: "customer's reply" },
      summary: 'Disk full',
    };
    expect(predicate(base)).toBe(true);
    expect(predicate({ ...base, summary: 'Has "Quoted" text' })).toBe(false);
    expect(predicate({ ...base, company: { identifier: 'Smith' } })).toBe(false);
  });
});

describe('formatConditions', () => {
  it.each([
    ['A=1 AND (b=2 OR c=3)', 'A = 1 and (b = 2 or c = 3)'],
    ['a=1 or b=2 and c=3', 'a = 1 or b = 2 and c = 3'],
    ["x NOT IN ('a',2) or y not like 'q*'", 'x not in ("a", 2) or y not like "q*"'],
    ['s Not Contains "O\\"Brien"', 's not contains "O\\"Brien"'],
    ['lastUpdated > [2016-08-20T18:04:26Z]', 'lastUpdated > [2016-08-20T18:04:26Z]'],
    ['v != NULL and f = TRUE', 'v != null and f = true'],
    ['', ''],
  ])('writes %s as %s', (text, formatted) => {
    expect(formatConditions(parseConditions(text))).toBe(formatted);
  });

  it('writes text that parses back to the same tree', () => {
    const texts = [
      '(contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z] or summary contains "test" AND summary != "Some Summary"',
      "impact='Medium' or summary contains 'https://example.com'",
      '(a = 1 or b = 2) and (c = 3 or (d in (1, "x") and e not contains "\\\\"))',
    ];
    for (const text of texts) {
      const tree = parseConditions(text);
      expect(parseConditions(formatConditions(tree))).toEqual(tree);
    }
  });

  it('refuses trees that have no text', () => {
    expect(() => formatConditions({ kind: 'or', operands: [] })).toThrow(RangeError);
    expect(() =>
      formatConditions({ kind: 'or', operands: [{ kind: 'and', operands: [] }] }),
    ).toThrow(RangeError);
  });
});
