/**
 * The ingestion part's table, one definition for both databases: the ingest tokens the backup
 * platform authenticates with. Events, devices and jobs live in the core tables (`0002_core`).
 */
import type { Kysely } from 'kysely';

import type { Dialect } from '../../migrate.js';
import { accountColumn, tableFinisher } from './table-options.js';

export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const finish = tableFinisher(dialect);

  // Only the token's SHA-256 is kept; the hash alone names the account, so it is unique.
  await finish(
    db.schema
      .createTable('ingest_tokens')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', accountColumn)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('token_hint', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text'),
  ).execute();
  await db.schema
    .createIndex('ingest_tokens_hash_key')
    .unique()
    .on('ingest_tokens')
    .column('token_hash')
    .execute();
  await db.schema
    .createIndex('ingest_tokens_account_idx')
    .on('ingest_tokens')
    .columns(['account_id', 'created_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('ingest_tokens').execute();
}
