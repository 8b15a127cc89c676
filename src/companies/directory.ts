/**
 * An account's synced ConnectWise companies, loaded once and indexed for matching: by id, by
 * Company ID, and through the matcher of `matching.ts` for suggestions. Readiness of thousands of
 * console companies then costs one read of the table, not one query per company.
 *
 * Directories are cached per database handle and account, and reloaded when the account's sync
 * state changes (a sync started or finished, here or in another process).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import {
  getCompanySyncState,
  listSyncedCompanies,
  type CompanySyncState,
  type SyncedCompany,
} from './cw-companies.js';
import { buildCompanyIndex, type CompanyIndex, type CompanyMatch } from './matching.js';

/** The synced companies of one account, indexed. */
export interface CompanyDirectory {
  /** The sync these rows come from; undefined when the account never synced. */
  readonly sync: CompanySyncState | undefined;
  readonly byId: ReadonlyMap<number, SyncedCompany>;
  /** Synced companies by exact Company ID, deleted ones included. */
  readonly byIdentifier: ReadonlyMap<string, readonly SyncedCompany[]>;
  /** The matcher over every synced company (deleted ones only count as twins). */
  readonly index: CompanyIndex<SyncedCompany>;
  /**
   * `index.match`, remembered per name for the directory's life: readiness pages through the
   * same console names again and again, and a near-miss search is the costly part.
   */
  readonly match: (consoleName: string) => CompanyMatch<SyncedCompany>;
  readonly size: number;
}

/** Names whose match a directory remembers before it starts over. */
const REMEMBERED_MATCHES = 100_000;

/** Accounts whose directory is kept per database handle. */
const CACHED_ACCOUNTS = 16;

const cache = new WeakMap<
  Kysely<Database>,
  Map<string, { version: string; directory: CompanyDirectory }>
>();

/** Builds a directory from companies already loaded (tests, and the loader below). */
export function buildCompanyDirectory(
  companies: readonly SyncedCompany[],
  sync: CompanySyncState | undefined,
): CompanyDirectory {
  const byId = new Map<number, SyncedCompany>();
  const byIdentifier = new Map<string, SyncedCompany[]>();
  for (const company of companies) {
    byId.set(company.id, company);
    const same = byIdentifier.get(company.identifier);
    if (same) same.push(company);
    else byIdentifier.set(company.identifier, [company]);
  }
  const index = buildCompanyIndex(companies);
  const matches = new Map<string, CompanyMatch<SyncedCompany>>();
  const match = (consoleName: string): CompanyMatch<SyncedCompany> => {
    let found = matches.get(consoleName);
    if (found === undefined) {
      if (matches.size >= REMEMBERED_MATCHES) matches.clear();
      found = index.match(consoleName);
      matches.set(consoleName, found);
    }
    return found;
  };
  return { sync, byId, byIdentifier, index, match, size: companies.length };
}

/**
 * The account's directory, from the cache when the account's sync state has not changed since
 * it was loaded.
 *
 * @example
 * const directory = await loadCompanyDirectory(db, accountId);
 * directory.index.match('Acme Inc.');
 */
export async function loadCompanyDirectory(
  db: Kysely<Database>,
  accountId: string,
): Promise<CompanyDirectory> {
  const sync = await getCompanySyncState(db, accountId);
  const version =
    sync === undefined ? 'never' : `${sync.state}|${sync.startedAt}|${sync.finishedAt ?? ''}`;

  let perAccount = cache.get(db);
  if (!perAccount) {
    perAccount = new Map<string, { version: string; directory: CompanyDirectory }>();
    cache.set(db, perAccount);
  }
  const cached = perAccount.get(accountId);
  // A running sync is writing rows: read them fresh each time until it ends.
  if (cached?.version === version && sync?.state !== 'running') return cached.directory;

  const directory = buildCompanyDirectory(await listSyncedCompanies(db, accountId), sync);
  perAccount.delete(accountId);
  perAccount.set(accountId, { version, directory });
  // Oldest entries first in a Map: drop them beyond the limit.
  for (const key of perAccount.keys()) {
    if (perAccount.size <= CACHED_ACCOUNTS) break;
    perAccount.delete(key);
  }
  return directory;
}
