import { describe, expect, it } from 'vitest';
import { OrderBySyntaxError } from './errors.js';
import { compareBy, compareValues, parseOrderBy, type OrderTerm } from './order-by.js';

function orderByError(text: string): OrderBySyntaxError {
  try {
    parseOrderBy(text);
  } catch (error) {
    if (error instanceof OrderBySyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe('parseOrderBy', () => {
  it.each<[string, OrderTerm[]]>([
    ['contact/name asc', [{ path: 'contact/name', direction: 'asc' }]],
    ['id desc', [{ path: 'id', direction: 'desc' }]],
    ['id', [{ path: 'id', direction: 'asc' }]],
    ['id DESC', [{ path: 'id', direction: 'desc' }]],
    ['Id Asc', [{ path: 'Id', direction: 'asc' }]],
    [
      'contact/name asc, id desc',
      [
        { path: 'contact/name', direction: 'asc' },
        { path: 'id', direction: 'desc' },
      ],
    ],
    [
      '  priority/sort ,id\tdesc  ',
      [
        { path: 'priority/sort', direction: 'asc' },
        { path: 'id', direction: 'desc' },
      ],
    ],
    ['', []],
    ['   ', []],
  ])('reads %j', (text, terms) => {
    expect(parseOrderBy(text)).toEqual(terms);
  });

  it.each([
    ['id,', /Empty sort term at position 3/, 3],
    [',id', /Empty sort term at position 0/, 0],
    ['id, ,name', /Empty sort term at position 3/, 3],
    ['id up', /Unknown sort direction "up" for id at position 3/, 3],
    ['name asc desc', /Unexpected "desc" at position 9/, 9],
    ['id desc name', /Unexpected "name" at position 8/, 8],
    ['a-b', /Invalid field "a-b" at position 0/, 0],
    ['id, company/ asc', /Invalid field "company\/" at position 4/, 4],
    ['"id"', /Invalid field/, 0],
  ])('rejects %j', (text, message, position) => {
    const error = orderByError(text);
    expect(error.message).toMatch(message);
    expect(error.position).toBe(position);
    expect(error.name).toBe('OrderBySyntaxError');
  });

  it('rejects a non-string argument with an OrderBySyntaxError', () => {
    expect(() => parseOrderBy(null as unknown as string)).toThrow(OrderBySyntaxError);
  });
});

describe('compareValues', () => {
  it.each<[unknown, unknown, number]>([
    [1, 2, -1],
    [2, 1, 1],
    [2, 2, 0],
    [-1.5, 1, -1],
    ['apple', 'Banana', -1],
    ['APPLE', 'apple', 0],
    ['é', 'f', -1],
    ['10', '9', -1],
    [false, true, -1],
    [null, 0, -1],
    [undefined, null, 0],
    [null, 'a', -1],
    [5, 'a', -1],
    [{ id: 1 }, 'z', 1],
    ['2026-01-02T03:04:05Z', '2026-01-10T00:00:00Z', -1],
  ])('orders %j against %j as %d', (a, b, sign) => {
    expect(Math.sign(compareValues(a, b))).toBe(sign);
  });
});

describe('compareBy', () => {
  const rows = [
    {
      id: 1,
      contact: { name: 'bob' },
      priority: { sort: 2 },
      _info: { lastUpdated: '2026-01-03T00:00:00Z' },
    },
    {
      id: 2,
      contact: { name: 'Alice' },
      priority: { sort: 1 },
      _info: { lastUpdated: '2026-01-01T00:00:00Z' },
    },
    { id: 3, contact: null, priority: { sort: 2 }, _info: { lastUpdated: '2026-01-02T00:00:00Z' } },
    {
      id: 4,
      contact: { name: 'alice' },
      priority: { sort: 1 },
      _info: { lastUpdated: '2026-01-04T00:00:00Z' },
    },
  ];
  const idsSortedBy = (orderBy: string): number[] =>
    [...rows].sort(compareBy(parseOrderBy(orderBy))).map((row) => row.id);

  it.each([
    ['id desc', [4, 3, 2, 1]],
    ['id', [1, 2, 3, 4]],
    ['contact/name asc', [3, 2, 4, 1]],
    ['contact/name desc, id desc', [1, 4, 2, 3]],
    ['Priority/Sort, id desc', [4, 2, 3, 1]],
    ['lastUpdated desc', [4, 1, 3, 2]],
    ['missing asc', [1, 2, 3, 4]],
    ['', [1, 2, 3, 4]],
  ])('sorts by %j', (orderBy, ids) => {
    expect(idsSortedBy(orderBy)).toEqual(ids);
  });

  it('applies caller aliases', () => {
    const sorted = [...rows].sort(
      compareBy(parseOrderBy('rank desc'), { aliases: { rank: 'priority/sort' } }),
    );
    expect(sorted.map((row) => row.id)).toEqual([1, 3, 2, 4]);
  });
});
