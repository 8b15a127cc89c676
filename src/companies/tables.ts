/**
 * Tables of the companies part (migration `0005_company_sync`): the bridge's copy of the
 * ConnectWise companies of each account, and the state of each account's company sync. Column
 * conventions are the storage module's (see `src/storage/README.md`).
 */

/**
 * One ConnectWise company as the last sync saw it: what readiness, matching and ticket targets
 * need, so no ticket costs a company look-up in ConnectWise.
 */
export interface CwCompaniesTable {
  account_id: string;
  /** The company's ConnectWise `id`. With `account_id`, the primary key. */
  cw_id: number;
  /** The Company ID of the ConnectWise UI, which the console's company name must equal. */
  identifier: string;
  name: string;
  /** 0/1: ConnectWise keeps soft-deleted companies and still lists them (reference §3.3). */
  deleted: number;
  status_id: number | null;
  status_name: string | null;
  /** 0/1: the company's status has `inactiveFlag`. */
  inactive: number;
  /** 0/1: the company's status has `disallowSavingFlag` (e.g. "Credit Hold"): no ticket saves. */
  saving_disallowed: number;
  /** The contact tickets will name: the company's default contact, else its first active one. */
  contact_id: number | null;
  contact_name: string | null;
  /** Active contacts of the company. */
  contact_count: number;
  /** When the sync that wrote this row started (ISO-8601); rows a full sync missed are removed. */
  synced_at: string;
}

/** The last company sync of one account. */
export interface CwCompanySyncsTable {
  account_id: string;
  state: 'running' | 'ok' | 'failed';
  started_at: string;
  finished_at: string | null;
  /** When the last sync that finished well started; null until one has. */
  last_ok_at: string | null;
  companies: number;
  contacts: number;
  /** Why the last sync failed, written for an administrator. */
  last_error: string | null;
}
