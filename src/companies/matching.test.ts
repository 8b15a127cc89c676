import { describe, expect, it } from 'vitest';

import type { Company } from '../connectwise/models.js';
import { boundedEditDistance } from './edit-distance.js';
import {
  buildCompanyIndex,
  matchCompany,
  typoEditLimit,
  type CompanyMatch,
  type MatchableCompany,
} from './matching.js';
import { compactCompanyName } from './normalize-name.js';

let nextId = 1;
function company(identifier: string, name: string, deletedFlag?: boolean): MatchableCompany {
  return deletedFlag === undefined
    ? { id: nextId++, identifier, name }
    : { id: nextId++, identifier, name, deletedFlag };
}

/** The identifiers of the candidates, or of the company for an exact match. */
function idsOf(result: CompanyMatch<MatchableCompany>): string[] {
  if (result.kind === 'exact') return [result.company.identifier];
  if (result.kind === 'none') return [];
  return result.candidates.map((c) => c.company.identifier);
}

// Distractors that share words with the companies under test but are other companies.
const DISTRACTORS = [
  company('ACE', 'Ace Hardware'),
  company('ACMELABS', 'Acme Laboratories'),
  company('GLOBEX', 'Globex Corporation'),
  company('INITECH', 'Initech'),
  company('UMBRELLA', 'Umbrella Corp'),
  company('WAYNEFOODS', 'Wayne Foods'),
];

describe('matchCompany: the Company ID rule', () => {
  const acme = company('ACME', 'Acme Corporation');
  const companies = [acme, ...DISTRACTORS];

  it('matches a live company whose identifier equals the name exactly', () => {
    expect(matchCompany('ACME', companies)).toEqual({ kind: 'exact', company: acme });
  });

  it('compares case-sensitively, as ConnectWise compares ids, and only suggests otherwise', () => {
    const result = matchCompany('Acme', companies);
    expect(result.kind).toBe('suggested');
    expect(result.kind === 'suggested' && result.candidates[0]).toEqual({
      company: acme,
      reason: 'identifier-ignoring-case',
      score: 0.97,
    });
  });

  it('prefers the live company when a deleted one shares its identifier', () => {
    const deleted = company('ACME', 'Acme (old)', true);
    expect(matchCompany('ACME', [deleted, ...companies])).toEqual({ kind: 'exact', company: acme });
  });

  it('reports a deleted company with the exact identifier as a deleted twin', () => {
    const deleted = company('HOOLI', 'Hooli', true);
    expect(matchCompany('HOOLI', [deleted, ...companies])).toEqual({
      kind: 'none',
      deletedTwin: deleted,
    });
  });

  it('reports the deleted twin beside suggestions among live companies', () => {
    const deleted = company('Hooli', 'Hooli', true);
    const live = company('HOOLI-XYZ', 'Hooli XYZ');
    const renamed = company('HOOLIINC', 'Hooli, Inc.');
    const result = matchCompany('Hooli', [deleted, live, renamed, ...companies]);
    expect(result).toMatchObject({ kind: 'suggested', deletedTwin: deleted });
    expect(idsOf(result)).toEqual(['HOOLIINC']);
  });

  it('never suggests a deleted company', () => {
    const deleted = company('STARK', 'Stark Industries', true);
    expect(matchCompany('Stark Industries', [deleted, ...companies])).toEqual({ kind: 'none' });
  });

  it('does not decide between live companies that share an identifier', () => {
    const twin = company('ACME', 'Acme Holdings');
    const result = matchCompany('ACME', [twin, ...companies]);
    expect(result.kind).toBe('ambiguous');
    expect(result.kind === 'ambiguous' && result.candidates.map((c) => c.company)).toEqual([
      twin,
      acme,
    ]);
  });

  it('accepts the Company model of the ConnectWise client as it is', () => {
    const cwCompany: Company = {
      id: 250,
      identifier: 'ExampleCommunications',
      name: 'Example Company',
      deletedFlag: false,
    };
    expect(matchCompany('ExampleCommunications', [cwCompany])).toEqual({
      kind: 'exact',
      company: cwCompany,
    });
  });
});

describe('matchCompany: suggestions', () => {
  it.each([
    ['case', 'acme', 'ACME', 'Acme Corporation'],
    ['a legal form on the console side', 'Acme Inc.', 'ACME', 'Acme Corporation'],
    ['a legal form on the ConnectWise side', 'Contoso', 'CONTOSO-LTD', 'Contoso Ltd'],
    ['legal forms on both sides', 'Acme, LLC', 'ACMECORP', 'Acme Corp.'],
    [
      'the name when the identifier is short',
      'Wayne Enterprises',
      'WAYNE',
      'Wayne Enterprises, Inc.',
    ],
    ['punctuation', 'Dunder-Mifflin', 'DM', 'Dunder Mifflin'],
    ['accents', 'Muller Sohne', 'MUELLER', 'Müller Söhne GmbH'],
    ['& for and', 'Smith and Wesson', 'SW', 'Smith & Wesson'],
    ['extra spaces', '  Pied   Piper  ', 'PP', 'Pied Piper'],
    ['a glued identifier', 'Pied Piper', 'PiedPiper', 'PP Holdings'],
    ['a leading "the"', 'Daily Planet', 'PLANET', 'The Daily Planet'],
    ['one typo in a long name', 'Vandelay Industires', 'VANDELAY', 'Vandelay Industries'],
    ['a typo against a glued identifier', 'Vandelay Industires', 'VANDELAYINDUSTRIES', 'V'],
    ['typos in two words', 'Vandelai Industires', 'VANDELAY', 'Vandelay Industries'],
    ['a swap of neighbours', 'Contsoo Pharma', 'CONTOSO', 'Contoso Pharma'],
    ['a missing letter', 'Fabrikam', 'FABRIKAM', 'Fabrikm'],
  ])('finds a company despite %s', (_what, consoleName, identifier, name) => {
    const expected = company(identifier, name);
    const result = matchCompany(consoleName, [...DISTRACTORS, expected]);
    expect(result.kind).toBe('suggested');
    expect(result.kind === 'suggested' && result.candidates[0]?.company).toBe(expected);
  });

  it('gives the reason and score of each kind of evidence', () => {
    const companies = [
      company('ACME', 'Acme Corporation'),
      company('GLOBEX', 'Globex Inc.'),
      company('INITRODE', 'Initrode Systems'),
    ];
    const index = buildCompanyIndex(companies);
    const first = (name: string): unknown => {
      const result = index.match(name);
      return result.kind === 'suggested' ? result.candidates[0] : result;
    };
    expect(first('acme')).toMatchObject({ reason: 'identifier-ignoring-case', score: 0.97 });
    expect(first('Acme Ltd')).toMatchObject({ reason: 'identifier-normalized', score: 0.9 });
    expect(first('Globex Inc')).toMatchObject({ reason: 'identifier-normalized', score: 0.9 });
    expect(first('Initrode Systems Inc')).toMatchObject({ reason: 'name-normalized', score: 0.9 });
    // `initrodesystms` is one edit from the 15 characters of `initrodesystems`.
    expect(first('Initrode Systms')).toMatchObject({ reason: 'similar-name', score: 0.793 });
  });

  it('lists weaker alternatives after the suggestion, best first', () => {
    const exactCase = company('GLOBEX', 'Globex Holdings');
    const normalized = company('GLBX', 'Globex Inc.');
    const typo = company('GLOBEXX', 'Gx');
    const result = matchCompany('Globex', [typo, normalized, exactCase]);
    expect(result.kind).toBe('suggested');
    expect(
      result.kind === 'suggested' && result.candidates.map((c) => [c.company, c.reason]),
    ).toEqual([
      [exactCase, 'identifier-ignoring-case'],
      [normalized, 'name-normalized'],
      [typo, 'similar-identifier'],
    ]);
  });

  it('returns at most maxCandidates candidates', () => {
    const companies = Array.from({ length: 8 }, (_, i) => company(`ACME${i}`, 'Acme'));
    const result = matchCompany('Acme', companies, { maxCandidates: 3 });
    expect(result.kind === 'ambiguous' && result.candidates).toHaveLength(3);
  });
});

describe('matchCompany: never a single suggestion among equals', () => {
  it('returns every company whose name normalises the same as ambiguous', () => {
    const a = company('ACME1', 'Acme, Inc.');
    const b = company('ACME2', 'ACME LLC');
    const result = matchCompany('Acme', [a, b, ...DISTRACTORS]);
    expect(result.kind).toBe('ambiguous');
    expect(result.kind === 'ambiguous' && new Set(result.candidates.map((c) => c.company))).toEqual(
      new Set([a, b]),
    );
  });

  it('counts an identifier and a name that both normalise to the console name as equals', () => {
    const byIdentifier = company('Initech-Inc', 'Something Else');
    const byName = company('INI2', 'Initech Incorporated');
    expect(matchCompany('Initech', [byIdentifier, byName]).kind).toBe('ambiguous');
  });

  it('counts two companies one typo away as equals', () => {
    const result = matchCompany('Contosa Labs', [
      company('CL1', 'Contoso Labs'),
      company('CL2', 'Contosb Labs'),
    ]);
    expect(result.kind).toBe('ambiguous');
    expect(idsOf(result).sort()).toEqual(['CL1', 'CL2']);
  });

  it('counts the same identifier in two cases as equals', () => {
    expect(matchCompany('acme', [company('ACME', 'A'), company('Acme', 'B')]).kind).toBe(
      'ambiguous',
    );
  });
});

describe('matchCompany: nothing on weak evidence', () => {
  it.each([
    ['ACE', 'ACME', 'Acme'],
    ['ACME', 'ACE', 'Ace Hardware'],
    ['Acme', 'AMCE', 'Amce'],
    ['Acme', 'ACMEMFG', 'Acme Manufacturing Group'],
    ['Globex', 'GLOBAL', 'Global'],
    ['Store 12', 'STORE13', 'Store 13'],
    ['Initech', 'INITROD', 'Initrode'],
    ['Northwind Traders', 'SOUTHWIND', 'Southwind Traders'],
    ['Northwind Traders', 'SOUTHWINDTRADERS', 'S'],
    ['Acme US', 'ACMEUK', 'Acme UK'],
    ['Bright Dental', 'WRIGHT', 'Wright Dental'],
    ['Dental Care Plus', 'DCP', 'Dental Care Pros'],
    ['', 'EMPTY', 'Empty'],
    ['!!!', 'BANG', '!!!'],
  ])('%s is not suggested as %s (%s)', (consoleName, identifier, name) => {
    expect(matchCompany(consoleName, [company(identifier, name)])).toEqual({ kind: 'none' });
  });
});

describe('buildCompanyIndex', () => {
  it('reports its size, deleted companies included', () => {
    const index = buildCompanyIndex([company('A', 'A'), company('B', 'B', true)]);
    expect(index.size).toBe(2);
  });

  it('finds every typo match a scan of all companies finds', () => {
    // A small alphabet makes many names a few edits apart, the case the trigram filter must not
    // lose. The scan below is the definition; the index must agree with it exactly.
    let seed = 11;
    const next = (): number => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const word = (length: number): string =>
      Array.from({ length }, () => 'abcde'.charAt(Math.floor(next() * 5))).join('');
    const companies = Array.from({ length: 600 }, (_, i) =>
      company(`ID${i}`, `${word(3 + Math.floor(next() * 14))}`),
    );
    const index = buildCompanyIndex(companies, { maxCandidates: Infinity });
    // Up to three random slips: a swap, an insertion, a deletion or a substitution each.
    const misspell = (name: string): string => {
      let text = name;
      for (let slips = Math.floor(next() * 4); slips > 0; slips--) {
        const at = Math.floor(next() * text.length);
        const [before, here, after] = [text.slice(0, at), text.charAt(at), text.slice(at + 1)];
        text = [
          before + after.charAt(0) + here + after.slice(1),
          before + word(1) + here + after,
          before + after,
          before + word(1) + after,
        ][Math.floor(next() * 4)] as string;
      }
      return text;
    };
    let matched = 0;

    for (let i = 0; i < 400; i++) {
      const query =
        i % 2 === 0 ? word(3 + Math.floor(next() * 14)) : misspell(companies[i]?.name ?? '');
      const expected = new Map<number, number>();
      for (const c of companies) {
        const key = compactCompanyName(c.name);
        const length = Math.max(key.length, query.length);
        const limit = typoEditLimit(length);
        const edits = boundedEditDistance(query, key, limit);
        if (key !== query && limit > 0 && edits <= limit && key[0] === query[0]) {
          expected.set(c.id, Math.round(0.85 * (1 - edits / length) * 1000) / 1000);
        } else if (key === query) {
          expected.set(c.id, 0.9);
        }
      }
      const result = index.match(query);
      const found = new Map(
        result.kind === 'suggested' || result.kind === 'ambiguous'
          ? result.candidates.map((c) => [c.company.id, c.score] as const)
          : [],
      );
      if (result.kind === 'ambiguous') {
        // Ambiguous answers carry only the tied best; compare those.
        const best = Math.max(...expected.values());
        for (const [id, score] of expected) if (score < best) expected.delete(id);
      }
      expect(found).toEqual(expected);
      if (found.size > 0) matched++;
    }
    expect(matched).toBeGreaterThan(100);
  });
});
