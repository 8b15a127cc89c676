// 2,000 console names against 20,000 ConnectWise companies, the size of a large MSP. Nothing here
// is timed (speed belongs in benchmarks); the test shows the index completes at this size and
// still finds the right company for each kind of misspelling.
import { describe, expect, it } from 'vitest';

import { buildCompanyIndex, type MatchableCompany } from './matching.js';
import { compactCompanyName } from './normalize-name.js';

const INDUSTRIES = ['Dental', 'Plumbing', 'Logistics', 'Accounting', 'Law', 'Clinic', 'Builders'];
const SUFFIXES = ['Inc.', 'LLC', 'Ltd', 'GmbH', 'Corp.', 'S.A.', 'AG', 'Co.'];
const CONSONANTS = 'bcdfghjklmnprstvwz';
const VOWELS = 'aeiou';

function generator(seed: number) {
  let state = seed;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const letter = (letters: string): string => letters.charAt(Math.floor(next() * letters.length));
  const word = (): string => {
    let text = '';
    for (let i = 2 + Math.floor(next() * 3); i > 0; i--) {
      text += letter(CONSONANTS) + letter(VOWELS);
    }
    return text.charAt(0).toUpperCase() + text.slice(1);
  };
  return { next, pick, word };
}

type Variant = 'exact' | 'case' | 'legal-form' | 'typo';

describe('buildCompanyIndex at scale', () => {
  it('matches 2,000 console names against 20,000 companies', () => {
    const { next, pick, word } = generator(2026);

    // Companies with distinct normalised names, so every expected answer is unambiguous.
    const seen = new Set<string>();
    const companies: MatchableCompany[] = [];
    while (companies.length < 20_000) {
      const core = next() < 0.5 ? word() : `${word()} ${word()}`;
      const name = `${core} ${pick(INDUSTRIES)} ${pick(SUFFIXES)}`.trim();
      const identifier = core.replace(/ /g, '').toUpperCase().slice(0, 30);
      if (seen.has(compactCompanyName(name)) || seen.has(compactCompanyName(identifier))) continue;
      seen.add(compactCompanyName(name));
      seen.add(compactCompanyName(identifier));
      companies.push({ id: companies.length + 1, identifier, name, deletedFlag: next() < 0.02 });
    }
    const live = companies.filter((c) => c.deletedFlag !== true);

    // Console names derived from every tenth live company, in four kinds of spelling.
    const queries: { name: string; expected: MatchableCompany; variant: Variant }[] = [];
    for (let i = 0; queries.length < 2_000; i += 10) {
      const expected = live[i % live.length] as MatchableCompany;
      const variant = (['exact', 'case', 'legal-form', 'typo'] as const)[queries.length % 4];
      if (variant === 'exact') queries.push({ name: expected.identifier, expected, variant });
      if (variant === 'case') {
        queries.push({ name: expected.identifier.toLowerCase(), expected, variant });
      }
      if (variant === 'legal-form') {
        const core = expected.name.split(' ').slice(0, -1).join(' ');
        queries.push({ name: `The ${core.toUpperCase()}, L.L.C.`, expected, variant });
      }
      if (variant === 'typo') {
        // Double a letter inside the longest word of the company's own name (not its industry or
        // legal form), away from its first letter; a word under six letters takes no typos.
        const longest = expected.name
          .split(' ')
          .slice(0, -2)
          .reduce((a, b) => (b.length > a.length ? b : a), '');
        if (longest.length < 5) continue;
        const at = 2 + Math.floor(next() * (longest.length - 2));
        const slipped = longest.slice(0, at) + longest.charAt(at - 1) + longest.slice(at);
        queries.push({ name: expected.name.replace(longest, slipped), expected, variant });
      }
    }

    const index = buildCompanyIndex(companies);
    const misses: string[] = [];
    for (const { name, expected, variant } of queries) {
      const result = index.match(name);
      const found =
        result.kind === 'exact'
          ? result.company
          : result.kind === 'suggested'
            ? result.candidates[0]?.company
            : undefined;
      const kindOk = variant === 'exact' ? result.kind === 'exact' : result.kind === 'suggested';
      if (!kindOk || found !== expected) misses.push(`${variant} ${name} → ${result.kind}`);
    }
    expect(index.size).toBe(20_000);
    expect(misses).toEqual([]);
  });
});
