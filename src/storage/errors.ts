/** Storage errors, and recognisers for the driver errors callers branch on. */

/** The database could not be opened or migrated. */
export class StorageError extends Error {
  override readonly name = 'StorageError';
}

/**
 * True when `err` is a unique-constraint violation on either database (SQLite's
 * `SQLITE_CONSTRAINT_UNIQUE` / `SQLITE_CONSTRAINT_PRIMARYKEY`, PostgreSQL's `23505`), so callers
 * can turn an insert race into a clear "already exists" answer.
 */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

/** True when `err` is a foreign-key violation on either database. */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
