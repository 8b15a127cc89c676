/**
 * The connection part's tables as kysely sees them (migration `0003_connectwise`). Listed in
 * `Database` (`src/storage/schema.ts`); only this folder reads or writes them.
 */

/** A connection's health as the last check or the worker saw it. */
export type ConnectionStatusColumn = 'ok' | 'broken';

/**
 * One ConnectWise API member per account. `private_key_encrypted` is a `SecretBox` envelope
 * bound to the account id, so it never exists in clear at rest and cannot be moved to another
 * account's row. `codebase` caches `/login/companyinfo` so opening a client costs no call.
 */
export interface CwConnectionsTable {
  id: string;
  account_id: string;
  /** The site as the administrator typed it, e.g. `na.myconnectwise.net`. */
  site: string;
  /** The login company id, case-sensitive. */
  company_id: string;
  public_key: string;
  private_key_encrypted: string;
  /** The API origin the site resolved to, e.g. `https://api-na.myconnectwise.net`. */
  api_base: string;
  /** e.g. `v2025_1/`. */
  codebase: string;
  status: ConnectionStatusColumn;
  /** JSON text of the last check report. */
  last_check: string | null;
  checked_at: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * Where and how tickets are written: ConnectWise ids with the names they had when saved. A null
 * team means the board's default team, which ConnectWise assigns to a ticket sent without one.
 */
export interface CwBoardSettingsTable {
  id: string;
  account_id: string;
  board_id: number;
  board_name: string;
  type_id: number;
  type_name: string;
  subtype_id: number | null;
  subtype_name: string | null;
  item_id: number | null;
  item_name: string | null;
  new_status_id: number;
  new_status_name: string;
  closed_status_id: number;
  closed_status_name: string;
  team_id: number | null;
  team_name: string | null;
  priority_critical_id: number;
  priority_critical_name: string;
  priority_high_id: number;
  priority_high_name: string;
  priority_medium_id: number;
  priority_medium_name: string;
  priority_low_id: number;
  priority_low_name: string;
  created_at: string;
  updated_at: string;
}
