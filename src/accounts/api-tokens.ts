/**
 * API tokens: named bearer tokens for scripts, per account, with a role. The token is returned
 * once by {@link createApiToken}; only its SHA-256 and a short hint are stored.
 */
import type { Kysely, Selectable } from 'kysely';
import { hashToken } from '../secrets/hashing.js';
import { generateToken, tokenHint } from '../secrets/tokens.js';
import { toIso } from '../storage/columns.js';
import { newId } from '../storage/ids.js';
import type { ApiTokensTable, Database } from '../storage/schema.js';
import type { ApiToken, AuthContext, Role } from './types.js';

/**
 * `last_used_at` is refreshed at most this often per token, so a busy script does not turn
 * every read into a write.
 */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** What a new token needs. */
export interface NewApiToken {
  readonly name: string;
  readonly role: Role;
  readonly createdByUserId?: string | undefined;
  /**
   * The secret, for a caller that derives it itself (the demo derives its token from the master
   * key, so every start of one data directory prints the same token). At least 32 characters.
   * Default: a new {@link generateToken} value.
   */
  readonly token?: string | undefined;
}

/** Creates a token in `accountId`; `token` is the only copy of the secret. */
export async function createApiToken(
  db: Kysely<Database>,
  accountId: string,
  input: NewApiToken,
  now: Date = new Date(),
): Promise<{ readonly token: string; readonly apiToken: ApiToken }> {
  const token = input.token ?? generateToken();
  if (token.length < 32 || /\s/.test(token)) {
    throw new RangeError('An API token must be at least 32 characters without spaces.');
  }
  const row = {
    id: newId('tok'),
    account_id: accountId,
    name: input.name.trim(),
    role: input.role,
    token_hash: hashToken(token),
    token_hint: tokenHint(token),
    created_by_user_id: input.createdByUserId ?? null,
    created_at: toIso(now),
    last_used_at: null,
    revoked_at: null,
  };
  await db.insertInto('api_tokens').values(row).execute();
  return { token, apiToken: toApiToken(row) };
}

/** The tokens of `accountId`, revoked ones included, newest first. */
export async function listApiTokens(db: Kysely<Database>, accountId: string): Promise<ApiToken[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toApiToken);
}

/** Token `id` of `accountId`, or `undefined`. */
export async function getApiToken(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<ApiToken | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toApiToken(row);
}

/**
 * Revokes token `id` of `accountId`; it stops working at once and stays listed as revoked.
 *
 * @returns the token, or `undefined` when the account has no such token.
 */
export async function revokeApiToken(
  db: Kysely<Database>,
  accountId: string,
  id: string,
  now: Date = new Date(),
): Promise<ApiToken | undefined> {
  await db
    .updateTable('api_tokens')
    .set({ revoked_at: toIso(now) })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  return getApiToken(db, accountId, id);
}

/**
 * Who a bearer token belongs to, or `undefined` when it is unknown or revoked. Records when
 * the token was last used (to {@link LAST_USED_RESOLUTION_MS}).
 */
export async function resolveApiToken(
  db: Kysely<Database>,
  token: string,
  now: Date = new Date(),
): Promise<AuthContext | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(['id', 'account_id', 'role', 'last_used_at'])
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;

  const stale = toIso(new Date(now.getTime() - LAST_USED_RESOLUTION_MS));
  if (row.last_used_at === null || row.last_used_at < stale) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: toIso(now) })
      .where('id', '=', row.id)
      .execute();
  }
  return { accountId: row.account_id, role: row.role, via: 'api_token', credentialId: row.id };
}

function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    role: row.role,
    hint: row.token_hint,
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
