/**
 * Durable delivery, one definition for both databases: incidents (the domain's incident objects
 * with the columns queries filter on), the tickets the bridge made, the activity log, and each
 * account's rules override. Only the table options differ (`strict` on SQLite).
 */
import { sql, type Kysely } from 'kysely';

import type { Dialect } from '../../migrate.js';
import { accountColumn, tableFinisher } from './table-options.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const finish = tableFinisher(dialect);
  const account = accountColumn;

  // One problem and its ticket; `data` is the domain's Incident as JSON.
  await finish(
    db.schema
      .createTable('incidents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', account)
      .addColumn('incident_key', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text', (c) =>
        c.notNull().references('companies.id').onDelete('cascade'),
      )
      .addColumn('device_id', 'text', (c) => c.references('devices.id').onDelete('cascade'))
      .addColumn('condition', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('ticket_id', 'integer')
      .addColumn('external_xref', 'text')
      .addColumn('next_due_at', 'text')
      .addColumn('blocked_reason', 'text')
      .addColumn('blocked_fix', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema
    .createIndex('incidents_account_key')
    .unique()
    .on('incidents')
    .columns(['account_id', 'incident_key'])
    .execute();
  // The worker loads a company's live incidents of one condition for every event.
  await db.schema
    .createIndex('incidents_company_condition_idx')
    .on('incidents')
    .columns(['company_id', 'condition', 'state'])
    .execute();

  // Tickets the bridge made. One row per correlation key: a second create cannot be recorded.
  await finish(
    db.schema
      .createTable('tickets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', account)
      .addColumn('cw_ticket_id', 'integer', (c) => c.notNull())
      .addColumn('incident_key', 'text', (c) => c.notNull())
      .addColumn('external_xref', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text', (c) =>
        c.notNull().references('companies.id').onDelete('cascade'),
      )
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('cw_status_name', 'text')
      .addColumn('closed', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`closed in (0, 1)`),
      )
      .addColumn('merged_into_ticket_id', 'integer')
      .addColumn('record_type', 'text', (c) =>
        c
          .notNull()
          .defaultTo('service')
          .check(sql`record_type in ('service', 'project')`),
      )
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_checked_at', 'text'),
  ).execute();
  await db.schema
    .createIndex('tickets_account_xref_key')
    .unique()
    .on('tickets')
    .columns(['account_id', 'external_xref'])
    .execute();
  await db.schema
    .createIndex('tickets_account_cw_id_idx')
    .on('tickets')
    .columns(['account_id', 'cw_ticket_id'])
    .execute();
  await db.schema
    .createIndex('tickets_account_created_idx')
    .on('tickets')
    .columns(['account_id', 'created_at'])
    .execute();

  // What happened, newest last: events handled, ticket actions, failures with reason and fix.
  await finish(
    db.schema
      .createTable('activity')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', account)
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('info', 'warn', 'error')`))
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text')
      .addColumn('incident_key', 'text')
      .addColumn('ticket_id', 'integer')
      .addColumn('event_id', 'text')
      .addColumn('job_id', 'text'),
  ).execute();
  await db.schema
    .createIndex('activity_account_at_idx')
    .on('activity')
    .columns(['account_id', 'at'])
    .execute();

  // An account's rules override, merged over the defaults when read.
  await finish(
    db.schema
      .createTable('rules')
      .addColumn('account_id', 'text', (c) =>
        c.primaryKey().references('accounts.id').onDelete('cascade'),
      )
      .addColumn('override', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['rules', 'activity', 'tickets', 'incidents']) {
    await db.schema.dropTable(table).execute();
  }
}
