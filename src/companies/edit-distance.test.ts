import { describe, expect, it } from 'vitest';

import { boundedEditDistance } from './edit-distance.js';

/** The textbook table, unbounded, as the reference to check the bounded one against. */
function referenceDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      (d[i] as number[])[j] = value;
    }
  }
  return at(a.length, b.length);
}

describe('boundedEditDistance', () => {
  it.each([
    ['contoso', 'contoso', 0],
    ['contoso', 'contosso', 1],
    ['contoso', 'contsoo', 1],
    ['contoso', 'kontoso', 1],
    ['acme', 'ace', 1],
    ['', 'abc', 3],
    ['fabrikam', 'fabirkma', 2],
  ])('counts %s → %s as %i edits', (a, b, expected) => {
    expect(boundedEditDistance(a, b, 5)).toBe(expected);
    expect(boundedEditDistance(b, a, 5)).toBe(expected);
  });

  it('answers max + 1 once the distance exceeds max', () => {
    expect(boundedEditDistance('acme', 'globex', 2)).toBe(3);
    expect(boundedEditDistance('a', 'abcdefgh', 1)).toBe(2);
    expect(boundedEditDistance('abcdef', 'badcfe', 2)).toBe(3);
  });

  it('agrees with the full table on random strings, within and beyond the bound', () => {
    let seed = 7;
    const next = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const word = (): string =>
      Array.from({ length: Math.floor(next() * 9) }, () =>
        'abc'.charAt(Math.floor(next() * 3)),
      ).join('');
    for (let i = 0; i < 3000; i++) {
      const [a, b, max] = [word(), word(), Math.floor(next() * 4)];
      expect(boundedEditDistance(a, b, max)).toBe(Math.min(referenceDistance(a, b), max + 1));
    }
  });
});
