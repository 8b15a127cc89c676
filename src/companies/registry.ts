/**
 * The console's companies (`companies` table): registered by the API, by events that name them,
 * or by a configuration file; each with its ticketing switch and its ConnectWise mapping.
 *
 * A mapping is `auto` (the integration page's rule: the ConnectWise company whose Company ID
 * equals the name), `manual` (set by an administrator) or `suggestion` (an administrator
 * confirmed a suggested match). For `auto` rows `cw_company_id` mirrors the exact match of the
 * last sync, so other parts can join on it; it is recomputed on every sync.
 */
import type { Kysely, Selectable } from 'kysely';
import { fromFlag, toFlag, toIso } from '../storage/columns.js';
import { newId } from '../storage/ids.js';
import type { CompaniesTable, Database } from '../storage/schema.js';
import { CompanyNameError } from './errors.js';

/** Longest console company name, as the ingestion contract allows. */
export const COMPANY_NAME_MAX_LENGTH = 100;

/** Names per `in (…)` list, well under both databases' parameter limits. */
const CHUNK = 500;

export type MappingSource = CompaniesTable['mapping_source'];
export type RegisteredBy = CompaniesTable['registered_by'];

/** A company as the backup console names it, with its switch and mapping. */
export interface ConsoleCompany {
  readonly id: string;
  readonly name: string;
  readonly ticketingEnabled: boolean;
  /** The mapped ConnectWise company id; for `auto`, the exact match of the last sync. */
  readonly cwCompanyId: number | null;
  readonly mappingSource: MappingSource;
  readonly registeredBy: RegisteredBy;
  readonly createdAt: string;
  readonly updatedAt: string;
}

function consoleCompanyOf(row: Selectable<CompaniesTable>): ConsoleCompany {
  return {
    id: row.id,
    name: row.name,
    ticketingEnabled: fromFlag(row.ticketing_enabled),
    cwCompanyId: row.cw_company_id,
    mappingSource: row.mapping_source,
    registeredBy: row.registered_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * A console company name as stored: trimmed, 1 to 100 characters. Case is kept, because the
 * integration page compares it with the ConnectWise Company ID exactly.
 *
 * @throws CompanyNameError when it is empty or too long.
 */
export function checkCompanyName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === '') throw new CompanyNameError(name, 'is empty; give the console company name');
  if ([...trimmed].length > COMPANY_NAME_MAX_LENGTH) {
    throw new CompanyNameError(
      name,
      `is longer than ${COMPANY_NAME_MAX_LENGTH} characters; use the name the console shows`,
    );
  }
  return trimmed;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Registers console companies by name and returns every name's `companies.id`. Only names not
 * yet known are inserted; a known company keeps its switch, mapping and `registered_by`. New
 * companies start with ticketing on and the `auto` mapping of the last sync.
 *
 * Race-safe on both databases: inserts skip names another transaction added meanwhile (the
 * unique index on account and name), and those names are read back. On PostgreSQL the insert
 * waits for the other transaction to commit, so the row it reads back is committed.
 *
 * Call it inside the caller's transaction (ingestion stores events in the same one).
 *
 * @param names console names; trimmed, duplicates ignored.
 * @param by who registers them: `api`, `event` or `config`.
 * @param now the clock. Default `new Date()`.
 * @returns name (trimmed) → `companies.id`.
 * @throws CompanyNameError for an empty or overlong name; nothing is written then.
 * @example
 * const ids = await registerCompanies(trx, accountId, ['ACME', 'Globex'], 'event');
 * ids.get('ACME'); // 'cmp_01J…'
 */
export async function registerCompanies(
  trx: Kysely<Database>,
  accountId: string,
  names: readonly string[],
  by: RegisteredBy,
  now: Date = new Date(),
): Promise<Map<string, string>> {
  const wanted = [...new Set(names.map(checkCompanyName))];
  const ids = new Map<string, string>();
  if (wanted.length === 0) return ids;

  // Known names first: the common case on the ingestion path is "all known".
  const readIds = async (list: readonly string[]): Promise<void> => {
    for (const chunk of chunks(list)) {
      const rows = await trx
        .selectFrom('companies')
        .select(['id', 'name'])
        .where('account_id', '=', accountId)
        .where('name', 'in', chunk)
        .execute();
      for (const row of rows) ids.set(row.name, row.id);
    }
  };
  await readIds(wanted);
  const missing = wanted.filter((name) => !ids.has(name));
  if (missing.length === 0) return ids;

  // New names get the exact ConnectWise match of the last sync, if there is exactly one.
  const exact = await exactMatches(trx, accountId, missing);
  const at = toIso(now);
  for (const chunk of chunks(missing)) {
    await trx
      .insertInto('companies')
      .values(
        chunk.map((name) => ({
          id: newId('cmp', now.getTime()),
          account_id: accountId,
          name,
          ticketing_enabled: 1,
          cw_company_id: exact.get(name) ?? null,
          mapping_source: 'auto' as const,
          registered_by: by,
          created_at: at,
          updated_at: at,
        })),
      )
      .onConflict((oc) => oc.columns(['account_id', 'name']).doNothing())
      .execute();
  }
  await readIds(missing);
  return ids;
}

/**
 * For each name, the ConnectWise id of the one live synced company whose Company ID equals it;
 * names with none or several are left out.
 */
async function exactMatches(
  db: Kysely<Database>,
  accountId: string,
  names: readonly string[],
): Promise<Map<string, number>> {
  const found = new Map<string, number[]>();
  for (const chunk of chunks(names)) {
    const rows = await db
      .selectFrom('cw_companies')
      .select(['identifier', 'cw_id'])
      .where('account_id', '=', accountId)
      .where('deleted', '=', 0)
      .where('identifier', 'in', chunk)
      .execute();
    for (const row of rows)
      {found.set(row.identifier, [...(found.get(row.identifier) ?? []), row.cw_id]);}
  }
  const exact = new Map<string, number>();
  for (const [identifier, cwIds] of found) {
    if (cwIds.length === 1 && cwIds[0] !== undefined) exact.set(identifier, cwIds[0]);
  }
  return exact;
}

/** The console company named exactly `name`, or undefined. */
export async function getConsoleCompanyByName(
  db: Kysely<Database>,
  accountId: string,
  name: string,
): Promise<ConsoleCompany | undefined> {
  const row = await db
    .selectFrom('companies')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('name', '=', name.trim())
    .executeTakeFirst();
  return row && consoleCompanyOf(row);
}

/** The console company with `companies.id` `id`, or undefined. */
export async function getConsoleCompany(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<ConsoleCompany | undefined> {
  const row = await db
    .selectFrom('companies')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && consoleCompanyOf(row);
}

/** Every console company of the account, by name. */
export async function listConsoleCompanies(
  db: Kysely<Database>,
  accountId: string,
): Promise<ConsoleCompany[]> {
  const rows = await db
    .selectFrom('companies')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('name')
    .execute();
  return rows.map(consoleCompanyOf);
}

/** A change of one console company; fields left out stay as they are. */
export interface ConsoleCompanyChange {
  readonly ticketingEnabled?: boolean;
  /**
   * The mapping: `auto` goes back to the integration page's rule (and takes the exact match of
   * the last sync); `manual` and `suggestion` pin a ConnectWise id, which the caller has checked.
   */
  readonly mapping?:
    | { readonly source: 'auto' }
    | { readonly source: 'manual' | 'suggestion'; readonly cwCompanyId: number };
}

/**
 * Applies `change` to the console company `id`. Writes nothing (and keeps `updated_at`) when the
 * change does not change anything, so applying the same settings twice is a no-op.
 *
 * @returns the company after the change, or undefined when the account has no such company.
 */
export async function updateConsoleCompany(
  db: Kysely<Database>,
  accountId: string,
  id: string,
  change: ConsoleCompanyChange,
  now: Date = new Date(),
): Promise<ConsoleCompany | undefined> {
  const current = await getConsoleCompany(db, accountId, id);
  if (!current) return undefined;

  const set: Partial<{
    ticketing_enabled: number;
    cw_company_id: number | null;
    mapping_source: MappingSource;
  }> = {};
  if (
    change.ticketingEnabled !== undefined &&
    change.ticketingEnabled !== current.ticketingEnabled
  ) {
    set.ticketing_enabled = toFlag(change.ticketingEnabled);
  }
  if (change.mapping) {
    const cwCompanyId =
      change.mapping.source === 'auto'
        ? ((await exactMatches(db, accountId, [current.name])).get(current.name) ?? null)
        : change.mapping.cwCompanyId;
    if (change.mapping.source !== current.mappingSource) set.mapping_source = change.mapping.source;
    if (cwCompanyId !== current.cwCompanyId) set.cw_company_id = cwCompanyId;
  }
  if (Object.keys(set).length === 0) return current;

  await db
    .updateTable('companies')
    .set({ ...set, updated_at: toIso(now) })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .execute();
  return getConsoleCompany(db, accountId, id);
}

/**
 * Recomputes `cw_company_id` of the account's `auto`-mapped companies from the synced companies
 * (the one live company whose Company ID equals the name, else none). Only rows whose value
 * changes are written.
 *
 * @returns how many companies changed.
 */
export async function refreshAutoMappings(
  db: Kysely<Database>,
  accountId: string,
  now: Date = new Date(),
): Promise<number> {
  const autos = await db
    .selectFrom('companies')
    .select(['id', 'name', 'cw_company_id'])
    .where('account_id', '=', accountId)
    .where('mapping_source', '=', 'auto')
    .execute();
  if (autos.length === 0) return 0;
  const exact = await exactMatches(
    db,
    accountId,
    autos.map((row) => row.name),
  );
  let changed = 0;
  for (const row of autos) {
    const cwCompanyId = exact.get(row.name) ?? null;
    if (cwCompanyId === row.cw_company_id) continue;
    await db
      .updateTable('companies')
      .set({ cw_company_id: cwCompanyId, updated_at: toIso(now) })
      .where('account_id', '=', accountId)
      .where('id', '=', row.id)
      .where('mapping_source', '=', 'auto')
      .execute();
    changed++;
  }
  return changed;
}
