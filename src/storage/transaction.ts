/** One transaction helper for both databases. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/**
 * Runs `work` in a transaction: committed when it resolves, rolled back when it throws. Called
 * with a transaction already open, it joins that transaction instead of nesting, so repository
 * functions that use it compose.
 *
 * On SQLite the transaction starts with `BEGIN IMMEDIATE` (see `open.ts`), so a second process
 * waits for the write lock instead of failing half-way.
 *
 * @example
 * await inTransaction(db, async (trx) => {
 *   await trx.insertInto('accounts').values(account).execute();
 *   await trx.insertInto('users').values(user).execute();
 * });
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Transaction<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<Database>);
  return db.transaction().execute(work);
}
