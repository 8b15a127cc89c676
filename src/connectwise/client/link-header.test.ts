import { describe, expect, it } from 'vitest';

import { nextLink, parseLinkHeader } from './link-header.js';

describe('parseLinkHeader', () => {
  it("reads the relations of ConnectWise's documented example", () => {
    const header =
      '<https://staging.connectwisedev.com/v2017_3/apis/3.0/company/companies?pageSize=50&page=2>; rel="next", ' +
      '<https://staging.connectwisedev.com/v2017_3/apis/3.0/company/companies?pageSize=50&page=4>; rel="last"';
    expect(parseLinkHeader(header)).toEqual({
      next: 'https://staging.connectwisedev.com/v2017_3/apis/3.0/company/companies?pageSize=50&page=2',
      last: 'https://staging.connectwisedev.com/v2017_3/apis/3.0/company/companies?pageSize=50&page=4',
    });
  });

  it('keeps commas inside a URL (an unencoded in-list) within that link', () => {
    const header =
      '<https://h/x?conditions=id in (1,2,3)&page=2>; rel="next", <https://h/x?page=1>; rel="first"';
    expect(parseLinkHeader(header)).toEqual({
      next: 'https://h/x?conditions=id in (1,2,3)&page=2',
      first: 'https://h/x?page=1',
    });
  });

  it('accepts unquoted and upper-case relations, extra parameters and several relations per link', () => {
    const header =
      '<https://h/a?page=3>; title="Page, three"; REL=Next, <https://h/a?page=3>; rel="last prev"';
    expect(parseLinkHeader(header)).toEqual({
      next: 'https://h/a?page=3',
      last: 'https://h/a?page=3',
      prev: 'https://h/a?page=3',
    });
  });

  it('keeps the first link of a relation that appears twice', () => {
    expect(parseLinkHeader('<a?page=2>; rel="next", <a?page=9>; rel="next"').next).toBe('a?page=2');
  });

  it('returns nothing for a missing, empty or malformed header', () => {
    expect(parseLinkHeader(null)).toEqual({});
    expect(parseLinkHeader('')).toEqual({});
    expect(parseLinkHeader('https://h/x; rel="next"')).toEqual({});
  });
});

describe('nextLink', () => {
  it('gives the next URL, or undefined on the last page', () => {
    expect(nextLink('<https://h/x?page=2>; rel="next", <https://h/x?page=2>; rel="last"')).toBe(
      'https://h/x?page=2',
    );
    expect(
      nextLink('<https://h/x?page=1>; rel="first", <https://h/x?page=1>; rel="prev"'),
    ).toBeUndefined();
    expect(nextLink('<>; rel="next"')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
  });
});
