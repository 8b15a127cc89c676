/**
 * Multi-row INSERT statements written as SQL text, for the two big inserts of every request
 * (events and jobs). Kysely builds and walks an operation tree with a node per value: for 1,000
 * rows of 9 to 11 columns that costs several milliseconds per statement, a sizeable share of a
 * whole request. The text here is made by one string join, and table and column names come only
 * from this module's callers, never from input; every value is a bound parameter.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';

/** A table's insert: its name, the columns written, and what follows `values (…)`. */
export interface BulkInsertShape<
  Table extends keyof Database,
  Column extends keyof Database[Table] & string,
> {
  readonly table: Table;
  readonly columns: readonly Column[];
  /** SQL after the values list, e.g. `on conflict (…) do nothing returning "id"`. */
  readonly suffix?: string;
}

/**
 * Inserts `rows` in one statement and returns the rows the statement returns (none without
 * `returning` in the suffix). The caller keeps the statement under the parameter limits (see
 * `statementChunks`).
 *
 * @example
 * await bulkInsert(trx, { table: 'jobs', columns: ['id', 'kind', …] }, jobs);
 */
export async function bulkInsert<
  Table extends keyof Database,
  Column extends keyof Database[Table] & string,
  Returned = never,
>(
  db: Kysely<Database>,
  shape: BulkInsertShape<Table, Column>,
  rows: readonly Pick<Database[Table], Column>[],
): Promise<Returned[]> {
  if (rows.length === 0) return [];
  const width = shape.columns.length;
  const dollar = placeholderStyle(db) === 'dollar';

  const parameters: unknown[] = [];
  const tuples: string[] = [];
  for (const row of rows) {
    const marks = new Array<string>(width);
    for (let i = 0; i < width; i++) {
      parameters.push(row[shape.columns[i] as Column]);
      marks[i] = dollar ? `$${parameters.length}` : '?';
    }
    tuples.push(`(${marks.join(', ')})`);
  }
  const columns = shape.columns.map((column) => `"${column}"`).join(', ');
  const text = `insert into "${shape.table}" (${columns}) values ${tuples.join(', ')}${
    shape.suffix ? ` ${shape.suffix}` : ''
  }`;
  const result = await db.executeQuery<Returned>(CompiledQuery.raw(text, parameters));
  return result.rows;
}

/**
 * How the connected database numbers parameters: PostgreSQL `$1`, SQLite `?`. Read from the
 * dialect's own compiler, so it holds for whatever `db` is (a transaction included).
 */
function placeholderStyle(db: Kysely<Database>): 'dollar' | 'question' {
  const probe = db.selectFrom('events').select('id').where('id', '=', '').compile().sql;
  return probe.includes('$1') ? 'dollar' : 'question';
}
