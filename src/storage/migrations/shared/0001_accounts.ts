/**
 * Accounts, users, sessions and API tokens, one definition for both databases. Column types
 * follow the portable conventions of `src/storage/schema.ts`, so rows look the same on both.
 */
import { sql, type Kysely } from 'kysely';

import type { Dialect } from '../../migrate.js';
import { accountColumn, tableFinisher } from './table-options.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const finish = tableFinisher(dialect);

  await finish(
    db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull()),
  ).execute();

  await finish(
    db.schema
      .createTable('users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', accountColumn)
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'viewer')`))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) =>
        c
          .notNull()
          .defaultTo(0)
          .check(sql`disabled in (0, 1)`),
      )
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull()),
  ).execute();
  // Emails are unique in the whole install: a login names no account.
  await db.schema.createIndex('users_email_key').unique().on('users').column('email').execute();
  await db.schema.createIndex('users_account_idx').on('users').column('account_id').execute();

  await finish(
    db.schema
      .createTable('sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', accountColumn)
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull()),
  ).execute();
  await db.schema
    .createIndex('sessions_token_hash_key')
    .unique()
    .on('sessions')
    .column('token_hash')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();

  await finish(
    db.schema
      .createTable('api_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', accountColumn)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('admin', 'viewer')`))
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('token_hint', 'text', (c) => c.notNull())
      .addColumn('created_by_user_id', 'text', (c) => c.references('users.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text'),
  ).execute();
  await db.schema
    .createIndex('api_tokens_token_hash_key')
    .unique()
    .on('api_tokens')
    .column('token_hash')
    .execute();
  await db.schema
    .createIndex('api_tokens_account_idx')
    .on('api_tokens')
    .column('account_id')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['api_tokens', 'sessions', 'users', 'accounts']) {
    await db.schema.dropTable(table).execute();
  }
}
