import { describe, expect, it } from 'vitest';
import { compileConditions } from './compile-conditions.js';
import { equalityConstraints } from './equality-constraints.js';
import { ConditionsSyntaxError, OrderBySyntaxError } from './errors.js';
import { formatConditions } from './format-conditions.js';
import { compareBy, parseOrderBy } from './order-by.js';
import { parseConditions } from './parse-conditions.js';
import { pick, randomText, seededRandom } from './test-random.js';
import type { ConditionNode } from './types.js';

const TOKENS = [
  'id',
  'a',
  'company/id',
  'Board/Name',
  'lastUpdated',
  'x/',
  '/',
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '==',
  '<>',
  '!',
  'contains',
  'like',
  'in',
  'not',
  'NOT',
  'and',
  'AND',
  'or',
  'Or',
  '(',
  ')',
  ',',
  '"x"',
  "'y'",
  '"a\\"b"',
  "'it\\'s'",
  '"',
  "'",
  '\\',
  '[2020-01-02T03:04:05Z]',
  '[2020-02-30]',
  '[',
  ']',
  '5',
  '-1.5',
  '1.',
  '.5',
  '1e3',
  'true',
  'False',
  'null',
  'nul',
  '*',
  '%',
  '\t',
  '\n',
];

const RECORDS: object[] = [
  {},
  {
    id: 5,
    a: 'x',
    company: { id: 5 },
    board: { name: 'y' },
    _info: { lastUpdated: '2020-01-02T03:04:05Z' },
  },
  { id: '5', a: null, company: null, board: 'text', _info: null },
  { id: true, a: ['x'], company: { id: { nested: 1 } }, board: { name: 12 } },
  { id: NaN, a: 1.5, lastUpdated: 'not a date', company: [] },
  Object.create(null) as object,
];

const PATHS = ['id', 'a', 'company/id', 'Board/Name', 'lastUpdated', '_info/x'];
const VALUES = [
  0,
  5,
  -1.5,
  1e21,
  true,
  false,
  null,
  '',
  'x',
  'A"b',
  "it's",
  '\\',
  'and',
  ' or ',
  '*x%',
  new Date('2020-01-02T03:04:05Z'),
];

function randomTree(random: () => number, depth: number): ConditionNode {
  const path = pick(random, PATHS);
  const choice = random();
  if (depth > 0 && choice < 0.3) {
    const operands = Array.from({ length: 2 + Math.floor(random() * 3) }, () =>
      randomTree(random, depth - 1),
    );
    return { kind: random() < 0.5 ? 'and' : 'or', operands };
  }
  if (choice < 0.6) {
    const operator = pick(random, ['=', '!=', '<', '<=', '>', '>='] as const);
    return { kind: 'compare', path, operator, value: pick(random, VALUES) };
  }
  if (choice < 0.8) {
    const kind = random() < 0.5 ? 'contains' : 'like';
    return { kind, path, negated: random() < 0.5, value: pick(random, VALUES) };
  }
  const values = Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(random, VALUES));
  return { kind: 'in', path, negated: random() < 0.5, values };
}

/** The tree the parser builds for the same conditions: nested same-kind groups flattened. */
function normalise(node: ConditionNode): ConditionNode {
  if (node.kind !== 'and' && node.kind !== 'or') return node;
  const operands: ConditionNode[] = [];
  for (const operand of node.operands.map(normalise)) {
    if (operand.kind === node.kind) operands.push(...operand.operands);
    else operands.push(operand);
  }
  return { kind: node.kind, operands };
}

/** Runs the parser and returns the tree, or undefined after checking the error type. */
function parseOrSyntaxError(text: string): ConditionNode | undefined {
  try {
    return parseConditions(text);
  } catch (error) {
    expect(error, `input ${JSON.stringify(text)}`).toBeInstanceOf(ConditionsSyntaxError);
    const { position } = error as ConditionsSyntaxError;
    expect(position).toBeGreaterThanOrEqual(0);
    expect(position).toBeLessThanOrEqual(text.length);
    return undefined;
  }
}

/** Every stage after parsing must run without throwing on any record. */
function exercise(tree: ConditionNode): void {
  for (const likeWildcards of [true, false]) {
    const predicate = compileConditions(tree, { likeWildcards });
    for (const record of RECORDS) expect(typeof predicate(record)).toBe('boolean');
  }
  equalityConstraints(tree);
  let formatted: string | undefined;
  try {
    formatted = formatConditions(tree);
  } catch (error) {
    // Only a datetime whose offset moves it outside years 0000–9999 has no literal text.
    expect(error).toBeInstanceOf(RangeError);
  }
  if (formatted !== undefined) {
    expect(formatConditions(parseConditions(formatted))).toBe(formatted);
  }
}

describe('fuzzing the parsers', () => {
  it('throws only ConditionsSyntaxError for token soup, and evaluates what parses', () => {
    const random = seededRandom(1);
    for (let round = 0; round < 20_000; round++) {
      const count = 1 + Math.floor(random() * 12);
      const parts = Array.from({ length: count }, () => pick(random, TOKENS));
      const tree = parseOrSyntaxError(parts.join(random() < 0.7 ? ' ' : ''));
      if (tree !== undefined) exercise(tree);
    }
  });

  it('parses random well-formed trees back from their text and evaluates them', () => {
    const random = seededRandom(6);
    for (let round = 0; round < 3000; round++) {
      const tree = randomTree(random, 3);
      const text = formatConditions(tree);
      const parsed = parseConditions(text);
      expect(parsed, text).toEqual(normalise(tree));
      exercise(parsed);
    }
  });

  it('throws only ConditionsSyntaxError for random characters', () => {
    const random = seededRandom(2);
    const alphabet = 'aZ_/09 .-=!<>()[]"\',\\*%\t\n\u00a0é𝄞\u0000:TZ+';
    for (let round = 0; round < 20_000; round++) {
      const tree = parseOrSyntaxError(randomText(random, alphabet, 40));
      if (tree !== undefined) exercise(tree);
    }
  });

  it('throws only ConditionsSyntaxError for mutations of valid conditions', () => {
    const random = seededRandom(3);
    const valid =
      '(contact/name like "Fred%" and closedFlag = false) and dateEntered > [2015-12-23T05:53:27Z] or summary not contains \'test\' AND id in (1, -2.5, null)';
    for (let round = 0; round < 20_000; round++) {
      const chars = [...valid];
      const edits = 1 + Math.floor(random() * 4);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * chars.length);
        const choice = random();
        if (choice < 0.4) chars.splice(at, 1);
        else if (choice < 0.8) chars.splice(at, 0, pick(random, [...'()"\'[],=!<> \\a1']));
        else chars[at] = pick(random, [...'()"\'[],=!<> \\a1']);
      }
      const tree = parseOrSyntaxError(chars.join(''));
      if (tree !== undefined) exercise(tree);
    }
  });

  it('throws only OrderBySyntaxError from parseOrderBy and sorts what parses', () => {
    const random = seededRandom(4);
    const alphabet = 'idname/ ,ascDESC_1-"\t';
    for (let round = 0; round < 20_000; round++) {
      const text = randomText(random, alphabet, 30);
      try {
        const terms = parseOrderBy(text);
        expect([...RECORDS].sort(compareBy(terms))).toHaveLength(RECORDS.length);
      } catch (error) {
        expect(error, `input ${JSON.stringify(text)}`).toBeInstanceOf(OrderBySyntaxError);
      }
    }
  });
});
