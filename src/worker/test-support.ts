/**
 * End-to-end test support for delivery: the bridge (database, HTTP API listening on 127.0.0.1
 * port 0) of either dialect, an account wired to a running sandbox exactly as an administrator
 * would wire it (connection checked and saved, board chosen by name, companies synced, an ingest
 * token, rules), events posted over HTTP, and workers to run against it.
 *
 * The database is opened here rather than by `openTestStorage` because tests also start
 * `psabridge worker` as a child process, which needs the database's address.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';

import { createAccount } from '../accounts/accounts.js';
import { createApiToken } from '../accounts/api-tokens.js';
import { buildApp } from '../api/app.js';
import type { ApiApp } from '../api/app-types.js';
import { syncCompanies } from '../companies/sync.js';
import type { Config } from '../config/config.js';
import { parseConfig } from '../config/config.js';
import { saveBoardSettingsByName } from '../connection/board-settings.js';
import { saveConnectionFromConfig } from '../connection/connection-service.js';
import { openManageClient } from '../connection/open-client.js';
import type { ConnectionDeps } from '../connection/types.js';
import type { BackupEvent } from '../ingest/event-schema.js';
import { createIngestToken } from '../ingest/tokens.js';
import { saveRulesOverride } from '../rules/rules-store.js';
import { DEMO_CREDENTIALS, startSandbox, type RunningSandbox } from '../sandbox/index.js';
import { SecretBox } from '../secrets/secret-box.js';
import type { Dialect } from '../storage/migrate.js';
import { openStorage, type Storage } from '../storage/open.js';
import { testPostgresUrl } from '../storage/testing.js';
import type { WorkerEvent } from './events.js';
import { startWorker, type WorkerOptions } from './worker.js';

/** The bridge under test. */
export interface DeliveryHarness {
  readonly dialect: Dialect;
  readonly storage: Storage;
  readonly config: Config;
  readonly secretBox: SecretBox;
  /** Base URL of the listening API, e.g. `http://127.0.0.1:40123`. */
  readonly apiUrl: string;
  readonly app: ApiApp;
  /** Environment for a `psabridge` child process on the same database and master key. */
  readonly childEnv: Readonly<Record<string, string>>;
  dispose(): Promise<void>;
}

/** Opens a fresh database of `dialect` and starts the API on it. */
export async function openDeliveryHarness(dialect: Dialect): Promise<DeliveryHarness> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'psabridge-delivery-'));
  const masterKey = new Uint8Array(randomBytes(32));
  let databaseUrl: string;
  let dropDatabase = (): Promise<void> => Promise.resolve();
  if (dialect === 'sqlite') {
    databaseUrl = `sqlite:${path.join(dataDir, 'bridge.db')}`;
  } else {
    const server = testPostgresUrl();
    if (server === undefined) throw new Error('PostgreSQL tests need PSABRIDGE_TEST_DATABASE_URL.');
    const name = `psabridge_delivery_${randomBytes(6).toString('hex')}`;
    await adminQuery(server, `create database "${name}"`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = () => adminQuery(server, `drop database if exists "${name}" with (force)`);
  }
  const childEnv = {
    PSABRIDGE_DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    PSABRIDGE_MASTER_KEY: Buffer.from(masterKey).toString('base64'),
    LOG_LEVEL: 'warn',
  };
  const config = parseConfig(childEnv);
  const storage = await openStorage(
    config.database.kind === 'sqlite'
      ? { sqlitePath: config.database.sqlitePath }
      : { databaseUrl: config.database.url, poolMax: 8 },
  );
  const secretBox = new SecretBox({ current: masterKey });
  const app = await buildApp({ storage, config, secretBox });
  const apiUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    dialect,
    storage,
    config,
    secretBox,
    apiUrl,
    app,
    childEnv,
    dispose: async () => {
      await app.close();
      await storage.close();
      await dropDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
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

/** The demo tenant's board as an administrator would choose it. */
export const DEMO_BOARD = {
  board: 'Backup Alerts',
  type: 'Backup',
  subtype: 'Failed',
  item: 'Job',
  newStatus: 'New',
  closedStatus: 'Closed',
  team: 'Backup Team',
  priorities: {
    critical: 'Priority 1 - Critical',
    high: 'Priority 2 - High',
    medium: 'Priority 3 - Normal',
    low: 'Priority 4 - Low',
  },
} as const;

/** An account wired to the sandbox. */
export interface DeliveryAccount {
  readonly accountId: string;
  /** The ingest token's secret, for `POST /api/v1/events`. */
  readonly ingestToken: string;
}

/**
 * Creates an account and sets it up against `sandbox` as an administrator would: connection
 * (checked), board settings by name, a company sync, an ingest token, and `rules`.
 */
export async function setUpDeliveryAccount(
  harness: DeliveryHarness,
  sandbox: RunningSandbox,
  rules: unknown = {},
): Promise<DeliveryAccount> {
  const { db } = harness.storage;
  const accountId = (await createAccount(db, { name: 'Delivery MSP' })).id;
  const deps: ConnectionDeps = {
    db,
    secretBox: harness.secretBox,
    config: harness.config,
  };
  await saveConnectionFromConfig(deps, accountId, {
    site: sandbox.url,
    companyId: DEMO_CREDENTIALS.companyId,
    ...DEMO_CREDENTIALS.bridge,
  });
  await saveBoardSettingsByName(deps, accountId, DEMO_BOARD);
  await syncCompanies({ db, client: await openManageClient(deps, accountId) }, accountId);
  const { token } = await createIngestToken(db, accountId, 'backup console');
  await saveRulesOverride(db, accountId, rules);
  return { accountId, ingestToken: token };
}

/** Posts events to the bridge over HTTP, as the backup platform does. */
export async function postEvents(
  harness: DeliveryHarness,
  account: DeliveryAccount,
  events: readonly Partial<BackupEvent>[],
): Promise<{ accepted: number; duplicates: number }> {
  const response = await fetch(`${harness.apiUrl}/api/v1/events`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${account.ingestToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(events),
  });
  const body = (await response.json()) as { accepted: number; duplicates: number };
  if (response.status !== 202) {
    throw new Error(`POST /api/v1/events answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

/**
 * Calls the bridge's API as an API token of the account with `role` (default admin); returns the
 * status and the parsed body.
 */
export async function callApi(
  harness: DeliveryHarness,
  accountId: string,
  request: {
    method: 'GET' | 'POST' | 'PUT';
    path: string;
    body?: unknown;
    role?: 'admin' | 'viewer';
  },
): Promise<{ status: number; body: unknown }> {
  const { token } = await createApiToken(harness.storage.db, accountId, {
    name: 'test',
    role: request.role ?? 'admin',
  });
  const response = await fetch(`${harness.apiUrl}${request.path}`, {
    method: request.method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(request.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
  });
  return { status: response.status, body: await response.json() };
}

/** A backup event for the demo tenant's ACME with defaults for everything else. */
export function backupEvent(
  type: BackupEvent['type'],
  options: { device?: string; company?: string; occurredAt?: Date; errorCode?: string } = {},
): BackupEvent {
  const device = options.device ?? 'dev-1';
  return {
    type,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    company: options.company ?? 'ACME',
    device: { id: device, name: `ACME-${device.toUpperCase()}`, os: 'Windows Server 2022' },
    job: {
      name: 'Nightly',
      ...(options.errorCode !== undefined && { errorCode: options.errorCode }),
    },
    message: type.endsWith('failed') ? 'VSS snapshot could not be created' : 'ok',
  };
}

/** A worker under test and what it reported. */
export interface TestWorker {
  readonly events: WorkerEvent[];
  stop(): Promise<void>;
}

/**
 * Starts a worker on the harness's database with short intervals: it polls often, backs off
 * in milliseconds and gives up a ConnectWise call after a few seconds.
 */
export function startTestWorker(
  harness: DeliveryHarness,
  options: Partial<Omit<WorkerOptions, 'db' | 'dialect' | 'signal'>> = {},
): TestWorker {
  const controller = new AbortController();
  const events: WorkerEvent[] = [];
  const worker = startWorker({
    db: harness.storage.db,
    dialect: harness.dialect,
    secretBox: harness.secretBox,
    config: harness.config,
    pollIntervalMs: 20,
    leaseMs: 10_000,
    backoff: { baseMs: 20, maxMs: 200 },
    manage: { timeoutMs: 3_000, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } },
    ...options,
    signal: controller.signal,
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
  });
  return {
    events,
    stop: async () => {
      controller.abort();
      await worker.stopped;
    },
  };
}

/**
 * Resolves once `condition` holds, polling every `intervalMs`; rejects with `what` after
 * `timeoutMs`. A guard against a hung test, not an assertion about speed.
 */
export async function waitFor(
  what: string,
  condition: () => Promise<boolean> | boolean,
  options: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 45_000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}

/** Jobs of the account not yet done, by state. */
export async function pendingJobs(
  harness: DeliveryHarness,
  accountId: string,
): Promise<{ state: string; kind: string; attempts: number }[]> {
  return harness.storage.db
    .selectFrom('jobs')
    .select(['state', 'kind', 'attempts'])
    .where('account_id', '=', accountId)
    .where('state', '!=', 'done')
    .execute();
}

/**
 * True once every job of the account is done, except ticks waiting for a due time after
 * `until` (they belong to the future, not to the backlog).
 */
export async function drained(
  harness: DeliveryHarness,
  accountId: string,
  until: Date = new Date(),
): Promise<boolean> {
  const open = await harness.storage.db
    .selectFrom('jobs')
    .select('id')
    .where('account_id', '=', accountId)
    .where('state', '!=', 'done')
    .where((eb) =>
      eb.not(
        eb.and([
          eb('kind', '=', 'tick'),
          eb('state', '=', 'queued'),
          eb('run_after', '>', until.toISOString()),
        ]),
      ),
    )
    .execute();
  return open.length === 0;
}

/** What a {@link describeDeliveryEachDialect} body sees; usable inside tests and hooks. */
export interface DeliveryTestContext {
  readonly harness: DeliveryHarness;
  /** A fresh demo sandbox for each test. */
  readonly sandbox: RunningSandbox;
}

/**
 * Declares `body`'s tests for SQLite and PostgreSQL (`<title> [dialect]`), with one bridge per
 * block and a fresh sandbox per test. The PostgreSQL block is skipped without
 * `PSABRIDGE_TEST_DATABASE_URL`.
 */
export function describeDeliveryEachDialect(
  title: string,
  body: (ctx: DeliveryTestContext) => void,
): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const skip = dialect === 'postgres' && testPostgresUrl() === undefined;
    describe.skipIf(skip)(`${title} [${dialect}]`, () => {
      let harness: DeliveryHarness | undefined;
      let sandbox: RunningSandbox | undefined;
      beforeAll(async () => {
        harness = await openDeliveryHarness(dialect);
      });
      afterAll(async () => {
        await harness?.dispose();
      });
      beforeEach(async () => {
        sandbox = await startSandbox();
      });
      afterEach(async () => {
        await sandbox?.close();
      });
      body({
        get harness() {
          if (!harness) throw new Error('The harness is only available inside tests and hooks.');
          return harness;
        },
        get sandbox() {
          if (!sandbox) throw new Error('The sandbox is only available inside tests and hooks.');
          return sandbox;
        },
      });
    });
  }
}
