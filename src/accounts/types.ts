/** The accounts module's domain types, as the rest of psabridge sees them (camelCase, no hashes). */
import type { RoleColumn } from '../storage/schema.js';

/** `admin` may change the account's settings, users and tokens; `viewer` may only read. */
export type Role = RoleColumn;

/** Every role, most powerful first. */
export const ROLES: readonly Role[] = ['admin', 'viewer'];

/** One MSP. */
export interface Account {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
}

/** A console user. The password hash never leaves the accounts module. */
export interface User {
  readonly id: string;
  readonly accountId: string;
  readonly email: string;
  readonly displayName: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** An API token as listed: its hint, never the token or its hash. */
export interface ApiToken {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly role: Role;
  /** `psb_` and the next 4 characters of the token. */
  readonly hint: string;
  readonly createdByUserId: string | null;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/**
 * Who is making a request: the account every query is scoped to, the role that decides what it
 * may change, and the credential that proved it.
 */
export interface AuthContext {
  readonly accountId: string;
  readonly role: Role;
  /** Set for a signed-in user; absent for an API token. */
  readonly userId?: string;
  readonly via: 'session' | 'api_token';
  /** The session's or the API token's id (never the secret). */
  readonly credentialId: string;
}
