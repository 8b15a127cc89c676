// The indexed table: ordering, index maintenance, and that an index never misses a row the
// conditions predicate would accept.
import { describe, expect, it } from 'vitest';

import {
  compileConditions,
  equalityConstraints,
  parseConditions,
} from '../../connectwise/conditions/index.js';
import { Table } from './table.js';

interface Row {
  id: number;
  company: { id: number; identifier: string };
  externalXRef?: string;
}

function table(): Table<Row> {
  const t = new Table<Row>({ 'company/id': 'number', externalXRef: 'text' });
  t.insert({ id: 3, company: { id: 12, identifier: 'ACME' }, externalXRef: 'Key-A' });
  t.insert({ id: 1, company: { id: 7, identifier: 'Globex' }, externalXRef: '0123' });
  t.insert({ id: 2, company: { id: 12, identifier: 'ACME' } });
  t.insert({
    id: 4,
    company: { id: 7, identifier: 'Globex' },
    externalXRef: '2026-01-01T00:00:00Z',
  });
  return t;
}

describe('Table', () => {
  it('keeps rows in ascending id order whatever the insert order', () => {
    expect([...table().values()].map((r) => r.id)).toEqual([1, 2, 3, 4]);
  });

  it('never reuses an id', () => {
    const t = table();
    t.delete(4);
    expect(t.nextId()).toBe(5);
    expect(t.nextId(100)).toBe(100);
  });

  it('keeps indexes right through update and delete', () => {
    const t = table();
    t.update(3, (r) => {
      r.company = { id: 7, identifier: 'Globex' };
    });
    expect(t.lookup('company/id', 7).map((r) => r.id)).toEqual([1, 3, 4]);
    expect(t.lookup('company/id', 12).map((r) => r.id)).toEqual([2]);
    t.delete(2);
    expect(t.lookup('company/id', 12)).toEqual([]);
    expect(t.lookup('externalXRef', 'key-a').map((r) => r.id)).toEqual([3]);
  });

  it('refuses duplicate ids and lookups on unindexed paths', () => {
    expect(() => table().insert({ id: 1, company: { id: 1, identifier: 'x' } })).toThrow(
      /duplicate/,
    );
    expect(() => table().lookup('summary', 'x')).toThrow(/not indexed/);
  });

  it('declines constraints it cannot key faithfully, leaving the predicate to decide', () => {
    const t = table();
    expect(t.candidates(new Map([['externalxref', [123]]]))).toBeUndefined();
    expect(t.candidates(new Map([['externalxref', ['2026-01-01T00:00:00Z']]]))).toBeUndefined();
    expect(t.candidates(new Map([['company/id', [new Date(0)]]]))).toBeUndefined();
    expect(t.candidates(new Map([['summary', ['x']]]))).toBeUndefined();
  });

  it('picks the narrowest index and answers ids ascending', () => {
    const t = table();
    const c = t.candidates(
      new Map<string, unknown[]>([
        ['company/id', [12, 7]],
        ['id', [3, 4, 99]],
      ]),
    );
    expect(c).toEqual([3, 4]);
  });

  it.each([
    'company/id = 12',
    'company/id = "12"',
    'company/id = "12.0"',
    'company/id = "twelve"',
    'company/id in (7, "12")',
    'externalXRef = "KEY-A"',
    'externalXRef = 123',
    'externalXRef = null',
    'externalXRef in ("0123", "key-a")',
    'externalXRef = [2026-01-01T00:00:00Z]',
    'externalXRef = "2026-01-01T00:00:00Z"',
    'id = "3"',
    'id in (1, 4, 40)',
  ])('answers %s exactly as a full scan does', (conditions) => {
    const t = table();
    const node = parseConditions(conditions);
    const predicate = compileConditions(node);
    const scan = [...t.values()].filter(predicate).map((r) => r.id);
    const candidates = t.candidates(equalityConstraints(node));
    const indexed = (candidates ?? [...t.values()].map((r) => r.id))
      .map((id) => t.get(id)!)
      .filter(predicate)
      .map((r) => r.id);
    expect(indexed).toEqual(scan);
  });
});
