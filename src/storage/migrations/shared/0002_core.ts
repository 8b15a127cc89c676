/**
 * The bridge's core tables, one definition for both databases: the backup console's companies
 * and devices, the events accepted from the backup platform, and the durable job table the worker
 * claims from. Only the table options differ (`strict` on SQLite, so a wrong type is refused as
 * PostgreSQL would refuse it).
 */
import { sql, type Kysely } from 'kysely';

import type { Dialect } from '../../migrate.js';
import { accountColumn, tableFinisher } from './table-options.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const finish = tableFinisher(dialect);
  const account = accountColumn;

  // A company as the backup console names it. `name` is matched against ConnectWise's Company ID.
  await finish(
    db.schema
      .createTable('companies')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', account)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('ticketing_enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('cw_company_id', 'integer')
      .addColumn('mapping_source', 'text', (c) =>
        c
          .notNull()
          .defaultTo('auto')
          .check(sql`mapping_source in ('auto', 'manual', 'suggestion')`),
      )
      .addColumn('registered_by', 'text', (c) =>
        c.notNull().check(sql`registered_by in ('api', 'event', 'config')`),
      )
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema
    .createIndex('companies_account_name_key')
    .unique()
    .on('companies')
    .columns(['account_id', 'name'])
    .execute();

  // A device as events name it; `device_key` is the event's stable `device.id`.
  await finish(
    db.schema
      .createTable('devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', account)
      .addColumn('company_id', 'text', (c) =>
        c.notNull().references('companies.id').onDelete('cascade'),
      )
      .addColumn('device_key', 'text', (c) => c.notNull())
      .addColumn('name', 'text')
      .addColumn('os', 'text')
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema
    .createIndex('devices_company_key')
    .unique()
    .on('devices')
    .columns(['company_id', 'device_key'])
    .execute();

  // Every accepted event, as validated. A client `id` is accepted once per account.
  await finish(
    db.schema
      .createTable('events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', account)
      .addColumn('client_event_id', 'text')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id'))
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema
    .createIndex('events_client_id_key')
    .unique()
    .on('events')
    .columns(['account_id', 'client_event_id'])
    .execute();
  await db.schema
    .createIndex('events_account_received_idx')
    .on('events')
    .columns(['account_id', 'received_at'])
    .execute();

  // The durable work queue. Jobs with the same `ordering_key` run one at a time, oldest first
  // (ids are time-ordered); different keys run in parallel.
  await finish(
    db.schema
      .createTable('jobs')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', account)
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('ordering_key', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.references('events.id'))
      .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('state', 'text', (c) =>
        c
          .notNull()
          .defaultTo('queued')
          .check(sql`state in ('queued', 'running', 'done', 'blocked', 'dead')`),
      )
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('run_after', 'text', (c) => c.notNull())
      .addColumn('locked_by', 'text')
      .addColumn('locked_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema
    .createIndex('jobs_claim_idx')
    .on('jobs')
    .columns(['state', 'run_after'])
    .execute();
  await db.schema
    .createIndex('jobs_ordering_idx')
    .on('jobs')
    .columns(['ordering_key', 'state', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['jobs', 'events', 'devices', 'companies']) {
    await db.schema.dropTable(table).execute();
  }
}
