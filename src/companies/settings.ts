/**
 * Changing one console company: its ticketing switch and its mapping (a manual ConnectWise
 * company, a confirmed suggestion, or back to the integration page's exact rule). Every mapping is
 * checked against the synced ConnectWise companies first, so a mapping never points at a company
 * the bridge has not seen or one that is deleted.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { loadCompanyDirectory, type CompanyDirectory } from './directory.js';
import { CompanyMappingError, CompanyNotFoundError } from './errors.js';
import { assessCompany, type CompanyReadiness } from './readiness.js';
import {
  getConsoleCompanyByName,
  registerCompanies,
  updateConsoleCompany,
  type ConsoleCompanyChange,
  type RegisteredBy,
} from './registry.js';

/** A change an administrator asks for; at most one of the mapping fields. */
export interface CompanySettingsChange {
  readonly ticketingEnabled?: boolean;
  /** Map by hand to this ConnectWise company id. */
  readonly cwCompanyId?: number;
  /** Map by hand to the live company with this Company ID (configuration files use it). */
  readonly cwIdentifier?: string;
  /** Confirm this suggested ConnectWise company id. */
  readonly acceptSuggestion?: number;
  /** Back to the integration page's rule (Company ID equals the console name). */
  readonly clearMapping?: boolean;
}

/**
 * Applies `change` to the console company `name` and returns its readiness afterwards. Nothing
 * changes when the change is refused; applying the same change twice writes nothing the second
 * time.
 *
 * @throws CompanyNotFoundError when the account has no company `name`.
 * @throws CompanyMappingError when the mapping names no synced company, a deleted one, not a
 *   current suggestion, or more than one mapping field is given.
 * @example
 * await changeCompanySettings(db, accountId, 'Acme Corp', { acceptSuggestion: 250 });
 */
export async function changeCompanySettings(
  db: Kysely<Database>,
  accountId: string,
  name: string,
  change: CompanySettingsChange,
  now: Date = new Date(),
): Promise<CompanyReadiness> {
  const company = await getConsoleCompanyByName(db, accountId, name);
  if (!company) throw new CompanyNotFoundError(name);
  const directory = await loadCompanyDirectory(db, accountId);

  const update: { -readonly [K in keyof ConsoleCompanyChange]: ConsoleCompanyChange[K] } = {};
  if (change.ticketingEnabled !== undefined) update.ticketingEnabled = change.ticketingEnabled;
  const mapping = mappingOf(change, directory, () => assessCompany(company, directory));
  if (mapping) update.mapping = mapping;

  const updated = await updateConsoleCompany(db, accountId, company.id, update, now);
  if (!updated) throw new CompanyNotFoundError(name);
  return assessCompany(updated, directory);
}

/**
 * Registers one console company (if new) and applies `change`, in one transaction.
 *
 * @returns its readiness and whether it was new.
 */
export async function registerCompany(
  db: Kysely<Database>,
  accountId: string,
  name: string,
  by: RegisteredBy,
  change: CompanySettingsChange = {},
  now: Date = new Date(),
): Promise<{ readonly readiness: CompanyReadiness; readonly created: boolean }> {
  return inTransaction(db, async (trx) => {
    const existed = await getConsoleCompanyByName(trx, accountId, name);
    const ids = await registerCompanies(trx, accountId, [name], by, now);
    const [registered] = ids.keys();
    const readiness = await changeCompanySettings(trx, accountId, registered ?? name, change, now);
    return { readiness, created: existed === undefined };
  });
}

function mappingOf(
  change: CompanySettingsChange,
  directory: CompanyDirectory,
  readiness: () => CompanyReadiness,
): ConsoleCompanyChange['mapping'] {
  const given = (
    ['cwCompanyId', 'cwIdentifier', 'acceptSuggestion', 'clearMapping'] as const
  ).filter((field) => change[field] !== undefined && change[field] !== false);
  if (given.length === 0) return undefined;
  if (given.length > 1) {
    throw new CompanyMappingError(
      `Give one of ${given.join(', ')}: they are different ways to set the same mapping.`,
      given[1] ?? 'cwCompanyId',
    );
  }
  if (change.clearMapping === true) return { source: 'auto' };
  if (directory.sync?.lastOkAt == null) {
    throw new CompanyMappingError(
      'The ConnectWise companies have not been synced yet, so a mapping cannot be checked. Run a company sync (POST /api/v1/companies/sync) first.',
      given[0] ?? 'cwCompanyId',
    );
  }

  if (change.cwIdentifier !== undefined) {
    const live = (directory.byIdentifier.get(change.cwIdentifier) ?? []).filter(
      (company) => !company.deletedFlag,
    );
    if (live.length !== 1 || !live[0]) {
      throw new CompanyMappingError(
        live.length === 0
          ? `No live ConnectWise company has Company ID '${change.cwIdentifier}'. Check the spelling (it is case-sensitive) and sync the companies again if it was just created.`
          : `${live.length} live ConnectWise companies have Company ID '${change.cwIdentifier}' (ids ${live.map((c) => c.id).join(', ')}); map by cwCompanyId instead.`,
        'cwIdentifier',
      );
    }
    return { source: 'manual', cwCompanyId: live[0].id };
  }

  if (change.cwCompanyId !== undefined) {
    const target = directory.byId.get(change.cwCompanyId);
    if (!target) {
      throw new CompanyMappingError(
        `No synced ConnectWise company has id ${change.cwCompanyId}. Check the id (Companies › Company, in the address bar) and sync the companies again if it was just created.`,
        'cwCompanyId',
      );
    }
    if (target.deletedFlag) {
      throw new CompanyMappingError(
        `ConnectWise company ${target.id} ('${target.identifier}') is deleted; map to a live company.`,
        'cwCompanyId',
      );
    }
    return { source: 'manual', cwCompanyId: target.id };
  }

  const accepted = change.acceptSuggestion;
  if (accepted === undefined) return undefined;
  const current = readiness();
  if (!current.suggestions.some((s) => s.cwCompanyId === accepted)) {
    const offered = current.suggestions.map((s) => s.cwCompanyId);
    throw new CompanyMappingError(
      offered.length === 0
        ? `There is no suggestion to accept for '${current.company.name}' (mapping: ${current.mapping.state}). Map it by hand with cwCompanyId instead.`
        : `ConnectWise company ${accepted} is not among the suggestions for '${current.company.name}' (${offered.join(', ')}). Map it by hand with cwCompanyId instead.`,
      'acceptSuggestion',
    );
  }
  return { source: 'suggestion', cwCompanyId: accepted };
}
