/**
 * The company sync: copies an account's ConnectWise companies, their statuses and what
 * readiness needs of their contacts into `cw_companies`, so matching, readiness and ticket targets
 * never call ConnectWise per company or per ticket.
 *
 * The walk reads three lists with partial responses (`fields`, reference §4) and forward-only
 * paging (§4.3: pages by id, so companies added during the walk do not shift pages):
 *
 * 1. company statuses (a handful): which are inactive or disallow saving;
 * 2. active contacts: per company, the count and the first one (lowest id) and the one flagged
 *    default; only these small aggregates are kept, one page of contacts at a time;
 * 3. companies, one page (up to 1,000) at a time, each page upserted in one statement and one
 *    transaction, joined with the contact aggregates.
 *
 * Then companies the walk did not see are removed and `auto` mappings recomputed. Memory stays at
 * one page plus one small entry per company with contacts.
 */
import type { Kysely } from 'kysely';
import type { ManageClient } from '../connectwise/client/manage-client.js';
import { MAX_PAGE_SIZE } from '../connectwise/client/query.js';
import type { Company, CompanyStatus, Contact } from '../connectwise/models.js';
import { toIso } from '../storage/columns.js';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import {
  markSyncFinished,
  markSyncStarted,
  removeUnseenCompanies,
  upsertSyncedCompanies,
  type SyncedCompanyRow,
} from './cw-companies.js';
import { CompanySyncError } from './errors.js';
import { refreshAutoMappings } from './registry.js';

/** The fields the sync reads of each list; everything else is left on the server. */
export const COMPANY_FIELDS = [
  'id',
  'identifier',
  'name',
  'status/id',
  'status/name',
  'deletedFlag',
  'defaultContact/id',
  'defaultContact/name',
] as const;
export const CONTACT_FIELDS = ['id', 'firstName', 'lastName', 'company/id', 'defaultFlag'] as const;
export const STATUS_FIELDS = ['id', 'name', 'inactiveFlag', 'disallowSavingFlag'] as const;

/** Progress of a running sync, for logs and progress bars. */
export type CompanySyncProgress =
  | { readonly phase: 'statuses'; readonly statuses: number }
  | { readonly phase: 'contacts'; readonly contacts: number }
  | { readonly phase: 'companies'; readonly companies: number };

/** What {@link syncCompanies} needs. */
export interface CompanySyncDeps {
  readonly db: Kysely<Database>;
  /** A client for the account's ConnectWise (see `openManageClient`). */
  readonly client: ManageClient;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
}

/** Options of {@link syncCompanies}. */
export interface CompanySyncOptions {
  /** Stops the sync between requests; the rows written so far stay. */
  readonly signal?: AbortSignal;
  /** Records per ConnectWise request, 1 to 1,000. Default 1,000 (ConnectWise's maximum). */
  readonly pageSize?: number;
  /**
   * Rows per upsert statement and transaction. Default 1,000. `1` writes row by row (the
   * benchmark's baseline).
   */
  readonly upsertBatchSize?: number;
  /** Called after each page. Default: none. */
  readonly onProgress?: (progress: CompanySyncProgress) => void;
}

/** What a finished sync did. */
export interface CompanySyncResult {
  readonly startedAt: string;
  readonly finishedAt: string;
  /** Companies seen, deleted ones included. */
  readonly companies: number;
  /** Active contacts seen. */
  readonly contacts: number;
  readonly statuses: number;
  /** Companies removed because ConnectWise no longer lists them. */
  readonly removed: number;
  /** `auto` mappings that changed. */
  readonly mappingsChanged: number;
  readonly durationMs: number;
}

/** Per company: active contacts, the first (lowest id) and the one flagged default. */
interface ContactSummary {
  count: number;
  first: { id: number; name: string };
  flagged?: { id: number; name: string };
}

/**
 * Syncs the account's ConnectWise companies into `cw_companies` and records the outcome in
 * `cw_company_syncs`. Safe to run again at any time (the worker runs it periodically).
 *
 * @throws CompanySyncError when ConnectWise or the database fails; its `cause` is the original
 *   error (e.g. `ManageAuthenticationError`), and the failure is recorded for the doctor.
 * @example
 * const client = await openManageClient(deps, accountId);
 * const result = await syncCompanies({ db, client }, accountId);
 * console.log(`${result.companies} companies in ${result.durationMs} ms`);
 */
export async function syncCompanies(
  deps: CompanySyncDeps,
  accountId: string,
  options: CompanySyncOptions = {},
): Promise<CompanySyncResult> {
  const now = deps.now ?? (() => new Date());
  const started = now();
  const startedAt = toIso(started);
  await markSyncStarted(deps.db, accountId, startedAt);
  try {
    const result = await walk(deps, accountId, startedAt, options, now);
    const finishedAt = toIso(now());
    await markSyncFinished(
      deps.db,
      accountId,
      { ok: true, companies: result.companies, contacts: result.contacts },
      startedAt,
      finishedAt,
    );
    return {
      ...result,
      startedAt,
      finishedAt,
      durationMs: Date.parse(finishedAt) - started.getTime(),
    };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    await markSyncFinished(
      deps.db,
      accountId,
      { ok: false, error: reason },
      startedAt,
      toIso(now()),
    ).catch(() => undefined);
    throw new CompanySyncError(
      `The ConnectWise company sync failed: ${reason} The companies of the last good sync stay in use; fix the cause and sync again.`,
      { cause: error },
    );
  }
}

async function walk(
  deps: CompanySyncDeps,
  accountId: string,
  startedAt: string,
  options: CompanySyncOptions,
  now: () => Date,
): Promise<Omit<CompanySyncResult, 'startedAt' | 'finishedAt' | 'durationMs'>> {
  const { client, db } = deps;
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  const batchSize = Math.max(1, options.upsertBatchSize ?? MAX_PAGE_SIZE);
  const request = {
    paging: 'forward-only' as const,
    pageSize,
    ...(options.signal ? { signal: options.signal } : {}),
  };

  // Statuses: a company is inactive through its status (reference §3.3, `CompanyStatus`).
  const statuses = new Map<number, CompanyStatus>();
  for await (const status of client.companies.statuses({
    fields: STATUS_FIELDS,
    ...(options.signal ? { signal: options.signal } : {}),
  })) {
    statuses.set(status.id, status);
  }
  options.onProgress?.({ phase: 'statuses', statuses: statuses.size });

  // Contacts: inactive ones are left out, as a ticket should not name them.
  const contactsByCompany = new Map<number, ContactSummary>();
  let contacts = 0;
  for await (const page of client.contacts
    .list({ ...request, fields: CONTACT_FIELDS, conditions: 'inactiveFlag = false' })
    .pages()) {
    for (const contact of page) summarize(contactsByCompany, contact);
    contacts += page.length;
    options.onProgress?.({ phase: 'contacts', contacts });
  }

  // Companies, page by page, each page written in batches.
  let companies = 0;
  for await (const page of client.companies.list({ ...request, fields: COMPANY_FIELDS }).pages()) {
    const rows = page.map((company) => rowOf(company, statuses, contactsByCompany));
    for (let i = 0; i < rows.length; i += batchSize) {
      const batch = rows.slice(i, i + batchSize);
      await inTransaction(db, (trx) => upsertSyncedCompanies(trx, accountId, batch, startedAt));
    }
    companies += page.length;
    options.onProgress?.({ phase: 'companies', companies });
  }

  // The walk was complete: what it did not see is gone from ConnectWise.
  options.signal?.throwIfAborted();
  const removed = await removeUnseenCompanies(db, accountId, startedAt);
  const mappingsChanged = await refreshAutoMappings(db, accountId, now());
  return { companies, contacts, statuses: statuses.size, removed, mappingsChanged };
}

function contactName(contact: Pick<Contact, 'id' | 'firstName' | 'lastName'>): string {
  const name = [contact.firstName, contact.lastName]
    .filter((part) => part !== undefined && part.trim() !== '')
    .join(' ')
    .trim();
  return name === '' ? `Contact ${contact.id}` : name;
}

function summarize(byCompany: Map<number, ContactSummary>, contact: Contact): void {
  const companyId = contact.company?.id;
  if (companyId === undefined) return;
  const me = { id: contact.id, name: contactName(contact) };
  const known = byCompany.get(companyId);
  if (!known) {
    byCompany.set(companyId, {
      count: 1,
      first: me,
      ...(contact.defaultFlag ? { flagged: me } : {}),
    });
    return;
  }
  known.count++;
  // Forward-only pages come in id order, so the first seen has the lowest id.
  if (me.id < known.first.id) known.first = me;
  if (contact.defaultFlag && known.flagged === undefined) known.flagged = me;
}

/**
 * One company as stored. The contact tickets will name is the company's default contact
 * (ConnectWise's own choice when a ticket names none, reference §3.5 defaults), else the contact
 * flagged default, else the first active one.
 */
function rowOf(
  company: Company,
  statuses: ReadonlyMap<number, CompanyStatus>,
  contacts: ReadonlyMap<number, ContactSummary>,
): SyncedCompanyRow {
  const status = company.status ? statuses.get(company.status.id) : undefined;
  const summary = contacts.get(company.id);
  const defaultContact =
    company.defaultContact?.id !== undefined
      ? {
          id: company.defaultContact.id,
          name: company.defaultContact.name ?? `Contact ${company.defaultContact.id}`,
        }
      : undefined;
  return {
    id: company.id,
    identifier: company.identifier,
    name: company.name,
    deletedFlag: company.deletedFlag === true,
    statusId: company.status?.id ?? null,
    statusName: company.status?.name ?? status?.name ?? null,
    inactive: status?.inactiveFlag === true,
    savingDisallowed: status?.disallowSavingFlag === true,
    contact: defaultContact ?? summary?.flagged ?? summary?.first ?? null,
    contactCount: summary?.count ?? 0,
  };
}
