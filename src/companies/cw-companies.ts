/**
 * The bridge's copy of an account's ConnectWise companies (`cw_companies`) and the state of its
 * company sync (`cw_company_syncs`): batched upserts for the sync, and the reads readiness,
 * mapping and ticket targets need. Every function is scoped by account.
 */
import type { Kysely, Selectable } from 'kysely';
import { fromFlag, toFlag } from '../storage/columns.js';
import type { Database } from '../storage/schema.js';
import type { CwCompaniesTable, CwCompanySyncsTable } from './tables.js';

/** A ConnectWise company as the last sync saw it. Fits `MatchableCompany` of the matcher. */
export interface SyncedCompany {
  /** ConnectWise's company id. */
  readonly id: number;
  /** The Company ID of the ConnectWise UI. */
  readonly identifier: string;
  readonly name: string;
  readonly deletedFlag: boolean;
  readonly statusId: number | null;
  readonly statusName: string | null;
  /** The status has `inactiveFlag`. */
  readonly inactive: boolean;
  /** The status has `disallowSavingFlag` (e.g. "Credit Hold"). */
  readonly savingDisallowed: boolean;
  /** The contact tickets will name: the default contact, else the first active one. */
  readonly contact: { readonly id: number; readonly name: string } | null;
  /** Active contacts. */
  readonly contactCount: number;
  readonly syncedAt: string;
}

/** The last company sync of an account. */
export interface CompanySyncState {
  readonly state: CwCompanySyncsTable['state'];
  readonly startedAt: string;
  readonly finishedAt: string | null;
  /** When the last sync that finished well started; null until one has. */
  readonly lastOkAt: string | null;
  readonly companies: number;
  readonly contacts: number;
  readonly lastError: string | null;
}

/** A row to write, without the account. */
export type SyncedCompanyRow = Omit<SyncedCompany, 'syncedAt'>;

/** Maps a stored row to a {@link SyncedCompany}. */
export function syncedCompanyOf(row: Selectable<CwCompaniesTable>): SyncedCompany {
  return {
    id: row.cw_id,
    identifier: row.identifier,
    name: row.name,
    deletedFlag: fromFlag(row.deleted),
    statusId: row.status_id,
    statusName: row.status_name,
    inactive: fromFlag(row.inactive),
    savingDisallowed: fromFlag(row.saving_disallowed),
    contact:
      row.contact_id === null
        ? null
        : { id: row.contact_id, name: row.contact_name ?? `Contact ${row.contact_id}` },
    contactCount: row.contact_count,
    syncedAt: row.synced_at,
  };
}

/**
 * Inserts or updates `companies` of `accountId` in one statement, stamped `syncedAt`. Call it in a
 * transaction per batch; a batch of 1,000 rows stays under both databases' parameter limits
 * (13 parameters a row; SQLite allows 32,766, PostgreSQL 65,535).
 */
export async function upsertSyncedCompanies(
  db: Kysely<Database>,
  accountId: string,
  companies: readonly SyncedCompanyRow[],
  syncedAt: string,
): Promise<void> {
  if (companies.length === 0) return;
  await db
    .insertInto('cw_companies')
    .values(
      companies.map((company) => ({
        account_id: accountId,
        cw_id: company.id,
        identifier: company.identifier,
        name: company.name,
        deleted: toFlag(company.deletedFlag),
        status_id: company.statusId,
        status_name: company.statusName,
        inactive: toFlag(company.inactive),
        saving_disallowed: toFlag(company.savingDisallowed),
        contact_id: company.contact?.id ?? null,
        contact_name: company.contact?.name ?? null,
        contact_count: company.contactCount,
        synced_at: syncedAt,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['account_id', 'cw_id']).doUpdateSet((eb) => ({
        identifier: eb.ref('excluded.identifier'),
        name: eb.ref('excluded.name'),
        deleted: eb.ref('excluded.deleted'),
        status_id: eb.ref('excluded.status_id'),
        status_name: eb.ref('excluded.status_name'),
        inactive: eb.ref('excluded.inactive'),
        saving_disallowed: eb.ref('excluded.saving_disallowed'),
        contact_id: eb.ref('excluded.contact_id'),
        contact_name: eb.ref('excluded.contact_name'),
        contact_count: eb.ref('excluded.contact_count'),
        synced_at: eb.ref('excluded.synced_at'),
      })),
    )
    .execute();
}

/**
 * Removes the companies a complete sync that started at `syncStartedAt` did not see: they no
 * longer exist in ConnectWise (or the API member lost sight of them).
 *
 * @returns how many rows were removed.
 */
export async function removeUnseenCompanies(
  db: Kysely<Database>,
  accountId: string,
  syncStartedAt: string,
): Promise<number> {
  const result = await db
    .deleteFrom('cw_companies')
    .where('account_id', '=', accountId)
    .where('synced_at', '<', syncStartedAt)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Every synced company of the account, deleted ones included, by ConnectWise id. */
export async function listSyncedCompanies(
  db: Kysely<Database>,
  accountId: string,
): Promise<SyncedCompany[]> {
  const rows = await db
    .selectFrom('cw_companies')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('cw_id')
    .execute();
  return rows.map(syncedCompanyOf);
}

/** One synced company by ConnectWise id, or undefined. */
export async function getSyncedCompany(
  db: Kysely<Database>,
  accountId: string,
  cwCompanyId: number,
): Promise<SyncedCompany | undefined> {
  const row = await db
    .selectFrom('cw_companies')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('cw_id', '=', cwCompanyId)
    .executeTakeFirst();
  return row && syncedCompanyOf(row);
}

/** Synced companies whose Company ID is exactly `identifier` (case-sensitive), deleted ones too. */
export async function findSyncedByIdentifier(
  db: Kysely<Database>,
  accountId: string,
  identifier: string,
): Promise<SyncedCompany[]> {
  const rows = await db
    .selectFrom('cw_companies')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('identifier', '=', identifier)
    .orderBy('cw_id')
    .execute();
  return rows.map(syncedCompanyOf);
}

/** The account's last sync, or undefined when it never synced. */
export async function getCompanySyncState(
  db: Kysely<Database>,
  accountId: string,
): Promise<CompanySyncState | undefined> {
  const row = await db
    .selectFrom('cw_company_syncs')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    state: row.state,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    lastOkAt: row.last_ok_at,
    companies: row.companies,
    contacts: row.contacts,
    lastError: row.last_error,
  };
}

/** Records that a sync of the account started at `startedAt`. */
export async function markSyncStarted(
  db: Kysely<Database>,
  accountId: string,
  startedAt: string,
): Promise<void> {
  await db
    .insertInto('cw_company_syncs')
    .values({
      account_id: accountId,
      state: 'running',
      started_at: startedAt,
      finished_at: null,
      last_ok_at: null,
      companies: 0,
      contacts: 0,
      last_error: null,
    })
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({ state: 'running', started_at: startedAt }),
    )
    .execute();
}

/** Records how the sync that started at `startedAt` ended. */
export async function markSyncFinished(
  db: Kysely<Database>,
  accountId: string,
  outcome:
    | { readonly ok: true; readonly companies: number; readonly contacts: number }
    | { readonly ok: false; readonly error: string },
  startedAt: string,
  finishedAt: string,
): Promise<void> {
  await db
    .updateTable('cw_company_syncs')
    .set(
      outcome.ok
        ? {
            state: 'ok',
            finished_at: finishedAt,
            last_ok_at: startedAt,
            companies: outcome.companies,
            contacts: outcome.contacts,
            last_error: null,
          }
        : { state: 'failed', finished_at: finishedAt, last_error: outcome.error },
    )
    .where('account_id', '=', accountId)
    .execute();
}
