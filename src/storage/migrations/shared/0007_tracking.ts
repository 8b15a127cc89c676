/**
 * Ticket tracking and the integration's watch over itself, one definition for both databases:
 * what tracking last saw of each ticket besides its status (deleted, board, when it closed) and
 * when it should look again, and one row per account with the last health check, its alarm and
 * the lease that lets one process at a time check an account.
 */
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

import type { Dialect } from '../../migrate.js';
import { tableFinisher } from './table-options.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const finish = tableFinisher(dialect);
  const flag = (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => c.notNull().defaultTo(0);

  // One column per statement: SQLite's ALTER TABLE adds one column at a time.
  const columns: [string, 'integer' | 'text'][] = [
    ['deleted_at', 'text'],
    ['board_id', 'integer'],
    ['board_name', 'text'],
    ['closed_at', 'text'],
    ['check_due_at', 'text'],
  ];
  for (const [name, type] of columns) {
    await db.schema.alterTable('tickets').addColumn(name, type).execute();
  }
  // The poller claims an account's tickets that are due, oldest due first.
  await db.schema
    .createIndex('tickets_account_check_idx')
    .on('tickets')
    .columns(['account_id', 'check_due_at'])
    .execute();

  await finish(
    db.schema
      .createTable('integration_health')
      .addColumn('account_id', 'text', (c) =>
        c.primaryKey().references('accounts.id').onDelete('cascade'),
      )
      .addColumn('board_state', 'text', (c) => c.notNull().defaultTo('unknown'))
      .addColumn('board_problems', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('checked_at', 'text')
      .addColumn('alarm_since', 'text')
      .addColumn('alarm_codes', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('next_check_at', 'text')
      .addColumn('check_requested', 'integer', flag)
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', 'text')
      .addColumn('polled_at', 'text')
      .addColumn('poll_error', 'text'),
  ).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('integration_health').execute();
  await db.schema.dropIndex('tickets_account_check_idx').execute();
  for (const name of ['check_due_at', 'closed_at', 'board_name', 'board_id', 'deleted_at']) {
    await db.schema.alterTable('tickets').dropColumn(name).execute();
  }
}
