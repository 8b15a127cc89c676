/**
 * What every shared migration needs to write one table definition for both databases.
 */
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder } from 'kysely';

import type { Dialect } from '../../migrate.js';

/**
 * Ends a `createTable` for `dialect`: SQLite tables are STRICT, so a value of the wrong type is
 * refused there as PostgreSQL refuses it; PostgreSQL needs nothing.
 */
export function tableFinisher(
  dialect: Dialect,
): <T extends string>(table: CreateTableBuilder<T>) => CreateTableBuilder<T> {
  return (table) => (dialect === 'sqlite' ? table.modifyEnd(sql`strict`) : table);
}

/** The `account_id` column every per-account table has: required, gone with its account. */
export function accountColumn(c: ColumnDefinitionBuilder): ColumnDefinitionBuilder {
  return c.notNull().references('accounts.id').onDelete('cascade');
}
