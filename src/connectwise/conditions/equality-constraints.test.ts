import { describe, expect, it } from 'vitest';
import { compileConditions } from './compile-conditions.js';
import { equalityConstraints } from './equality-constraints.js';
import { parseConditions } from './parse-conditions.js';
import type { ConditionValue } from './types.js';

const constraintsOf = (text: string): Record<string, ConditionValue[]> =>
  Object.fromEntries(equalityConstraints(parseConditions(text)));

describe('equalityConstraints', () => {
  it.each<[string, Record<string, ConditionValue[]>]>([
    ['id = 5', { id: [5] }],
    ['Company/Id = 7', { 'company/id': [7] }],
    ['board/id in (1, 2) and closedFlag = false', { 'board/id': [1, 2], closedflag: [false] }],
    [
      'company/identifier = "SmithCo" and summary contains "x"',
      { 'company/identifier': ['SmithCo'] },
    ],
    ['contact = null', { contact: [null] }],
    [
      'lastUpdated = [2026-01-02T03:04:05Z]',
      {
        '_info/lastupdated': [new Date('2026-01-02T03:04:05Z')],
      },
    ],
    ['id in (1, 2, 3) and ID = 2', { id: [2] }],
    ['id = 2 and id in (1, 2, 3)', { id: [2] }],
    ['a = 1 and (b = 2 or c = 3)', { a: [1] }],
    ['(a = 1 and b = 2) and c = 3', { a: [1], b: [2], c: [3] }],
  ])('%s gives the constraints of its top-level and chain', (text, expected) => {
    expect(constraintsOf(text)).toEqual(expected);
  });

  it.each([
    'id = 1 or id = 2',
    'a = 1 and b = 2 or c = 3',
    'id != 5',
    'id not in (1, 2)',
    'id > 5',
    'summary like "x"',
    'summary contains "x"',
    '',
  ])('gives nothing for %s', (text) => {
    expect(equalityConstraints(parseConditions(text)).size).toBe(0);
  });

  it('uses caller aliases for the key', () => {
    const node = parseConditions('name = "x"');
    expect([...equalityConstraints(node, { aliases: { name: 'company/Name' } }).keys()]).toEqual([
      'company/name',
    ]);
  });

  it('lists values every matching record equals', () => {
    const text = 'board/id in (1, 2) and status/name = "new" and summary contains "a"';
    const node = parseConditions(text);
    const predicate = compileConditions(node);
    const constraints = equalityConstraints(node);
    const records = Array.from({ length: 200 }, (_, i) => ({
      board: { id: i % 4 },
      status: { name: i % 3 === 0 ? 'New' : 'Open' },
      summary: i % 2 === 0 ? 'a' : 'b',
    }));
    for (const record of records.filter(predicate)) {
      expect(constraints.get('board/id')).toContain(record.board.id);
      expect(
        constraints
          .get('status/name')
          ?.map(String)
          .map((s) => s.toLowerCase()),
      ).toContain(record.status.name.toLowerCase());
    }
  });
});
