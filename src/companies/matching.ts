/**
 * Which ConnectWise company a backup console's company name means.
 *
 * The integration page's rule is exact: the console's company name equals the ConnectWise
 * *Company ID* (the company's `identifier`), compared case-sensitively as ConnectWise compares
 * ids. That rule decides on its own when it finds a live company. Otherwise this module suggests
 * companies whose identifier or name is the same after normalisation, or differs by a typo, for an
 * administrator to confirm. It never picks between equally good candidates: those come back as
 * `ambiguous`, because a ticket on the wrong customer's board is worse than no ticket.
 *
 * Scores, highest first, and what each means:
 * - 1     `identifier`: the identifier equals the name exactly (only ever `exact`, or `ambiguous`
 *         when several live companies share the identifier).
 * - 0.97  `identifier-ignoring-case`: equal once case and surrounding spaces are ignored.
 * - 0.9   `identifier-normalized` / `name-normalized`: equal after `compactCompanyName`.
 * - <0.85 `similar-identifier` / `similar-name`: within a few edits of the normalised form
 *         (see `typoEditLimit` and `isTypo`), `0.85 × (1 − edits / length)`, rounded to three
 *         decimals.
 *
 * Soft-deleted companies (`deletedFlag: true`; ConnectWise still lists them, see the reference
 * §3.3) are never matched or suggested; an exact match among them is reported as `deletedTwin`.
 */
import { boundedEditDistance } from './edit-distance.js';
import { companyNameWords } from './normalize-name.js';

/** The fields of a ConnectWise company that matching reads; `Company` of the models fits. */
export interface MatchableCompany {
  id: number;
  /** The Company ID of the ConnectWise UI. */
  identifier: string;
  name: string;
  deletedFlag?: boolean | null | undefined;
}

export type MatchReason =
  | 'identifier'
  | 'identifier-ignoring-case'
  | 'identifier-normalized'
  | 'name-normalized'
  | 'similar-identifier'
  | 'similar-name';

export interface CompanyCandidate<T extends MatchableCompany> {
  company: T;
  reason: MatchReason;
  /** 0–1; see the module comment for what each band means. */
  score: number;
}

export type CompanyMatch<T extends MatchableCompany> =
  /** A live company's identifier equals the console name exactly: use it. */
  | { kind: 'exact'; company: T }
  /** One best candidate (first), then weaker alternatives; an administrator should confirm. */
  | { kind: 'suggested'; candidates: CompanyCandidate<T>[]; deletedTwin?: T }
  /** Two or more candidates are equally good; all of them, for an administrator to choose. */
  | { kind: 'ambiguous'; candidates: CompanyCandidate<T>[]; deletedTwin?: T }
  /** Nothing close enough to suggest. */
  | { kind: 'none'; deletedTwin?: T };

export interface CompanyIndexOptions {
  /** Candidates returned at most, by `suggested` and `ambiguous` alike. Default 5. */
  maxCandidates?: number;
}

export interface CompanyIndex<T extends MatchableCompany> {
  /** Matches one console company name; see `CompanyMatch`. */
  match(consoleName: string): CompanyMatch<T>;
  /** How many companies the index was built from, deleted ones included. */
  readonly size: number;
}

const SCORE_IGNORING_CASE = 0.97;
const SCORE_NORMALIZED = 0.9;
const SCORE_SIMILAR = 0.85;

/**
 * Edits two normalised names may differ by and still be suggested as one company, by the length
 * of the longer: none below 6 characters (`ace` is one edit from `acme` and another company, not
 * a slip of the keyboard), 1 below 10, 2 below 16, then 3.
 */
export function typoEditLimit(length: number): number {
  if (length < 6) return 0;
  if (length < 10) return 1;
  if (length < 16) return 2;
  return 3;
}

// Trigrams of `^^name$$`: a name of n characters has n + 2 of them, and one edit (a swap of
// neighbours included) changes at most 4, so names within k edits share at least
// max(n, m) + 2 − 4k trigrams. Counting shared trigrams through an inverted index finds the
// few names worth an edit-distance check without comparing against every company.
function trigramKeys(text: string): string[] {
  const padded = `^^${text}$$`;
  const seen = new Map<string, number>();
  const keys: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) {
    const gram = padded.slice(i, i + 3);
    const occurrence = (seen.get(gram) ?? 0) + 1;
    seen.set(gram, occurrence);
    // Numbering repeats makes the count a multiset intersection, which the bound is about.
    keys.push(occurrence === 1 ? gram : `${gram}#${occurrence}`);
  }
  return keys;
}

const digitsOf = (text: string): string => text.replace(/\D+/g, '');
const round = (score: number): number => Math.round(score * 1000) / 1000;

interface KeyOwner<T> {
  company: T;
  field: 'identifier' | 'name';
  /** The normalised words the key was joined from. */
  words: readonly string[];
}

/**
 * Whether two names a few edits apart are one company misspelt rather than two companies. A typo
 * is a slip inside a word long enough that the slip does not make another word, and it leaves
 * the word's first letter alone: `Contsoo Pharma` is `Contoso Pharma`, but `Acme US` is not
 * `Acme UK`, `Bright Dental` is not `Wright Dental`, and `Northwind` is not `Southwind`.
 */
function isTypo(
  a: readonly string[],
  b: readonly string[],
  compactEdits: number,
  length: number,
): boolean {
  if (a.length !== b.length) {
    // Words glued or split differently (`VANDELAYINDUSTRIES`) leave no boundaries to check
    // against: one slip in a long name, with the first letter unchanged, is all that passes.
    return compactEdits === 1 && length >= 8 && a[0]?.[0] === b[0]?.[0];
  }
  let total = 0;
  for (const [i, wordA] of a.entries()) {
    const wordB = b[i] ?? '';
    if (wordA === wordB) continue;
    if (wordA[0] !== wordB[0]) return false;
    const limit = typoEditLimit(Math.max(wordA.length, wordB.length));
    const edits = boundedEditDistance(wordA, wordB, limit);
    if (edits > limit) return false;
    total += edits;
  }
  return total <= typoEditLimit(length);
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Builds a matcher over ConnectWise companies. Building costs one pass over the companies; each
 * match then looks up hash maps, and checks the edit distance only of names with the same first
 * letter, a near length and enough shared trigrams, so matching thousands of console names
 * against tens of thousands of companies stays fast.
 *
 * @example
 * const index = buildCompanyIndex(companies);
 * const result = index.match('Acme Inc.');
 * if (result.kind === 'suggested') console.log(result.candidates[0]?.company.identifier);
 */
export function buildCompanyIndex<T extends MatchableCompany>(
  companies: readonly T[],
  options: CompanyIndexOptions = {},
): CompanyIndex<T> {
  const maxCandidates = Math.max(1, options.maxCandidates ?? 5);

  // Exact identifiers (deleted companies too, to report twins); the rest holds live ones only.
  const byIdentifier = new Map<string, T[]>();
  const byFoldedIdentifier = new Map<string, T[]>();
  const keyIds = new Map<string, number>();
  const keys: string[] = [];
  const keyDigits: string[] = [];
  const owners: KeyOwner<T>[][] = [];
  // Trigram postings per bucket of names with the same first character and length: a typo
  // keeps the first letter (see `isTypo`), and a length outside the edit limit cannot match, so
  // a query reads only a few small buckets instead of postings that span every company.
  const buckets = new Map<string, Map<string, number[]>>();

  const addKey = (key: string, owner: KeyOwner<T>): void => {
    if (key === '') return;
    let id = keyIds.get(key);
    if (id === undefined) {
      id = keys.length;
      keyIds.set(key, id);
      keys.push(key);
      keyDigits.push(digitsOf(key));
      owners.push([]);
      const bucketKey = `${key.length}:${key.charAt(0)}`;
      let bucket = buckets.get(bucketKey);
      if (!bucket) buckets.set(bucketKey, (bucket = new Map<string, number[]>()));
      for (const gram of trigramKeys(key)) push(bucket, gram, id);
    }
    owners[id]?.push(owner);
  };

  for (const company of companies) {
    push(byIdentifier, company.identifier, company);
    if (company.deletedFlag === true) continue;
    push(byFoldedIdentifier, company.identifier.trim().toLowerCase(), company);
    for (const field of ['identifier', 'name'] as const) {
      const words = companyNameWords(company[field]);
      addKey(words.join(''), { company, field, words });
    }
  }

  // Scratch space for counting shared trigrams, reused by every match.
  const shared = new Uint32Array(keys.length);

  function similarKeys(query: string): { id: number; edits: number; length: number }[] {
    const found: { id: number; edits: number; length: number }[] = [];
    const grams = trigramKeys(query);
    const queryDigits = digitsOf(query);

    for (
      let keyLength = Math.max(1, query.length - 3);
      keyLength <= query.length + 3;
      keyLength++
    ) {
      const length = Math.max(query.length, keyLength);
      const allowed = typoEditLimit(length);
      if (allowed === 0 || Math.abs(query.length - keyLength) > allowed) continue;
      const bucket = buckets.get(`${keyLength}:${query.charAt(0)}`);
      if (!bucket) continue;

      // Count shared trigrams per name of the bucket.
      const touched: number[] = [];
      for (const gram of grams) {
        for (const id of bucket.get(gram) ?? []) {
          if (shared[id] === 0) touched.push(id);
          shared[id] = (shared[id] ?? 0) + 1;
        }
      }

      // Check the edit distance of the names with enough of them.
      for (const id of touched) {
        const enough =
          (shared[id] ?? 0) >= length + 2 - 4 * allowed &&
          keys[id] !== query &&
          // `Store 12` and `Store 13` are one edit apart and two different shops.
          keyDigits[id] === queryDigits;
        shared[id] = 0;
        if (!enough) continue;
        const edits = boundedEditDistance(query, keys[id] ?? '', allowed);
        if (edits <= allowed) found.push({ id, edits, length });
      }
    }
    return found;
  }

  function match(consoleName: string): CompanyMatch<T> {
    // The integration page's rule, case-sensitive as ConnectWise compares ids.
    const sameId = byIdentifier.get(consoleName) ?? [];
    const live = sameId.filter((company) => company.deletedFlag !== true);
    if (live.length === 1 && live[0]) return { kind: 'exact', company: live[0] };
    if (live.length > 1) {
      const candidates = live.map((company) => ({
        company,
        reason: 'identifier' as const,
        score: 1,
      }));
      return { kind: 'ambiguous', candidates: candidates.slice(0, maxCandidates) };
    }
    const deletedTwin = sameId[0];

    // The best candidate per company, from the strongest evidence down.
    const best = new Map<T, CompanyCandidate<T>>();
    const offer = (company: T, reason: MatchReason, score: number): void => {
      const known = best.get(company);
      if (!known || score > known.score) best.set(company, { company, reason, score });
    };
    for (const company of byFoldedIdentifier.get(consoleName.trim().toLowerCase()) ?? []) {
      offer(company, 'identifier-ignoring-case', SCORE_IGNORING_CASE);
    }
    const queryWords = companyNameWords(consoleName);
    const query = queryWords.join('');
    const queryId = keyIds.get(query);
    for (const { company, field } of queryId === undefined ? [] : (owners[queryId] ?? [])) {
      offer(
        company,
        field === 'identifier' ? 'identifier-normalized' : 'name-normalized',
        SCORE_NORMALIZED,
      );
    }
    if (query !== '') {
      for (const { id, edits, length } of similarKeys(query)) {
        const score = round(SCORE_SIMILAR * (1 - edits / length));
        for (const { company, field, words } of owners[id] ?? []) {
          if (!isTypo(queryWords, words, edits, length)) continue;
          offer(company, field === 'identifier' ? 'similar-identifier' : 'similar-name', score);
        }
      }
    }

    // Rank; a tie at the top is an administrator's decision, never ours.
    const ranked = [...best.values()].sort(
      (a, b) =>
        b.score - a.score ||
        (a.company.name < b.company.name ? -1 : a.company.name > b.company.name ? 1 : 0) ||
        a.company.id - b.company.id,
    );
    const top = ranked[0];
    const twin = deletedTwin === undefined ? {} : { deletedTwin };
    if (!top) return { kind: 'none', ...twin };
    const tied = ranked.filter((candidate) => candidate.score === top.score);
    if (tied.length > 1) {
      return { kind: 'ambiguous', candidates: tied.slice(0, maxCandidates), ...twin };
    }
    return { kind: 'suggested', candidates: ranked.slice(0, maxCandidates), ...twin };
  }

  return { match, size: companies.length };
}

/**
 * Matches one console company name against ConnectWise companies. Builds an index each call: to
 * match many names, build one with `buildCompanyIndex` and call its `match`.
 *
 * @example
 * matchCompany('ACME', [{ id: 1, identifier: 'ACME', name: 'Acme, Inc.' }]);
 * // { kind: 'exact', company: { id: 1, identifier: 'ACME', name: 'Acme, Inc.' } }
 */
export function matchCompany<T extends MatchableCompany>(
  consoleName: string,
  companies: readonly T[],
  options: CompanyIndexOptions = {},
): CompanyMatch<T> {
  return buildCompanyIndex(companies, options).match(consoleName);
}
