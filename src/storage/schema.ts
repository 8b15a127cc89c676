/**
 * The database schema as kysely sees it: one interface per table, gathered in {@link Database}.
 *
 * Conventions, so one schema fits SQLite and PostgreSQL (see README.md):
 * - ids are text, generated in code by `newId(prefix)`;
 * - timestamps are ISO-8601 UTC text (`toIso`), which sorts and compares as text;
 * - booleans are integers 0/1 (`toFlag` / `fromFlag`); JSON is text (`toJsonText`);
 * - column names are snake_case, exactly as in the migrations.
 *
 * A part that adds tables declares their interfaces in its own file and adds one line per
 * table to {@link Database}, next to the migration that creates them.
 */

import type { CwCompaniesTable, CwCompanySyncsTable } from '../companies/tables.js';
import type { CwBoardSettingsTable, CwConnectionsTable } from '../connection/tables.js';
import type { IncidentsTable } from '../incidents/tables.js';
import type { IngestTokensTable } from '../ingest/tables.js';
import type { RulesTable } from '../rules/tables.js';
import type { IntegrationHealthTable, TicketTrackingColumns } from '../tracking/tables.js';
import type { ActivityTable, TicketsTable } from '../worker/tables.js';

/** A user's or API token's role. `viewer` may read everything of its account and change nothing. */
export type RoleColumn = 'admin' | 'viewer';

/** One MSP. A self-hosted install starts with one; every other row belongs to an account. */
export interface AccountsTable {
  id: string;
  name: string;
  created_at: string;
}

/** A person who signs in to the console. Emails are unique in the whole install, lowercased. */
export interface UsersTable {
  id: string;
  account_id: string;
  email: string;
  display_name: string;
  role: RoleColumn;
  /** argon2id hash in PHC format; never leaves the accounts module. */
  password_hash: string;
  /** 0/1 */
  disabled: number;
  created_at: string;
  updated_at: string;
}

/** A signed-in browser. Only the SHA-256 of the cookie's token is stored. */
export interface SessionsTable {
  id: string;
  account_id: string;
  user_id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
}

/** A named bearer token for scripts and integrations. Only its SHA-256 is stored. */
export interface ApiTokensTable {
  id: string;
  account_id: string;
  name: string;
  role: RoleColumn;
  token_hash: string;
  /** `psb_` and the next 4 characters, so people can tell their tokens apart. */
  token_hint: string;
  created_by_user_id: string | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

/**
 * A company as the backup console names it. `name` is what events carry and what the integration
 * page matches against ConnectWise's Company ID; `cw_company_id` is the mapping once known
 * (`mapping_source`: found by exact ID, set by hand, or a confirmed suggestion).
 */
export interface CompaniesTable {
  id: string;
  account_id: string;
  name: string;
  /** 0/1: the per-company switch; 0 means no new tickets for this company. */
  ticketing_enabled: number;
  cw_company_id: number | null;
  mapping_source: 'auto' | 'manual' | 'suggestion';
  registered_by: 'api' | 'event' | 'config';
  created_at: string;
  updated_at: string;
}

/** A device named by events; `device_key` is the event's stable `device.id`. */
export interface DevicesTable {
  id: string;
  account_id: string;
  company_id: string;
  device_key: string;
  name: string | null;
  os: string | null;
  first_seen_at: string;
  last_seen_at: string;
}

/** An accepted event. `payload` is the validated event as JSON text. */
export interface EventsTable {
  id: string;
  account_id: string;
  /** The sender's optional `id`; unique per account, so a repeat is accepted once. */
  client_event_id: string | null;
  type: string;
  company_id: string;
  device_id: string;
  occurred_at: string;
  received_at: string;
  payload: string;
}

/** Job states: `blocked` waits for an admin-visible cause to be fixed; `dead` gave up. */
export type JobState = 'queued' | 'running' | 'done' | 'blocked' | 'dead';

/**
 * The durable work queue. Jobs sharing an `ordering_key` run one at a time in id order (ids are
 * time-ordered); different keys run in parallel. `locked_until` lets another worker take over a
 * job whose worker died.
 */
export interface JobsTable {
  id: string;
  account_id: string;
  kind: string;
  ordering_key: string;
  event_id: string | null;
  /** JSON text. */
  payload: string;
  state: JobState;
  attempts: number;
  run_after: string;
  locked_by: string | null;
  locked_until: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** Every table, by name. */
export interface Database {
  accounts: AccountsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  companies: CompaniesTable;
  devices: DevicesTable;
  events: EventsTable;
  jobs: JobsTable;
  ingest_tokens: IngestTokensTable;
  cw_companies: CwCompaniesTable;
  cw_company_syncs: CwCompanySyncsTable;
  cw_connections: CwConnectionsTable;
  cw_board_settings: CwBoardSettingsTable;
  incidents: IncidentsTable;
  tickets: TicketsTable & TicketTrackingColumns;
  activity: ActivityTable;
  rules: RulesTable;
  integration_health: IntegrationHealthTable;
}
