import { describe, expect, it } from 'vitest';

import { ManageConfigError } from './errors.js';
import type { FetchedPage } from './manage-list.js';
import { ManageList } from './manage-list.js';

/** A list of `pages` pages of three numbers each, recording which pages were fetched. */
function numbers(
  pages: number,
  lastLinksOn = false,
): { list: ManageList<number>; fetched: string[] } {
  const fetched: string[] = [];
  const list = new ManageList<number>((cursor): Promise<FetchedPage<number>> => {
    const page = Number(cursor?.get('page') ?? '1');
    fetched.push(String(page));
    const records = page > pages ? [] : [3 * page - 2, 3 * page - 1, 3 * page];
    const linksOn = page < pages || lastLinksOn;
    return Promise.resolve({
      records,
      next: linksOn ? new URLSearchParams({ page: String(page + 1) }) : undefined,
    });
  });
  return { list, fetched };
}

describe('ManageList', () => {
  it('yields every record across pages, following the next cursor', async () => {
    const { list, fetched } = numbers(3);
    expect(await list.toArray()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fetched).toEqual(['1', '2', '3']);
  });

  it('fetches a page only when the previous one is used up', async () => {
    const { list, fetched } = numbers(5);
    const seen: number[] = [];
    for await (const n of list) {
      seen.push(n);
      expect(fetched).toHaveLength(Math.ceil(n / 3));
      if (n === 4) break;
    }
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(fetched).toEqual(['1', '2']);
  });

  it('stops at an empty page even when it links onwards', async () => {
    const { list, fetched } = numbers(2, true);
    expect(await list.toArray()).toHaveLength(6);
    expect(fetched).toEqual(['1', '2', '3']);
  });

  it('yields whole pages from pages()', async () => {
    const pages: (readonly number[])[] = [];
    for await (const page of numbers(2).list.pages()) pages.push(page);
    expect(pages).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
  });

  it('refuses to gather more than maxRecords into an array', async () => {
    await expect(numbers(4).list.toArray({ maxRecords: 10 })).rejects.toThrow(ManageConfigError);
    await expect(numbers(4).list.toArray({ maxRecords: 12 })).resolves.toHaveLength(12);
  });

  it('starts again at the first page on each iteration', async () => {
    const { list, fetched } = numbers(1);
    await list.toArray();
    await list.toArray();
    expect(fetched).toEqual(['1', '1']);
  });
});
