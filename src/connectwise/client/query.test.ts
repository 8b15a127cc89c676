import { describe, expect, it } from 'vitest';

import { where } from '../conditions/index.js';
import { ManageConfigError } from './errors.js';
import { encodeQuery, linkQuery, listQuery, mergeNextQuery, sameQuery, textOf } from './query.js';

describe('encodeQuery', () => {
  it('escapes what ConnectWise asks to escape, + and quotes included', () => {
    expect(encodeQuery([['conditions', `name = "A&B+C" and x = 'it''s' and y like "50%*"`]])).toBe(
      'conditions=name%20%3D%20%22A%26B%2BC%22%20and%20x%20%3D%20%27it%27%27s%27%20and%20y%20like%20%2250%25%2A%22',
    );
    expect(
      encodeQuery([
        ['fields', 'id,name,status/id'],
        ['pageSize', '1000'],
      ]),
    ).toBe('fields=id%2Cname%2Cstatus%2Fid&pageSize=1000');
  });
});

describe('listQuery', () => {
  it('names the options as ConnectWise does and leaves out what is not given', () => {
    expect(
      listQuery({ conditions: 'a = 1', orderBy: 'id desc', fields: ['id', 'name'], pageSize: 50 }),
    ).toEqual([
      ['conditions', 'a = 1'],
      ['orderBy', 'id desc'],
      ['fields', 'id,name'],
      ['pageSize', '50'],
    ]);
    expect(listQuery({}, 1000)).toEqual([['pageSize', '1000']]);
    expect(listQuery({ conditions: '  ' })).toEqual([]);
  });

  it('carries built conditions unchanged, escaping only for the URL', () => {
    const conditions = where.and(
      where.eq('identifier', 'Say "hi" \\ and'),
      where.eq('deletedFlag', false),
    );
    expect(listQuery({ conditions })).toEqual([['conditions', conditions]]);
    expect(textOf(conditions)).toBe(conditions);
    expect(
      decodeURIComponent(encodeQuery(listQuery({ conditions })).slice('conditions='.length)),
    ).toBe('(identifier = "Say \\"hi\\" \\\\ and") and (deletedFlag = false)');
  });

  it.each([0, 1001, 2.5, Number.NaN])('refuses pageSize %s', (pageSize) => {
    expect(() => listQuery({ pageSize })).toThrow(ManageConfigError);
  });

  it('refuses orderBy with forward-only paging', () => {
    expect(() => listQuery({ paging: 'forward-only', orderBy: 'name' })).toThrow(
      /orders forward-only pages by id/,
    );
  });
});

describe('mergeNextQuery', () => {
  it("takes the link's parameters and keeps ours that it left out", () => {
    const next = linkQuery('https://other.host/v1/apis/3.0/x?page=2&pageSize=1000');
    expect(
      mergeNextQuery(next, [
        ['conditions', 'a = 1'],
        ['pageSize', '1000'],
      ]),
    ).toEqual([
      ['page', '2'],
      ['pageSize', '1000'],
      ['conditions', 'a = 1'],
    ]);
  });

  it('reads relative links as well', () => {
    expect([...linkQuery('/v1/apis/3.0/x?pageId=77').entries()]).toEqual([['pageId', '77']]);
  });
});

describe('sameQuery', () => {
  it('ignores order and name case, not values', () => {
    expect(
      sameQuery(
        [
          ['page', '2'],
          ['pageSize', '5'],
        ],
        [
          ['PageSize', '5'],
          ['page', '2'],
        ],
      ),
    ).toBe(true);
    expect(sameQuery([['page', '2']], [['page', '3']])).toBe(false);
  });
});
