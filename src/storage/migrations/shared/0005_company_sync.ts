/**
 * The bridge's copy of each account's ConnectWise companies (`cw_companies`) and the state of
 * the sync that fills it (`cw_company_syncs`), one definition for both databases. Readiness,
 * suggestions and ticket targets read these rows, so no ticket costs a company look-up in
 * ConnectWise.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';

import type { Dialect } from '../../migrate.js';
import { accountColumn, tableFinisher } from './table-options.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const finish = tableFinisher(dialect);
  const account = accountColumn;
  const flag = (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => c.notNull().defaultTo(0);

  // One row per ConnectWise company and account; ConnectWise's id is the natural key.
  await finish(
    db.schema
      .createTable('cw_companies')
      .addColumn('account_id', 'text', account)
      .addColumn('cw_id', 'integer', (c) => c.notNull())
      .addColumn('identifier', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('deleted', 'integer', flag)
      .addColumn('status_id', 'integer')
      .addColumn('status_name', 'text')
      .addColumn('inactive', 'integer', flag)
      .addColumn('saving_disallowed', 'integer', flag)
      .addColumn('contact_id', 'integer')
      .addColumn('contact_name', 'text')
      .addColumn('contact_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('synced_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('cw_companies_pkey', ['account_id', 'cw_id']),
  ).execute();
  // The integration page's rule looks companies up by Company ID (`identifier`).
  await db.schema
    .createIndex('cw_companies_identifier_idx')
    .on('cw_companies')
    .columns(['account_id', 'identifier'])
    .execute();

  // The last sync per account: when, how it ended, and why it failed.
  await finish(
    db.schema
      .createTable('cw_company_syncs')
      .addColumn('account_id', 'text', (c) =>
        c.primaryKey().references('accounts.id').onDelete('cascade'),
      )
      .addColumn('state', 'text', (c) =>
        c.notNull().check(sql`state in ('running', 'ok', 'failed')`),
      )
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('last_ok_at', 'text')
      .addColumn('companies', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('contacts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text'),
  ).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['cw_company_syncs', 'cw_companies']) {
    await db.schema.dropTable(table).execute();
  }
}
