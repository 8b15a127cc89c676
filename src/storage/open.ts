/**
 * Opening the database: embedded SQLite (the default) or PostgreSQL, behind one kysely
 * instance typed by {@link Database}, with the migrations applied.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  sql,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import pg from 'pg';
import type { DatabaseTarget } from '../config/config.js';
import { StorageError } from './errors.js';
import { migrateToLatest, type Dialect } from './migrate.js';
import type { Database } from './schema.js';

/** An open database. */
export interface Storage {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  /** Closes every connection. The instance is unusable afterwards. */
  close(): Promise<void>;
}

/** Options of {@link openStorage}. Give `databaseUrl` for PostgreSQL, else `sqlitePath`. */
export interface OpenStorageOptions {
  /** `postgres://…`: use PostgreSQL. */
  readonly databaseUrl?: string | undefined;
  /** The SQLite file, created with its directory when missing. Used when `databaseUrl` is unset. */
  readonly sqlitePath?: string | undefined;
  /** Apply pending migrations before returning. Default `true`. */
  readonly migrate?: boolean;
  /** Most PostgreSQL connections this process holds. Default `10`. */
  readonly poolMax?: number;
  /** How long a SQLite statement waits for another process's write lock. Default `5000`. */
  readonly busyTimeoutMs?: number;
}

/** The {@link OpenStorageOptions} for a configured {@link DatabaseTarget}. */
export function storageOptionsFor(target: DatabaseTarget): OpenStorageOptions {
  return target.kind === 'postgres'
    ? { databaseUrl: target.url }
    : { sqlitePath: target.sqlitePath };
}

/**
 * Opens the database and applies pending migrations.
 *
 * @example
 * const storage = await openStorage({ sqlitePath: 'data/psabridge.db' });
 * const accounts = await storage.db.selectFrom('accounts').selectAll().execute();
 * await storage.close();
 * @throws {StorageError} when the database cannot be reached or a migration fails.
 */
export async function openStorage(options: OpenStorageOptions): Promise<Storage> {
  const dialect: Dialect = options.databaseUrl ? 'postgres' : 'sqlite';
  const db = dialect === 'postgres' ? openPostgres(options) : openSqlite(options);
  const storage: Storage = {
    db,
    dialect,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };

  try {
    if (options.migrate ?? true) await migrateToLatest(db, dialect);
    else await storage.ping();
  } catch (err) {
    await db.destroy();
    if (err instanceof StorageError) throw err;
    throw new StorageError(
      `Cannot open the ${dialect} database (${where(options)}): ${(err as Error).message}`,
      { cause: err },
    );
  }
  return storage;
}

function openSqlite(options: OpenStorageOptions): Kysely<Database> {
  const file = options.sqlitePath;
  if (!file) {
    throw new StorageError(
      'openStorage needs a databaseUrl (PostgreSQL) or a sqlitePath (SQLite).',
    );
  }
  // The file holds password hashes and encrypted keys: a new data directory is private.
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  let database: BetterSqlite3.Database;
  try {
    database = new BetterSqlite3(file);
  } catch (err) {
    throw new StorageError(`Cannot open the SQLite file ${file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
  // WAL lets readers run beside the writer; busy_timeout makes a second process wait for the
  // lock instead of failing at once; SQLite leaves foreign keys off unless asked per connection.
  database.pragma('journal_mode = WAL');
  database.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
  database.pragma('foreign_keys = ON');
  database.pragma('synchronous = NORMAL');
  return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database }) });
}

function openPostgres(options: OpenStorageOptions): Kysely<Database> {
  // `count(*)` and other bigint results arrive as strings by default; counts here stay far
  // below 2^53, so numbers are safe and match what SQLite returns.
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.poolMax ?? 10,
    types,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

function where(options: OpenStorageOptions): string {
  if (!options.databaseUrl) return options.sqlitePath ?? '';
  try {
    const url = new URL(options.databaseUrl);
    return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  } catch {
    return 'the configured URL';
  }
}

/**
 * SQLite's plain `BEGIN` takes the write lock only at the first write, and a transaction that
 * then finds another process holding it fails at once with SQLITE_BUSY, ignoring busy_timeout.
 * `BEGIN IMMEDIATE` takes the lock up front, so the wait honours busy_timeout.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
