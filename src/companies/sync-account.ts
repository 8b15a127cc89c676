/**
 * The company sync as the worker runs it: on the account's saved connection, and only when the
 * last good sync is older than the interval.
 */
import type { Kysely } from 'kysely';
import { openManageClient, type ConnectionDeps } from '../connection/index.js';
import type { ManageEventListener } from '../connectwise/client/index.js';
import type { Database } from '../storage/schema.js';
import { getCompanySyncState } from './cw-companies.js';
import { syncCompanies, type CompanySyncOptions, type CompanySyncResult } from './sync.js';

/** How often the worker syncs an account's companies by default: every 15 minutes. */
export const DEFAULT_COMPANY_SYNC_INTERVAL_MS = 15 * 60 * 1000;

/**
 * Syncs the account's ConnectWise companies on its saved connection.
 *
 * @throws ConnectionNotConfiguredError when the account has no connection.
 * @throws CompanySyncError when ConnectWise or the database fails (recorded for the doctor).
 * @example
 * await syncAccountCompanies({ db, secretBox, config }, accountId, { signal });
 */
export async function syncAccountCompanies(
  deps: ConnectionDeps,
  accountId: string,
  options: CompanySyncOptions & { readonly onEvent?: ManageEventListener } = {},
): Promise<CompanySyncResult> {
  const { onEvent, ...syncOptions } = options;
  const client = await openManageClient(deps, accountId, {
    ...(onEvent ? { onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return syncCompanies(
    { db: deps.db, client, ...(deps.now ? { now: deps.now } : {}) },
    accountId,
    syncOptions,
  );
}

/**
 * Whether the account's companies should be synced now: never synced, or the last sync
 * started more than `intervalMs` ago (a failed or running one too, so a failure is retried on
 * the next round and a sync that died with its process does not block the next).
 *
 * @param intervalMs default {@link DEFAULT_COMPANY_SYNC_INTERVAL_MS}.
 * @param now default `new Date()`.
 */
export async function isCompanySyncDue(
  db: Kysely<Database>,
  accountId: string,
  intervalMs: number = DEFAULT_COMPANY_SYNC_INTERVAL_MS,
  now: Date = new Date(),
): Promise<boolean> {
  const state = await getCompanySyncState(db, accountId);
  if (!state) return true;
  return Date.parse(state.startedAt) <= now.getTime() - intervalMs;
}
