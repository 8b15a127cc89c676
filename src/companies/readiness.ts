/**
 * Readiness: for each console company, whether a ticket could be made for it now, and if not,
 * every reason with its fix. Pure functions over a console company and the account's
 * {@link CompanyDirectory}; `listReadiness` adds the reads and the filtering.
 *
 * A company is ready when it is matched (exact Company ID, a manual mapping or a confirmed
 * suggestion) to a live ConnectWise company that is active, has a contact, and its ticketing
 * switch is on. Suggestions are only ever shown, never applied.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import type { SyncedCompany } from './cw-companies.js';
import { loadCompanyDirectory, type CompanyDirectory } from './directory.js';
import type { MatchReason } from './matching.js';
import { companyProblems, type CompanyProblem } from './problems.js';
import { listConsoleCompanies, type ConsoleCompany } from './registry.js';

/**
 * How a console company maps to ConnectWise: `exact` (the integration page's rule), `manual`,
 * `suggestion` (confirmed), or why not: `unmatched`, `ambiguous` (several live companies share
 * the Company ID), `missing` (the mapped company is gone), `not_synced`.
 */
export type MappingState =
  'exact' | 'manual' | 'suggestion' | 'unmatched' | 'ambiguous' | 'missing' | 'not_synced';

/** A suggested ConnectWise company for an unmatched console company. */
export interface CompanySuggestion {
  readonly cwCompanyId: number;
  readonly identifier: string;
  readonly name: string;
  readonly reason: MatchReason;
  /** 0–1; see `matching.ts`. */
  readonly score: number;
}

/** Everything readiness says about one console company. */
export interface CompanyReadiness {
  readonly company: ConsoleCompany;
  readonly mapping: { readonly state: MappingState; readonly cwCompanyId: number | null };
  /** The ConnectWise company tickets would go to, when matched. */
  readonly cwCompany: SyncedCompany | null;
  /** Candidates for an unmatched (or ambiguous) company, best first; never applied by itself. */
  readonly suggestions: readonly CompanySuggestion[];
  /** True when the best suggestions are equally good, so none is offered as "the" match. */
  readonly suggestionsAmbiguous: boolean;
  /** Soft-deleted ConnectWise companies with the console name (or the match's) as Company ID. */
  readonly deletedTwins: readonly SyncedCompany[];
  readonly problems: readonly CompanyProblem[];
  /** True when a ticket could be made now: no problems. */
  readonly ready: boolean;
}

/** Options of {@link targetProblems}. */
export interface TargetCheckOptions {
  /** The integration page's rule 2: a company needs a contact. Default true. */
  readonly requireContact?: boolean;
}

/**
 * What stops tickets for a matched ConnectWise company: deleted, inactive (rule 3), a status that
 * disallows saving, no contact (rule 2).
 */
export function targetProblems(
  cw: SyncedCompany,
  options: TargetCheckOptions = {},
): CompanyProblem[] {
  const problems: CompanyProblem[] = [];
  if (cw.deletedFlag) problems.push(companyProblems.deleted(cw));
  if (cw.inactive) problems.push(companyProblems.inactive(cw, cw.statusName));
  else if (cw.savingDisallowed) problems.push(companyProblems.savingDisallowed(cw, cw.statusName));
  if ((options.requireContact ?? true) && (cw.contactCount === 0 || cw.contact === null)) {
    problems.push(companyProblems.noContact(cw));
  }
  return problems;
}

/**
 * The readiness of one console company against the account's synced companies.
 *
 * @example
 * const readiness = assessCompany(company, await loadCompanyDirectory(db, accountId));
 * if (!readiness.ready) for (const p of readiness.problems) console.log(p.message, p.fix);
 */
export function assessCompany(
  company: ConsoleCompany,
  directory: CompanyDirectory,
  options: TargetCheckOptions = {},
): CompanyReadiness {
  const problems: CompanyProblem[] = [];
  let state: MappingState;
  let cwCompany: SyncedCompany | null = null;
  let suggestions: CompanySuggestion[] = [];
  let suggestionsAmbiguous = false;
  const twins = new Map<number, SyncedCompany>();
  const addTwins = (identifier: string): void => {
    for (const twin of directory.byIdentifier.get(identifier) ?? []) {
      if (twin.deletedFlag && twin.id !== cwCompany?.id) twins.set(twin.id, twin);
    }
  };

  if (directory.sync === undefined || directory.sync.lastOkAt === null) {
    // Without one complete sync, "no match" would be a guess.
    state = 'not_synced';
    problems.push(companyProblems.notSynced());
  } else if (company.mappingSource !== 'auto' && company.cwCompanyId !== null) {
    // A manual mapping or a confirmed suggestion pins the company.
    const mapped = directory.byId.get(company.cwCompanyId);
    state = mapped ? company.mappingSource : 'missing';
    if (mapped) cwCompany = mapped;
    else problems.push(companyProblems.mappedCompanyMissing(company.name, company.cwCompanyId));
  } else {
    const match = directory.match(company.name);
    if (match.kind === 'exact') {
      state = 'exact';
      cwCompany = match.company;
    } else if (
      match.kind === 'ambiguous' &&
      match.candidates.every((candidate) => candidate.reason === 'identifier')
    ) {
      // Several live companies carry the console name as their Company ID.
      state = 'ambiguous';
      suggestions = match.candidates.map(suggestionOf);
      suggestionsAmbiguous = true;
      problems.push(
        companyProblems.ambiguous(
          company.name,
          match.candidates.map((c) => c.company),
        ),
      );
    } else {
      state = 'unmatched';
      if (match.kind !== 'none') {
        suggestions = match.candidates.map(suggestionOf);
        suggestionsAmbiguous = match.kind === 'ambiguous';
      }
      problems.push(
        companyProblems.unmatched(
          company.name,
          suggestions.map((s) => ({
            id: s.cwCompanyId,
            identifier: s.identifier,
            name: s.name,
            score: s.score,
          })),
          suggestionsAmbiguous,
        ),
      );
    }
  }

  if (cwCompany) {
    problems.push(...targetProblems(cwCompany, options));
    addTwins(cwCompany.identifier);
  }
  addTwins(company.name);
  if (!company.ticketingEnabled) problems.push(companyProblems.ticketingDisabled(company.name));

  return {
    company,
    mapping: { state, cwCompanyId: cwCompany?.id ?? company.cwCompanyId },
    cwCompany,
    suggestions,
    suggestionsAmbiguous,
    deletedTwins: [...twins.values()],
    problems,
    ready: problems.length === 0,
  };
}

function suggestionOf(candidate: {
  company: SyncedCompany;
  reason: MatchReason;
  score: number;
}): CompanySuggestion {
  return {
    cwCompanyId: candidate.company.id,
    identifier: candidate.company.identifier,
    name: candidate.company.name,
    reason: candidate.reason,
    score: candidate.score,
  };
}

/** Filters of {@link listReadiness}; all optional, combined with AND. */
export interface ReadinessFilter {
  /** Part of the console name, ignoring case. */
  readonly search?: string;
  /** `ready`: no problems; `problems`: at least one. */
  readonly status?: 'ready' | 'problems';
  /** Only companies with this mapping state. */
  readonly mapping?: MappingState;
  /** Only companies with this problem code (see `COMPANY_PROBLEM_CODES`). */
  readonly problem?: string;
  /** Only companies whose ticketing switch is on (true) or off (false). */
  readonly ticketing?: boolean;
  /** Rows to skip. Default 0. */
  readonly offset?: number;
  /** Rows to return. Default 100. */
  readonly limit?: number;
}

/** A page of readiness rows. */
export interface ReadinessPage {
  readonly companies: readonly CompanyReadiness[];
  /** Rows matching the filter, over all pages. */
  readonly total: number;
  /** Counts over the whole account, before filtering. */
  readonly summary: {
    readonly companies: number;
    readonly ready: number;
    readonly problems: number;
  };
  readonly directory: CompanyDirectory;
}

/**
 * Readiness of the account's console companies, filtered and paged by name.
 *
 * @example
 * const page = await listReadiness(db, accountId, { status: 'problems', limit: 50 });
 */
export async function listReadiness(
  db: Kysely<Database>,
  accountId: string,
  filter: ReadinessFilter = {},
): Promise<ReadinessPage> {
  const [companies, directory] = await Promise.all([
    listConsoleCompanies(db, accountId),
    loadCompanyDirectory(db, accountId),
  ]);
  const all = companies.map((company) => assessCompany(company, directory));
  const search = filter.search?.trim().toLowerCase();
  const matching = all.filter(
    (r) =>
      (search === undefined || search === '' || r.company.name.toLowerCase().includes(search)) &&
      (filter.status === undefined || (filter.status === 'ready') === r.ready) &&
      (filter.mapping === undefined || r.mapping.state === filter.mapping) &&
      (filter.problem === undefined || r.problems.some((p) => p.code === filter.problem)) &&
      (filter.ticketing === undefined || r.company.ticketingEnabled === filter.ticketing),
  );
  const offset = Math.max(0, filter.offset ?? 0);
  const limit = Math.max(0, filter.limit ?? 100);
  const ready = all.filter((r) => r.ready).length;
  return {
    companies: matching.slice(offset, offset + limit),
    total: matching.length,
    summary: { companies: all.length, ready, problems: all.length - ready },
    directory,
  };
}
