/**
 * The ConnectWise connection of each account and its service-board settings, one definition for
 * both databases. The private key is stored only as a `SecretBox` envelope bound to the account.
 * Board settings keep ConnectWise's ids (what tickets are written with) and the names they had
 * when saved (what people read), so a renamed or removed record can be reported by name.
 */
import { sql, type Kysely } from 'kysely';

import type { Dialect } from '../../migrate.js';
import { accountColumn, tableFinisher } from './table-options.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const finish = tableFinisher(dialect);
  const account = accountColumn;

  // One API member per account: where it signs in, its keys, and the outcome of the last check.
  await finish(
    db.schema
      .createTable('cw_connections')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', account)
      .addColumn('site', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull())
      .addColumn('private_key_encrypted', 'text', (c) => c.notNull())
      .addColumn('api_base', 'text', (c) => c.notNull())
      .addColumn('codebase', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('ok', 'broken')`))
      .addColumn('last_check', 'text')
      .addColumn('checked_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema
    .createIndex('cw_connections_account_key')
    .unique()
    .on('cw_connections')
    .column('account_id')
    .execute();

  // The service board tickets go to, and what they are created and closed with.
  await finish(
    db.schema
      .createTable('cw_board_settings')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', account)
      .addColumn('board_id', 'integer', (c) => c.notNull())
      .addColumn('board_name', 'text', (c) => c.notNull())
      .addColumn('type_id', 'integer', (c) => c.notNull())
      .addColumn('type_name', 'text', (c) => c.notNull())
      .addColumn('subtype_id', 'integer')
      .addColumn('subtype_name', 'text')
      .addColumn('item_id', 'integer')
      .addColumn('item_name', 'text')
      .addColumn('new_status_id', 'integer', (c) => c.notNull())
      .addColumn('new_status_name', 'text', (c) => c.notNull())
      .addColumn('closed_status_id', 'integer', (c) => c.notNull())
      .addColumn('closed_status_name', 'text', (c) => c.notNull())
      .addColumn('team_id', 'integer')
      .addColumn('team_name', 'text')
      .addColumn('priority_critical_id', 'integer', (c) => c.notNull())
      .addColumn('priority_critical_name', 'text', (c) => c.notNull())
      .addColumn('priority_high_id', 'integer', (c) => c.notNull())
      .addColumn('priority_high_name', 'text', (c) => c.notNull())
      .addColumn('priority_medium_id', 'integer', (c) => c.notNull())
      .addColumn('priority_medium_name', 'text', (c) => c.notNull())
      .addColumn('priority_low_id', 'integer', (c) => c.notNull())
      .addColumn('priority_low_name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema
    .createIndex('cw_board_settings_account_key')
    .unique()
    .on('cw_board_settings')
    .column('account_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['cw_board_settings', 'cw_connections']) {
    await db.schema.dropTable(table).execute();
  }
}
