/**
 * Splitting multi-row statements under the databases' parameter limits: SQLite (as built into
 * better-sqlite3) takes at most 32,766 parameters per statement, PostgreSQL's wire protocol
 * 65,535. One statement per table per request is what makes ingestion fast; a request of 1,000
 * events fits in one statement per table with room to spare.
 */

/** Parameters one statement may carry on either database, with a margin below SQLite's limit. */
export const MAX_PARAMETERS_PER_STATEMENT = 30_000;

/**
 * `rows` in consecutive chunks of at most `MAX_PARAMETERS_PER_STATEMENT / columns` rows.
 *
 * @param columns the parameters each row binds.
 * @example
 * for (const chunk of statementChunks(rows, 9)) await trx.insertInto('events').values(chunk).execute();
 */
export function statementChunks<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS_PER_STATEMENT / Math.max(1, columns)));
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}
