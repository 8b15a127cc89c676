/**
 * Test support for tracking: an account wired to a running sandbox as an administrator would
 * wire it, events and reads over the app's HTTP API (in-process), and a worker that runs
 * tracking beside delivery with short intervals. Not used by production code.
 */
import type { Kysely } from 'kysely';

import { createAccount } from '../accounts/accounts.js';
import { createApiToken } from '../accounts/api-tokens.js';
import type { TestApp } from '../api/testing.js';
import { syncCompanies } from '../companies/sync.js';
import { saveBoardSettingsByName } from '../connection/board-settings.js';
import { saveConnectionFromConfig } from '../connection/connection-service.js';
import { openManageClient } from '../connection/open-client.js';
import type { ConnectionDeps } from '../connection/types.js';
import type { BackupEvent } from '../ingest/event-schema.js';
import { createIngestToken } from '../ingest/tokens.js';
import { saveRulesOverride } from '../rules/rules-store.js';
import { DEMO_CREDENTIALS, type RunningSandbox } from '../sandbox/index.js';
import type { Database } from '../storage/schema.js';
import type { WorkerEvent } from '../worker/events.js';
import { DEMO_BOARD } from '../worker/test-support.js';
import { startWorker } from '../worker/worker.js';
import type { TrackingEvent } from './events.js';
import {
  resolveTrackingSettings,
  type TrackingContext,
  type TrackingSettings,
} from './settings.js';
import type { TrackingTuning } from './tracking.js';

/** An account wired to a sandbox, with the secrets its callers use. */
export interface TestAccount {
  readonly accountId: string;
  /** For `POST /api/v1/events`. */
  readonly ingestToken: string;
  /** An API token of role viewer, for the read API. */
  readonly viewerToken: string;
}

/** The connection functions' dependencies on the test app's database and secrets. */
export function connectionDeps(ctx: TestApp): ConnectionDeps {
  return { db: ctx.storage.db, secretBox: ctx.deps.secretBox, config: ctx.deps.config };
}

/**
 * Creates an account and sets it up against `sandbox`: connection (checked and saved), the demo
 * board by name, a company sync, an ingest token, a viewer token and `rules`.
 */
export async function setUpAccount(
  ctx: TestApp,
  sandbox: RunningSandbox,
  rules: unknown = {},
): Promise<TestAccount> {
  const { db } = ctx.storage;
  const deps = connectionDeps(ctx);
  const accountId = (await createAccount(db, { name: 'Tracking MSP' })).id;
  await saveConnectionFromConfig(deps, accountId, {
    site: sandbox.url,
    companyId: DEMO_CREDENTIALS.companyId,
    ...DEMO_CREDENTIALS.bridge,
  });
  await saveBoardSettingsByName(deps, accountId, DEMO_BOARD);
  await syncCompanies({ db, client: await openManageClient(deps, accountId) }, accountId);
  const { token: ingestToken } = await createIngestToken(db, accountId, 'backup console');
  await saveRulesOverride(db, accountId, rules);
  const { token: viewerToken } = await createApiToken(db, accountId, {
    name: 'viewer',
    role: 'viewer',
  });
  return { accountId, ingestToken, viewerToken };
}

/** Deletes the account and everything of it, so later tests' loops do not see it. */
export async function removeAccount(db: Kysely<Database>, accountId: string): Promise<void> {
  await db.deleteFrom('accounts').where('id', '=', accountId).execute();
}

/** Posts events as the backup platform does. */
export async function postEvents(
  ctx: TestApp,
  account: TestAccount,
  events: readonly BackupEvent[],
): Promise<void> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: `Bearer ${account.ingestToken}` },
    payload: events,
  });
  if (res.statusCode !== 202) throw new Error(`POST /api/v1/events: ${res.statusCode} ${res.body}`);
}

/** GETs `url` as the account's viewer; returns the status and the parsed body. */
export async function read<T = Record<string, unknown>>(
  ctx: TestApp,
  account: TestAccount,
  url: string,
): Promise<{ status: number; body: T }> {
  const res = await ctx.app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${account.viewerToken}` },
  });
  return { status: res.statusCode, body: res.json<T>() };
}

/** A running worker with tracking, and what both reported. */
export interface TrackedWorker {
  readonly events: WorkerEvent[];
  readonly tracking: TrackingEvent[];
  stop(): Promise<void>;
}

/**
 * Starts a worker that runs tracking beside delivery, polling and looking for due health
 * checks every few hundred milliseconds; `tracking` overrides those settings.
 */
export function startTrackedWorker(ctx: TestApp, tracking: TrackingTuning = {}): TrackedWorker {
  const controller = new AbortController();
  const events: WorkerEvent[] = [];
  const trackingEvents: TrackingEvent[] = [];
  const worker = startWorker({
    db: ctx.storage.db,
    dialect: ctx.storage.dialect,
    secretBox: ctx.deps.secretBox,
    config: ctx.deps.config,
    signal: controller.signal,
    pollIntervalMs: 20,
    leaseMs: 10_000,
    backoff: { baseMs: 20, maxMs: 200 },
    manage: { timeoutMs: 3_000, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } },
    tracking: {
      intervalMs: 150,
      closedIntervalMs: 150,
      healthScanMs: 100,
      healthIntervalMs: 60_000,
      leaseMs: 5_000,
      manage: { timeoutMs: 3_000, retry: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50 } },
      ...tracking,
    },
    onEvent: (event) => {
      events.push(event);
      if (event.type === 'tracking') trackingEvents.push(event.event);
    },
  });
  return {
    events,
    tracking: trackingEvents,
    stop: async () => {
      controller.abort();
      await worker.stopped;
    },
  };
}

/** The stored incident of the account's `incidentKey`: its state and current ticket. */
export async function incidentRow(
  db: Kysely<Database>,
  accountId: string,
  incidentKey: string,
): Promise<{ state: string; ticket_id: number | null } | undefined> {
  return db
    .selectFrom('incidents')
    .select(['state', 'ticket_id'])
    .where('account_id', '=', accountId)
    .where('incident_key', '=', incidentKey)
    .executeTakeFirst();
}

/** The account's ticket rows, oldest first. */
export async function ticketRows(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
}

/** A context for calling tracking's steps directly (no loops), with `settings` overrides. */
export function trackingContext(
  ctx: TestApp,
  settings: Partial<TrackingSettings> = {},
  events: TrackingEvent[] = [],
): TrackingContext {
  return {
    db: ctx.storage.db,
    dialect: ctx.storage.dialect,
    connection: connectionDeps(ctx),
    workerId: 'test-tracker',
    settings: resolveTrackingSettings(settings),
    now: () => new Date(),
    signal: new AbortController().signal,
    emit: (event) => events.push(event),
  };
}
