/**
 * The `cw_connections` rows: one per account. The private key is written only as a `SecretBox`
 * envelope bound to the account (`connectwise:<accountId>`), and read back only by
 * {@link getConnectionCredentials}; every other reader gets a view without it.
 */
import type { Kysely, Selectable } from 'kysely';

import type { SecretBox } from '../secrets/secret-box.js';
import { fromJsonText, toIso, toJsonText } from '../storage/columns.js';
import { newId } from '../storage/ids.js';
import type { Database } from '../storage/schema.js';
import { maskKey } from './mask.js';
import type { CwConnectionsTable } from './tables.js';
import type {
  ConnectionCheckReport,
  ConnectionStatus,
  ConnectionView,
  ManageCredentials,
} from './types.js';

/** The `SecretBox` context of an account's private key: a copied envelope fails elsewhere. */
export function privateKeyContext(accountId: string): string {
  return `connectwise:${accountId}`;
}

/** What {@link upsertConnection} writes. */
export interface ConnectionRecord {
  readonly site: string;
  readonly companyId: string;
  readonly publicKey: string;
  readonly privateKey: string;
  readonly apiBase: string;
  readonly codebase: string;
  readonly report: ConnectionCheckReport;
}

/**
 * Saves the account's connection, replacing any previous one (race-safe: one row per account by
 * the unique index, written with an upsert on both databases).
 */
export async function upsertConnection(
  db: Kysely<Database>,
  secretBox: SecretBox,
  accountId: string,
  record: ConnectionRecord,
  now: Date = new Date(),
): Promise<ConnectionView> {
  const at = toIso(now);
  const values = {
    site: record.site,
    company_id: record.companyId,
    public_key: record.publicKey,
    private_key_encrypted: secretBox.encrypt(record.privateKey, privateKeyContext(accountId)),
    api_base: record.apiBase,
    codebase: record.codebase,
    status: record.report.ok ? ('ok' as const) : ('broken' as const),
    last_check: toJsonText(record.report),
    checked_at: record.report.checkedAt,
    updated_at: at,
  };
  await db
    .insertInto('cw_connections')
    .values({ id: newId('cwc'), account_id: accountId, created_at: at, ...values })
    .onConflict((oc) => oc.column('account_id').doUpdateSet(values))
    .execute();
  const view = await findConnection(db, accountId);
  if (!view) throw new Error(`the connection of ${accountId} vanished right after it was saved`);
  return view;
}

/** The account's connection without its private key, or null when none is saved. */
export async function findConnection(
  db: Kysely<Database>,
  accountId: string,
): Promise<ConnectionView | null> {
  const row = await db
    .selectFrom('cw_connections')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? toView(row) : null;
}

/**
 * The account's saved credentials, decrypted, or null when none are saved. For opening clients
 * inside the process only; never put the result in an answer or a log line.
 *
 * @throws SecretDecryptError when the stored key cannot be decrypted (another master key).
 */
export async function getConnectionCredentials(
  db: Kysely<Database>,
  secretBox: SecretBox,
  accountId: string,
): Promise<ManageCredentials | null> {
  const row = await db
    .selectFrom('cw_connections')
    .select(['site', 'api_base', 'company_id', 'public_key', 'private_key_encrypted', 'codebase'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    site: row.site,
    apiBase: row.api_base,
    companyId: row.company_id,
    publicKey: row.public_key,
    privateKey: secretBox.decrypt(row.private_key_encrypted, privateKeyContext(accountId)),
    codebase: row.codebase,
  };
}

/** Deletes the account's connection; false when there was none. */
export async function deleteConnection(db: Kysely<Database>, accountId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('cw_connections')
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Records the outcome of a later check of the saved connection (the doctor, a re-check from the
 * console): the status follows `report.ok`. False when the account has no connection.
 */
export async function recordConnectionCheck(
  db: Kysely<Database>,
  accountId: string,
  report: ConnectionCheckReport,
): Promise<boolean> {
  const result = await db
    .updateTable('cw_connections')
    .set({
      status: report.ok ? 'ok' : 'broken',
      last_check: toJsonText(report),
      checked_at: report.checkedAt,
      ...(report.codebase !== null && { codebase: report.codebase }),
    })
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Sets the connection's status without a full check, e.g. when the worker sees its keys refused
 * (`broken`) or accepted again (`ok`). False when the account has no connection.
 */
export async function setConnectionStatus(
  db: Kysely<Database>,
  accountId: string,
  status: ConnectionStatus,
): Promise<boolean> {
  const result = await db
    .updateTable('cw_connections')
    .set({ status })
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Caches a codebase the client found changed (a cloud upgrade, reference §2.2). */
export async function updateCachedCodebase(
  db: Kysely<Database>,
  accountId: string,
  codebase: string,
): Promise<void> {
  await db
    .updateTable('cw_connections')
    .set({ codebase })
    .where('account_id', '=', accountId)
    .execute();
}

function toView(row: Selectable<CwConnectionsTable>): ConnectionView {
  return {
    site: row.site,
    companyId: row.company_id,
    publicKeyMasked: maskKey(row.public_key),
    apiBase: row.api_base,
    codebase: row.codebase,
    status: row.status,
    lastCheck:
      row.last_check === null ? null : (fromJsonText(row.last_check) as ConnectionCheckReport),
    checkedAt: row.checked_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
