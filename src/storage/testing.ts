/**
 * Test harness: run the same storage tests on SQLite and on PostgreSQL.
 *
 * SQLite always runs, on a temporary file. PostgreSQL runs when `PSABRIDGE_TEST_DATABASE_URL`
 * names a server whose role may create databases (`npm test` starts one); each block gets a
 * freshly created database that is dropped afterwards. Without the variable the PostgreSQL
 * block is reported as skipped, never as passed.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Dialect } from './migrate.js';
import { openStorage, type OpenStorageOptions, type Storage } from './open.js';
import type { Database } from './schema.js';

/** What a {@link describeEachDialect} body sees. `storage` and `db` are usable inside tests. */
export interface DialectTestContext {
  readonly dialect: Dialect;
  readonly storage: Storage;
  readonly db: Kysely<Database>;
}

/** A database made for one test block, and how to throw it away. */
export interface TestStorage {
  readonly storage: Storage;
  /** Closes the storage and deletes the file or drops the database. */
  dispose(): Promise<void>;
}

/** The PostgreSQL server tests may create databases on, or `undefined` when none is configured. */
export function testPostgresUrl(): string | undefined {
  const url = process.env['PSABRIDGE_TEST_DATABASE_URL'];
  return url && url.trim() !== '' ? url : undefined;
}

/**
 * Declares `body`'s tests twice, as `<title> [sqlite]` and `<title> [postgres]`, each against its
 * own fresh, migrated database. Tests in one block share that database, so give each test its
 * own account (rows of other accounts are invisible to it anyway).
 *
 * @example
 * describeEachDialect('users', (ctx) => {
 *   it('creates a user', async () => {
 *     const account = await createAccount(ctx.db, { name: 'MSP' });
 *     …
 *   });
 * });
 */
export function describeEachDialect(title: string, body: (ctx: DialectTestContext) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const skip = dialect === 'postgres' && testPostgresUrl() === undefined;
    describe.skipIf(skip)(`${title} [${dialect}]`, () => {
      let opened: TestStorage | undefined;
      beforeAll(async () => {
        opened = await openTestStorage(dialect);
      });
      afterAll(async () => {
        await opened?.dispose();
      });

      const storage = (): Storage => {
        if (!opened) throw new Error('The test database is only open inside tests and hooks.');
        return opened.storage;
      };
      body({
        dialect,
        get storage() {
          return storage();
        },
        get db() {
          return storage().db;
        },
      });
    });
  }
}

/**
 * Opens a fresh, migrated database of `dialect`: a temporary SQLite file, or a new PostgreSQL
 * database on the server of `PSABRIDGE_TEST_DATABASE_URL`.
 *
 * @throws when `dialect` is `postgres` and no server is configured.
 */
export async function openTestStorage(
  dialect: Dialect,
  options: Omit<OpenStorageOptions, 'databaseUrl' | 'sqlitePath'> = {},
): Promise<TestStorage> {
  if (dialect === 'sqlite') {
    const dir = await mkdtemp(path.join(tmpdir(), 'psabridge-test-'));
    const storage = await openStorage({ ...options, sqlitePath: path.join(dir, 'test.db') });
    return {
      storage,
      dispose: async () => {
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  }

  const serverUrl = testPostgresUrl();
  if (!serverUrl) {
    throw new Error('PostgreSQL tests need PSABRIDGE_TEST_DATABASE_URL (npm test sets it).');
  }
  const name = `psabridge_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const storage = await openStorage({ ...options, databaseUrl: url.toString(), poolMax: 4 });
    return {
      storage,
      dispose: async () => {
        await storage.close();
        await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
      },
    };
  } catch (err) {
    await adminQuery(serverUrl, `drop database if exists "${name}" with (force)`);
    throw err;
  }
}

async function adminQuery(serverUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
