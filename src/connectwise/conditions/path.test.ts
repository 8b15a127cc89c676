import { describe, expect, it } from 'vitest';
import { compilePath, getPath } from './path.js';

const record = {
  id: 1,
  Summary: 'mixed case key',
  company: { id: 7, site: { name: 'Main' } },
  contact: null,
  tags: ['a'],
  _info: { lastUpdated: '2026-01-01T00:00:00Z' },
};

describe('getPath and compilePath', () => {
  it.each<[string, unknown]>([
    ['id', 1],
    ['ID', 1],
    ['summary', 'mixed case key'],
    ['company/id', 7],
    ['Company/Site/Name', 'Main'],
    ['_info/LastUpdated', '2026-01-01T00:00:00Z'],
    ['contact', null],
    ['contact/id', undefined],
    ['missing', undefined],
    ['missing/deeper', undefined],
    ['id/deeper', undefined],
    ['tags/length', undefined],
    ['constructor', undefined],
    ['toString', undefined],
    ['__proto__', undefined],
    ['company/hasOwnProperty', undefined],
  ])('reads %s as %j', (path, expected) => {
    expect(getPath(record, path)).toEqual(expected);
    expect(compilePath(path)(record)).toEqual(expected);
  });

  it('follows records whose key spelling differs from the one seen before', () => {
    const read = compilePath('board/id');
    expect(read({ board: { id: 1 } })).toBe(1);
    expect(read({ Board: { ID: 2 } })).toBe(2);
    expect(read({ board: { id: 3 } })).toBe(3);
    expect(read({ other: 1 })).toBeUndefined();
    expect(read(null)).toBeUndefined();
    expect(read('text')).toBeUndefined();
  });

  it('reads null-prototype records', () => {
    const bare = Object.assign(Object.create(null) as object, { Name: 'x' });
    expect(getPath(bare, 'name')).toBe('x');
    expect(compilePath('name')(bare)).toBe('x');
  });
});
