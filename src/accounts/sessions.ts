/**
 * Console sessions. The browser holds a random token in a cookie; the database holds only its
 * SHA-256, so a copy of the database cannot be used to sign in.
 */
import type { Kysely } from 'kysely';
import { hashToken } from '../secrets/hashing.js';
import { generateToken } from '../secrets/tokens.js';
import { toIso } from '../storage/columns.js';
import { newId } from '../storage/ids.js';
import type { Database } from '../storage/schema.js';
import type { AuthContext } from './types.js';

/** How long a session lasts when no `ttlMs` is given: 12 hours, a working day. */
export const DEFAULT_SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A new session: `token` goes into the cookie and is not stored anywhere. */
export interface NewSession {
  readonly id: string;
  readonly token: string;
  readonly expiresAt: string;
}

/** Starts a session for user `userId` of `accountId`. */
export async function createSession(
  db: Kysely<Database>,
  input: { readonly accountId: string; readonly userId: string; readonly ttlMs?: number },
  now: Date = new Date(),
): Promise<NewSession> {
  const token = generateToken();
  const row = {
    id: newId('ses'),
    account_id: input.accountId,
    user_id: input.userId,
    token_hash: hashToken(token),
    created_at: toIso(now),
    expires_at: toIso(new Date(now.getTime() + (input.ttlMs ?? DEFAULT_SESSION_TTL_MS))),
  };
  await db.insertInto('sessions').values(row).execute();
  return { id: row.id, token, expiresAt: row.expires_at };
}

/**
 * Who a session token belongs to, or `undefined` when it is unknown, expired, or its user is
 * disabled. The role is read from the user on every call, so a demotion applies at once.
 */
export async function resolveSession(
  db: Kysely<Database>,
  token: string,
  now: Date = new Date(),
): Promise<AuthContext | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', (join) =>
      join
        .onRef('users.id', '=', 'sessions.user_id')
        .onRef('users.account_id', '=', 'sessions.account_id'),
    )
    .select(['sessions.id as sessionId', 'sessions.account_id', 'sessions.user_id', 'users.role'])
    .where('sessions.token_hash', '=', hashToken(token))
    .where('sessions.expires_at', '>', toIso(now))
    .where('users.disabled', '=', 0)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    accountId: row.account_id,
    userId: row.user_id,
    role: row.role,
    via: 'session',
    credentialId: row.sessionId,
  };
}

/** Ends the session holding `token`; a no-op for an unknown token. */
export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Ends every session of user `userId` of `accountId`. */
export async function deleteSessionsOfUser(
  db: Kysely<Database>,
  accountId: string,
  userId: string,
): Promise<void> {
  await db
    .deleteFrom('sessions')
    .where('account_id', '=', accountId)
    .where('user_id', '=', userId)
    .execute();
}

/** Deletes expired sessions of every account; returns how many. Run it now and then. */
export async function purgeExpiredSessions(
  db: Kysely<Database>,
  now: Date = new Date(),
): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where('expires_at', '<=', toIso(now))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
