import { describe, expect, it } from 'vitest';
import { compileFields, projectFields } from './fields.js';

const company = {
  id: 7,
  identifier: 'SmithCo',
  name: 'Smith & Co',
  status: { id: 1, name: 'Active', _info: { status_href: 'x' } },
  site: null,
  types: [
    { id: 1, name: 'Client' },
    { id: 2, name: 'Partner' },
  ],
  _info: { lastUpdated: '2026-01-01T00:00:00Z' },
};

describe('projectFields', () => {
  it.each<[string, object]>([
    ['id,name,status/id', { id: 7, name: 'Smith & Co', status: { id: 1 } }],
    ['id', { id: 7 }],
    [' ID , Name ', { id: 7, name: 'Smith & Co' }],
    ['status/id,status/name', { status: { id: 1, name: 'Active' } }],
    ['status, status/id', { status: company.status }],
    ['status/id, status', { status: company.status }],
    ['site/id', { site: null }],
    ['types/name', { types: [{ name: 'Client' }, { name: 'Partner' }] }],
    ['name/first', { name: 'Smith & Co' }],
    ['nothere,id', { id: 7 }],
    ['_info/lastUpdated', { _info: { lastUpdated: '2026-01-01T00:00:00Z' } }],
  ])('keeps only %j', (fields, expected) => {
    expect(projectFields(company, fields)).toEqual(expected);
  });

  it('keeps the record key order and spelling', () => {
    expect(Object.keys(projectFields(company, 'NAME, Id, status/ID'))).toEqual([
      'id',
      'name',
      'status',
    ]);
  });

  it('returns the record unchanged when no field path is given', () => {
    expect(projectFields(company, '')).toBe(company);
    expect(projectFields(company, ' , ,')).toBe(company);
  });

  it('ignores entries that are not field paths', () => {
    expect(projectFields(company, 'id, a b, x-y, /')).toEqual({ id: 7 });
  });

  it('keeps a __proto__ key as data', () => {
    const record = JSON.parse('{"__proto__": {"polluted": true}, "id": 1}') as object;
    const projected = projectFields(record, '__proto__,id');
    expect(Object.getPrototypeOf(projected)).toBe(Object.prototype);
    expect(Object.keys(projected)).toEqual(['__proto__', 'id']);
  });

  it('compiles once for many records', () => {
    const project = compileFields('id,status/name');
    const records = Array.from({ length: 1000 }, (_, id) => ({
      id,
      status: { id, name: `s${id}` },
      x: 1,
    }));
    expect(records.map(project)[999]).toEqual({ id: 999, status: { name: 's999' } });
  });
});
