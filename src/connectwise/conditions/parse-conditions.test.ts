import { describe, expect, it } from 'vitest';
import { ConditionsSyntaxError, LITERAL_FORMS_HINT } from './errors.js';
import { parseConditions } from './parse-conditions.js';
import type { ConditionNode, ConditionValue } from './types.js';

const eq = (path: string, value: ConditionValue): ConditionNode => ({
  kind: 'compare',
  path,
  operator: '=',
  value,
});

/** The value of a single `path = value` condition. */
function valueOf(text: string): ConditionValue {
  const node = parseConditions(text);
  if (node.kind !== 'compare') throw new Error(`expected a comparison from ${text}`);
  return node.value;
}

/** The error parseConditions throws for `text`. */
function syntaxError(text: string): ConditionsSyntaxError {
  try {
    parseConditions(text);
  } catch (error) {
    if (error instanceof ConditionsSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseConditions: operators', () => {
  it.each([
    ['id = 5', '='],
    ['id != 5', '!='],
    ['id < 5', '<'],
    ['id <= 5', '<='],
    ['id > 5', '>'],
    ['id >= 5', '>='],
  ] as const)('reads %s as a comparison with %s', (text, operator) => {
    expect(parseConditions(text)).toEqual({ kind: 'compare', path: 'id', operator, value: 5 });
  });

  it.each([
    ['summary contains "vpn"', 'contains', false],
    ['summary CONTAINS "vpn"', 'contains', false],
    ['summary not contains "vpn"', 'contains', true],
    ['Summary Not Contains "vpn"', 'contains', true],
    ['summary like "vpn"', 'like', false],
    ['summary NOT LIKE "vpn"', 'like', true],
  ] as const)('reads %s as %s (negated: %s)', (text, kind, negated) => {
    expect(parseConditions(text)).toEqual({ kind, negated, path: text.slice(0, 7), value: 'vpn' });
  });

  it.each([
    ['board/id in (3, 2, 4)', [3, 2, 4]],
    ['board/id IN (3,2,4)', [3, 2, 4]],
    ['board/id in (3)', [3]],
    ['name in ("John", \'Ben\')', ['John', 'Ben']],
    ['name in ( "John" ,  \'Ben\' )', ['John', 'Ben']],
    [
      'x in (1, "a", true, null, [2020-01-02T03:04:05Z])',
      [1, 'a', true, null, new Date('2020-01-02T03:04:05Z')],
    ],
  ] as const)('reads the in list of %s', (text, values) => {
    expect(parseConditions(text)).toMatchObject({ kind: 'in', negated: false, values });
  });

  it('reads not in as a negated in', () => {
    expect(parseConditions('status/id NOT IN (1, 2)')).toEqual({
      kind: 'in',
      path: 'status/id',
      negated: true,
      values: [1, 2],
    });
  });
});

describe('parseConditions: whitespace', () => {
  it.each([
    'company/id=5',
    'company/id = 5',
    '  company/id   =\t5  ',
    'company/id\n=\n5',
    '(company/id=5)',
    '( company/id = 5 )',
  ])('accepts %j with or without spaces around the operator', (text) => {
    expect(parseConditions(text)).toEqual(eq('company/id', 5));
  });

  it.each([
    ['a!=1', '!='],
    ['a<=1', '<='],
    ['a>=1', '>='],
    ['a<1', '<'],
    ['a>1', '>'],
  ] as const)('reads %s without spaces', (text, operator) => {
    expect(parseConditions(text)).toMatchObject({ operator, value: 1 });
  });

  it('reads a quoted value glued to a word operator and to the next keyword', () => {
    expect(parseConditions('summary contains"x"and id=1')).toEqual({
      kind: 'and',
      operands: [{ kind: 'contains', path: 'summary', negated: false, value: 'x' }, eq('id', 1)],
    });
  });

  it('treats empty and blank text as no filter: an and without operands', () => {
    expect(parseConditions('')).toEqual({ kind: 'and', operands: [] });
    expect(parseConditions(' \t\n ')).toEqual({ kind: 'and', operands: [] });
  });
});

describe('parseConditions: and, or, parentheses', () => {
  it.each(['and', 'AND', 'And', 'aNd'])('accepts %s in any case', (keyword) => {
    expect(parseConditions(`a = 1 ${keyword} b = 2`)).toEqual({
      kind: 'and',
      operands: [eq('a', 1), eq('b', 2)],
    });
  });

  it.each(['or', 'OR', 'Or'])('accepts %s in any case', (keyword) => {
    expect(parseConditions(`a = 1 ${keyword} b = 2`)).toEqual({
      kind: 'or',
      operands: [eq('a', 1), eq('b', 2)],
    });
  });

  it('binds and tighter than or', () => {
    expect(parseConditions('a = 1 or b = 2 and c = 3')).toEqual({
      kind: 'or',
      operands: [eq('a', 1), { kind: 'and', operands: [eq('b', 2), eq('c', 3)] }],
    });
    expect(parseConditions('a = 1 and b = 2 or c = 3')).toEqual({
      kind: 'or',
      operands: [{ kind: 'and', operands: [eq('a', 1), eq('b', 2)] }, eq('c', 3)],
    });
  });

  it('lets parentheses override precedence', () => {
    expect(parseConditions('(a = 1 or b = 2) and c = 3')).toEqual({
      kind: 'and',
      operands: [{ kind: 'or', operands: [eq('a', 1), eq('b', 2)] }, eq('c', 3)],
    });
  });

  it('flattens nested groups of the same kind and drops redundant parentheses', () => {
    expect(parseConditions('a = 1 and (b = 2 and (c = 3))')).toEqual({
      kind: 'and',
      operands: [eq('a', 1), eq('b', 2), eq('c', 3)],
    });
    expect(parseConditions('(((a = 1)))')).toEqual(eq('a', 1));
  });

  it('parses the client README example with mixed case keywords', () => {
    const text =
      '(contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z] or summary contains "test" AND summary != "Some Summary"';
    expect(parseConditions(text)).toEqual({
      kind: 'or',
      operands: [
        {
          kind: 'and',
          operands: [
            { kind: 'like', path: 'contact/name', negated: false, value: 'Fred%' },
            eq('closedFlag', false),
            {
              kind: 'compare',
              path: 'dateEntered',
              operator: '>',
              value: new Date('2015-12-23T05:53:27Z'),
            },
          ],
        },
        {
          kind: 'and',
          operands: [
            { kind: 'contains', path: 'summary', negated: false, value: 'test' },
            { kind: 'compare', path: 'summary', operator: '!=', value: 'Some Summary' },
          ],
        },
      ],
    });
  });
});

describe('parseConditions: string literals', () => {
  it.each([
    ['s = "This is my string"', 'This is my string'],
    ["s = 'This is my string'", 'This is my string'],
    ['s = ""', ''],
    ["s = ''", ''],
    ['s = "O\'Brien"', "O'Brien"],
    ['s = \'say "hi"\'', 'say "hi"'],
    ['s = "a \\"quoted\\" word"', 'a "quoted" word'],
    ["s = 'O\\'Brien'", "O'Brien"],
    ['s = "O\\\'Brien"', "O'Brien"],
    ['s = "back\\\\slash"', 'back\\slash'],
    ['s = "C:\\temp\\new"', 'C:\\temp\\new'],
    ['s = "x and y = 1 or (z)"', 'x and y = 1 or (z)'],
    ['s = "line\nbreak"', 'line\nbreak'],
    ['s = "https://example.com/?a=1&b=[2]"', 'https://example.com/?a=1&b=[2]'],
    ['s = "trailing\\\\"', 'trailing\\'],
  ])('reads %s', (text, value) => {
    expect(valueOf(text)).toBe(value);
  });
});

describe('parseConditions: numbers', () => {
  it.each([
    ['n = 123', 123],
    ['n = 0', 0],
    ['n = -5', -5],
    ['n = 3.25', 3.25],
    ['n = -0.5', -0.5],
    ['n = 007', 7],
    ['n=-12', -12],
  ])('reads %s', (text, value) => {
    expect(valueOf(text)).toBe(value);
  });
});

describe('parseConditions: booleans and null', () => {
  it.each([
    ['closedFlag = true', true],
    ['ClosedFlag = True', true],
    ['closedFlag = TRUE', true],
    ['closedFlag = false', false],
    ['closedFlag = False', false],
    ['value != null', null],
    ['value = NULL', null],
    ['value = Null', null],
  ])('reads %s', (text, value) => {
    expect(valueOf(text)).toBe(value);
  });
});

describe('parseConditions: datetimes', () => {
  it.each([
    ['[2016-08-20T18:04:26Z]', '2016-08-20T18:04:26.000Z'],
    ['[2016-08-20t18:04:26z]', '2016-08-20T18:04:26.000Z'],
    ['[ 2016-08-20T18:04:26Z ]', '2016-08-20T18:04:26.000Z'],
    ['[2016-08-20T18:04:26.5Z]', '2016-08-20T18:04:26.500Z'],
    ['[2016-08-20T18:04:26]', '2016-08-20T18:04:26.000Z'],
    ['[2016-08-20T18:04]', '2016-08-20T18:04:00.000Z'],
    ['[2016-08-20]', '2016-08-20T00:00:00.000Z'],
    ['[2016-08-20 18:04:26Z]', '2016-08-20T18:04:26.000Z'],
    ['[2016-08-20T18:04:26+02:00]', '2016-08-20T16:04:26.000Z'],
    ['[2016-08-20T18:04:26-0130]', '2016-08-20T19:34:26.000Z'],
    ['[2024-02-29T00:00:00Z]', '2024-02-29T00:00:00.000Z'],
    ['[0050-01-01T00:00:00Z]', '0050-01-01T00:00:00.000Z'],
  ])('reads %s as the instant %s', (literal, iso) => {
    const value = valueOf(`lastUpdated = ${literal}`);
    expect(value).toBeInstanceOf(Date);
    expect((value as Date).toISOString()).toBe(iso);
  });
});

describe('parseConditions: field paths', () => {
  it.each(['id', 'company/id', 'Board/Id', 'status/name', '_info/lastUpdated', 'a1/b_2/c3'])(
    'keeps the path %s as written',
    (path) => {
      expect(parseConditions(`${path} = 1`)).toEqual(eq(path, 1));
    },
  );
});

describe('parseConditions: errors', () => {
  const badLiteral = (found: string, position: number): string =>
    `Expected a value, not ${found} (position ${position}). ${LITERAL_FORMS_HINT}`;

  it.each([
    ['id = abc', '"abc"', 5],
    ['id = 12abc', '"12abc"', 5],
    ['id = 1e5', '"1e5"', 5],
    ['id = 1.', '"1."', 5],
    ['id = .5', '".5"', 5],
    ['id = +5', '"+5"', 5],
    ['id = -', '"-"', 5],
    ['flag = yes', '"yes"', 7],
    ['flag = truex', '"truex"', 7],
    ['summary = ', 'the end of the conditions', 10],
    ['summary = and b = 1', '"and"', 10],
    ['x in (1, )', '")"', 9],
    ['x in (1, 2,)', '")"', 11],
    ['a = (1)', '"(1"', 4],
    ['a = 1 and b = ,', '","', 14],
  ])('rejects the literal in %j with the server text', (text, found, position) => {
    const error = syntaxError(text);
    expect(error.message).toBe(badLiteral(found, position));
    expect(error.position).toBe(position);
  });

  it('quotes what was found with a quote character it does not contain', () => {
    expect(syntaxError('summary "x"').message).toContain(`found '"x"' at position 8`);
  });

  it.each([
    ['(a = 1', /Missing "\)" to close the "\(" at position 0/, 0],
    ['((a = 1)', /Missing "\)" to close the "\(" at position 0/, 0],
    ['(a = 1 or (b = 2)', /Missing "\)" to close the "\(" at position 0/, 0],
    ['a = 1)', /Unexpected "\)" at position 5/, 5],
    ['(a = 1))', /Unexpected "\)" at position 7/, 7],
    ['()', /Empty parentheses at position 0/, 0],
    ['(a = 1 b = 2)', /Expected "and", "or" or "\)" to close the "\(" at position 0, found "b"/, 7],
    [
      'a = 1 b = 2',
      /Expected "and", "or" or the end of the conditions, found "b" at position 6/,
      6,
    ],
    ['a = 1 andb = 2', /found "andb" at position 6/, 6],
    ['a = 1 and', /Expected a field name, found the end of the conditions at position 9/, 9],
    ['a = 1 or or b = 2', /Expected a field name, found "or"/, 9],
    ['= 5', /Expected a field name, found "=" at position 0/, 0],
    ['"a" = 5', /Expected a field name/, 0],
    ['company/ = 1', /Incomplete field path "company\/" at position 7/, 7],
    ['a => 1', /Unknown operator "=>" after "a" at position 2/, 2],
    ['a == 1', /Unknown operator "=="/, 2],
    ['a <> 1', /Unknown operator "<>"/, 2],
    ['a ! 1', /Unknown operator "!"/, 2],
    ['a equals 1', /Expected an operator after "a", found "equals" at position 2/, 2],
    ['summary', /Expected an operator after "summary", found the end of the conditions/, 7],
    ['a not = 1', /"not" after "a" must be followed by contains, like or in, found "="/, 6],
    [
      'a not between 1',
      /"not" after "a" must be followed by contains, like or in, found "between"/,
      6,
    ],
    ['a notcontains "x"', /Expected an operator after "a", found "notcontains"/, 2],
    ['x in ()', /The "in" list at position 5 is empty/, 5],
    ['x in (  )', /The "in" list at position 5 is empty/, 5],
    ['x in 1, 2', /Expected "\(" to open the list after "in", found "1,"|found "1"/, 5],
    ['x in (1, 2', /Missing "\)" to close the "in" list at position 5/, 5],
    [
      'x in (1 2)',
      /Expected "," or "\)" in the "in" list at position 5, found "2" at position 8/,
      8,
    ],
    ['x = "abc', /Unterminated string starting at position 4/, 4],
    ["x = 'abc", /Unterminated string starting at position 4/, 4],
    ['x = "abc\\"', /Unterminated string starting at position 4/, 4],
    ["x = 'it''s'", /Expected "and", "or" or the end of the conditions, found "'s'"/, 8],
    ['not (a = 1)', /"not" at position 0 must follow a field name/, 0],
    ['a = 1 and not b = 2', /"not" at position 10 must follow a field name/, 10],
    ['a = 1 and and b = 2', /Expected a field name, found "and" at position 10/, 10],
    ['x = [2016-08-20T18:04:26Z', /Unterminated datetime starting at position 4/, 4],
    ['x = [2016-13-01T00:00:00Z]', /Invalid datetime \[2016-13-01T00:00:00Z\] at position 4/, 4],
    ['x = [2023-02-29]', /Invalid datetime \[2023-02-29\]/, 4],
    ['x = [2016-08-20T24:00:00Z]', /Invalid datetime/, 4],
    ['x = [yesterday]', /Invalid datetime \[yesterday\]/, 4],
    ['x = []', /Invalid datetime \[\]/, 4],
  ])('rejects %j: %s', (text, message, position) => {
    const error = syntaxError(text);
    expect(error.message).toMatch(message);
    expect(error.position).toBe(position);
  });

  it('clips long offending text in messages', () => {
    const error = syntaxError(`x = ${'y'.repeat(500)}`);
    expect(error.message).toContain(`"${'y'.repeat(40)}…"`);
  });

  it('refuses parentheses nested beyond 100 levels instead of exhausting the stack', () => {
    expect(parseConditions(`${'('.repeat(100)}a = 1${')'.repeat(100)}`)).toEqual(eq('a', 1));
    expect(syntaxError(`${'('.repeat(101)}a = 1${')'.repeat(101)}`).message).toMatch(
      /nested more than 100 levels/,
    );
    expect(syntaxError('('.repeat(100_000)).message).toMatch(/nested more than 100 levels/);
  });

  it('parses very long flat chains without recursion', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `id = ${i}`).join(' or ');
    const node = parseConditions(text);
    expect(node.kind === 'or' && node.operands.length).toBe(20_000);
    const grouped = `(${Array.from({ length: 200_000 }, () => 'a = 1').join(' and ')}) and b = 2`;
    const flat = parseConditions(grouped);
    expect(flat.kind === 'and' && flat.operands.length).toBe(200_001);
  });

  it('rejects a non-string argument with a ConditionsSyntaxError', () => {
    expect(() => parseConditions(undefined as unknown as string)).toThrow(ConditionsSyntaxError);
    expect(() => parseConditions(5 as unknown as string)).toThrow(/must be a string, not number/);
  });

  it('names the error class', () => {
    expect(syntaxError('x').name).toBe('ConditionsSyntaxError');
    expect(syntaxError('x')).toBeInstanceOf(Error);
  });
});
