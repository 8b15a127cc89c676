/**
 * Accounts: one per MSP. These are install-level functions (the CLI and start-up use them);
 * request handlers only ever see their own account through `AuthContext.accountId`.
 */
import type { Kysely, Selectable } from 'kysely';
import { toIso } from '../storage/columns.js';
import { newId } from '../storage/ids.js';
import type { AccountsTable, Database } from '../storage/schema.js';
import type { Account } from './types.js';

/** Creates an account. */
export async function createAccount(
  db: Kysely<Database>,
  input: { readonly name: string },
  now: Date = new Date(),
): Promise<Account> {
  const row = { id: newId('acc'), name: input.name.trim(), created_at: toIso(now) };
  await db.insertInto('accounts').values(row).execute();
  return toAccount(row);
}

/** The account with `id`, or `undefined`. */
export async function getAccount(db: Kysely<Database>, id: string): Promise<Account | undefined> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toAccount(row);
}

/** Every account of the install, oldest first. */
export async function listAccounts(db: Kysely<Database>): Promise<Account[]> {
  const rows = await db
    .selectFrom('accounts')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toAccount);
}

function toAccount(row: Selectable<AccountsTable>): Account {
  return { id: row.id, name: row.name, createdAt: row.created_at };
}
