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

/** Every table, by name. */
export interface Database {
  accounts: AccountsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
}
