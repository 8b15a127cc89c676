/** Applies the migrations of a dialect, in order, each in its own transaction. */
import { Migrator, type Kysely, type Migration } from 'kysely';
import { StorageError } from './errors.js';
import { postgresMigrations } from './migrations/postgres/index.js';
import { sqliteMigrations } from './migrations/sqlite/index.js';
import type { Database } from './schema.js';

/** The two databases psabridge speaks to. */
export type Dialect = 'sqlite' | 'postgres';

/** The migrations of `dialect`, by name. */
export function migrationsFor(dialect: Dialect): Readonly<Record<string, Migration>> {
  return dialect === 'sqlite' ? sqliteMigrations : postgresMigrations;
}

/**
 * Brings the database up to the newest migration. Safe to run from several processes at once:
 * kysely's migrator takes a lock (a row lock on PostgreSQL; SQLite's write lock) first.
 *
 * @returns the names of the migrations applied now (empty when already up to date).
 * @throws {StorageError} naming the migration that failed, with the driver error as `cause`.
 */
export async function migrateToLatest(db: Kysely<Database>, dialect: Dialect): Promise<string[]> {
  const migrations = migrationsFor(dialect);
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new StorageError(
      failed
        ? `Database migration ${failed} (${dialect}) failed: ${describe(error)}`
        : `Database migrations (${dialect}) could not start: ${describe(error)}`,
      { cause: error },
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
