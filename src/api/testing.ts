/**
 * Test helpers for the API: an app over a fresh database of either dialect, an account with an
 * admin, and signed-in cookies. Parts adding routes use these in their own tests.
 */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe } from 'vitest';
import { createAccount } from '../accounts/accounts.js';
import type { Account, Role, User } from '../accounts/types.js';
import { createUser } from '../accounts/users.js';
import { parseConfig } from '../config/config.js';
import { SecretBox } from '../secrets/secret-box.js';
import type { Dialect } from '../storage/migrate.js';
import type { Storage } from '../storage/open.js';
import { openTestStorage, testPostgresUrl } from '../storage/testing.js';
import { buildApp } from './app.js';
import type { ApiApp, ApiDeps } from './app-types.js';
import { SESSION_COOKIE } from './contract/session.js';
import { createLogger } from './logger.js';

/** An app over its own database, and what it was built from. */
export interface TestApp {
  readonly app: ApiApp;
  readonly storage: Storage;
  readonly deps: ApiDeps;
  /** Every log line the app wrote (JSON), for assertions about logging. */
  readonly logs: () => string;
  /** Closes the app and throws the database away. */
  dispose(): Promise<void>;
}

/**
 * Builds the API over a fresh database of `dialect`, logging at `trace` into memory.
 *
 * @param overrides replaces any dependency (the storage and logger are made here).
 */
export async function createTestApp(
  dialect: Dialect,
  overrides: Partial<Omit<ApiDeps, 'storage' | 'logger'>> = {},
): Promise<TestApp> {
  const opened = await openTestStorage(dialect);
  const { storage } = opened;
  let output = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      output += chunk.toString('utf8');
      done();
    },
  });
  const deps: ApiDeps = {
    storage,
    config: parseConfig({ PSABRIDGE_DATA_DIR: '/nonexistent/psabridge-test' }),
    secretBox: new SecretBox({ current: new Uint8Array(randomBytes(32)) }),
    logger: createLogger({ level: 'trace', destination }),
    ...overrides,
  };
  const app = await buildApp(deps);
  return {
    app,
    storage,
    deps,
    logs: () => output,
    dispose: async () => {
      await app.close();
      await opened.dispose();
    },
  };
}

/**
 * Declares `body`'s tests for each dialect (`<title> [sqlite]`, `<title> [postgres]`), each
 * block with its own {@link createTestApp}. The PostgreSQL block is skipped, and reported so,
 * without `PSABRIDGE_TEST_DATABASE_URL`.
 *
 * @example
 * describeAppEachDialect('users API', (ctx) => {
 *   it('lists users', async () => {
 *     const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/users' });
 *   });
 * });
 */
export function describeAppEachDialect(
  title: string,
  body: (ctx: TestApp) => void,
  overrides: Partial<Omit<ApiDeps, 'storage' | 'logger'>> = {},
): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const skip = dialect === 'postgres' && testPostgresUrl() === undefined;
    describe.skipIf(skip)(`${title} [${dialect}]`, () => {
      let opened: TestApp | undefined;
      beforeAll(async () => {
        opened = await createTestApp(dialect, overrides);
      });
      afterAll(async () => {
        await opened?.dispose();
      });
      const current = (): TestApp => {
        if (!opened) throw new Error('The test app is only available inside tests and hooks.');
        return opened;
      };
      body({
        get app() {
          return current().app;
        },
        get storage() {
          return current().storage;
        },
        get deps() {
          return current().deps;
        },
        logs: () => current().logs(),
        dispose: () => current().dispose(),
      });
    });
  }
}

/** A password every seeded user has; long enough for the policy. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** A new account with one user of `role` (default admin). */
export async function seedAccount(
  storage: Storage,
  options: { readonly role?: Role; readonly name?: string } = {},
): Promise<{ readonly account: Account; readonly user: User }> {
  const account = await createAccount(storage.db, { name: options.name ?? 'Test MSP' });
  const user = await addUser(storage, account.id, options.role ?? 'admin');
  return { account, user };
}

/** Adds a user of `role` with {@link TEST_PASSWORD} and a unique email to `accountId`. */
export async function addUser(storage: Storage, accountId: string, role: Role): Promise<User> {
  return createUser(storage.db, accountId, {
    email: `${role}-${randomBytes(6).toString('hex')}@example.com`,
    displayName: `Test ${role}`,
    role,
    password: TEST_PASSWORD,
  });
}

/**
 * Signs in through the API and returns the `Cookie` header value to send with later requests.
 *
 * @throws when sign-in does not answer 200.
 */
export async function signIn(
  app: ApiApp,
  email: string,
  password = TEST_PASSWORD,
): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password },
  });
  const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
  if (res.statusCode !== 200 || !cookie) {
    throw new Error(`sign-in as ${email} failed: ${res.statusCode} ${res.body}`);
  }
  return `${SESSION_COOKIE}=${cookie.value}`;
}
