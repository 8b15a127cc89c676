/**
 * Ingest tokens: the bearer tokens the backup platform sends events with, per account, named,
 * revocable. A created token is returned once; only its SHA-256 (`hashToken`) and a short hint
 * are stored. A token carries 256 random bits, so a fast hash is safe, and the check stays one
 * indexed query: a password hash here would cap ingestion at a few requests per second.
 *
 * Lookups are not cached, so a revoked token stops working with the next request.
 */
import type { Kysely, Selectable } from 'kysely';
import { hashToken } from '../secrets/hashing.js';
import { generateToken, tokenHint } from '../secrets/tokens.js';
import { toIso } from '../storage/columns.js';
import { isUniqueViolation } from '../storage/errors.js';
import { newId } from '../storage/ids.js';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { IngestTokenValueError } from './errors.js';
import type { IngestTokensTable } from './tables.js';

/**
 * `last_used_at` is refreshed at most this often per token, so a busy sender does not turn
 * every request into an extra write.
 */
export const INGEST_TOKEN_LAST_USED_RESOLUTION_MS = 60_000;

/** Shortest token value {@link setIngestTokenFromValue} accepts: 32 characters. */
export const MIN_INGEST_TOKEN_LENGTH = 32;

/** Longest token value {@link setIngestTokenFromValue} accepts: 512 characters. */
export const MAX_INGEST_TOKEN_LENGTH = 512;

/** An ingest token as listed: its hint, never the token or its hash. */
export interface IngestToken {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  /** `psb_` and the next 4 characters of a generated token; the first 8 of a configured one. */
  readonly hint: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** Who sent a request, as its ingest token says. */
export interface IngestCaller {
  readonly accountId: string;
  readonly tokenId: string;
}

/**
 * Creates an ingest token named `name` in `accountId`; `token` is the only copy of the secret.
 *
 * @example
 * const { token, ingestToken } = await createIngestToken(db, accountId, 'Backup console');
 */
export async function createIngestToken(
  db: Kysely<Database>,
  accountId: string,
  name: string,
  now: Date = new Date(),
): Promise<{ readonly token: string; readonly ingestToken: IngestToken }> {
  const token = generateToken();
  const row = newRow(accountId, name, token, now);
  await db.insertInto('ingest_tokens').values(row).execute();
  return { token, ingestToken: toIngestToken(row) };
}

/** The ingest tokens of `accountId`, revoked ones included, newest first. */
export async function listIngestTokens(
  db: Kysely<Database>,
  accountId: string,
): Promise<IngestToken[]> {
  const rows = await db
    .selectFrom('ingest_tokens')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toIngestToken);
}

/** Ingest token `id` of `accountId`, or `undefined`. */
export async function getIngestToken(
  db: Kysely<Database>,
  accountId: string,
  id: string,
): Promise<IngestToken | undefined> {
  const row = await db
    .selectFrom('ingest_tokens')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && toIngestToken(row);
}

/**
 * Revokes ingest token `id` of `accountId`: the next request with it gets 401. It stays listed
 * as revoked; revoking it again changes nothing.
 *
 * @returns the token, or `undefined` when the account has no such token.
 */
export async function revokeIngestToken(
  db: Kysely<Database>,
  accountId: string,
  id: string,
  now: Date = new Date(),
): Promise<IngestToken | undefined> {
  await db
    .updateTable('ingest_tokens')
    .set({ revoked_at: toIso(now) })
    .where('account_id', '=', accountId)
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  return getIngestToken(db, accountId, id);
}

/**
 * The account a bearer token sends events for, or `undefined` when it is no live ingest token
 * (unknown, revoked, or another kind of token). One indexed query; records when the token was
 * last used, at most every {@link INGEST_TOKEN_LAST_USED_RESOLUTION_MS}.
 */
export async function resolveIngestToken(
  db: Kysely<Database>,
  token: string,
  now: Date = new Date(),
): Promise<IngestCaller | undefined> {
  const row = await db
    .selectFrom('ingest_tokens')
    .select(['id', 'account_id', 'last_used_at'])
    .where('token_hash', '=', hashToken(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;

  const stale = toIso(new Date(now.getTime() - INGEST_TOKEN_LAST_USED_RESOLUTION_MS));
  if (row.last_used_at === null || row.last_used_at < stale) {
    await db
      .updateTable('ingest_tokens')
      .set({ last_used_at: toIso(now) })
      .where('id', '=', row.id)
      .execute();
  }
  return { accountId: row.account_id, tokenId: row.id };
}

/**
 * Makes `token` a live ingest token of `accountId` named `name`, for configuration as code (the
 * value comes from the environment). Idempotent: applying the same name and value again changes
 * nothing. The file wins over the console: a token of this value that was revoked works again,
 * and other live tokens of the account with the same name are revoked, so changing the
 * configured value rotates the token.
 *
 * @param token at least {@link MIN_INGEST_TOKEN_LENGTH} printable ASCII characters, no spaces.
 * @returns the token as listed.
 * @throws {IngestTokenValueError} when the value is too short, carries characters a header
 *   cannot, or is the ingest token of another account.
 * @example
 * await setIngestTokenFromValue(db, accountId, 'backup-console', env.PSABRIDGE_INGEST_TOKEN);
 */
export async function setIngestTokenFromValue(
  db: Kysely<Database>,
  accountId: string,
  name: string,
  token: string,
  now: Date = new Date(),
): Promise<IngestToken> {
  checkTokenValue(token);
  const trimmedName = name.trim();
  if (trimmedName === '') {
    throw new IngestTokenValueError('An ingest token needs a name; give the configured token one.');
  }
  try {
    return await applyTokenValue(db, accountId, trimmedName, token, now);
  } catch (err) {
    // Two processes applying the same configuration at once: the other one inserted it first.
    if (!isUniqueViolation(err)) throw err;
    return applyTokenValue(db, accountId, trimmedName, token, now);
  }
}

async function applyTokenValue(
  db: Kysely<Database>,
  accountId: string,
  name: string,
  token: string,
  now: Date,
): Promise<IngestToken> {
  return inTransaction(db, async (trx) => {
    const hash = hashToken(token);
    const existing = await trx
      .selectFrom('ingest_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .executeTakeFirst();
    if (existing && existing.account_id !== accountId) {
      throw new IngestTokenValueError(
        'This ingest token value is already the ingest token of another account; give each account its own value (for example `openssl rand -base64 32`).',
      );
    }

    let id: string;
    if (!existing) {
      const row = newRow(accountId, name, token, now);
      await trx.insertInto('ingest_tokens').values(row).execute();
      id = row.id;
    } else {
      id = existing.id;
      if (existing.name !== name || existing.revoked_at !== null) {
        await trx
          .updateTable('ingest_tokens')
          .set({ name, revoked_at: null })
          .where('id', '=', id)
          .execute();
      }
    }

    // A changed value under the same name replaces the old token.
    await trx
      .updateTable('ingest_tokens')
      .set({ revoked_at: toIso(now) })
      .where('account_id', '=', accountId)
      .where('name', '=', name)
      .where('id', '!=', id)
      .where('revoked_at', 'is', null)
      .execute();

    const row = await trx
      .selectFrom('ingest_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    return toIngestToken(row);
  });
}

function checkTokenValue(token: string): void {
  if (token.length < MIN_INGEST_TOKEN_LENGTH) {
    throw new IngestTokenValueError(
      `The configured ingest token has ${token.length} characters; use at least ${MIN_INGEST_TOKEN_LENGTH} random ones (for example \`openssl rand -base64 32\`), since it is stored behind a fast hash.`,
    );
  }
  if (token.length > MAX_INGEST_TOKEN_LENGTH) {
    throw new IngestTokenValueError(
      `The configured ingest token has ${token.length} characters; use at most ${MAX_INGEST_TOKEN_LENGTH}.`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new IngestTokenValueError(
      'The configured ingest token may hold only printable ASCII characters without spaces, since it is sent as "Authorization: Bearer <token>".',
    );
  }
}

function newRow(
  accountId: string,
  name: string,
  token: string,
  now: Date,
): Selectable<IngestTokensTable> {
  return {
    id: newId('itk', now.getTime()),
    account_id: accountId,
    name: name.trim(),
    token_hash: hashToken(token),
    token_hint: tokenHint(token),
    created_at: toIso(now),
    last_used_at: null,
    revoked_at: null,
  };
}

function toIngestToken(row: Selectable<IngestTokensTable>): IngestToken {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    hint: row.token_hint,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}
