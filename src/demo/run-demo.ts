/**
 * `psabridge demo` as a function: the Manage sandbox on its demo tenant, the bridge on its
 * embedded defaults (built by `startBridge`, as `psabridge serve` builds it) configured against
 * the sandbox by configuration as code, a feed of backup events over HTTP, and one line per
 * ticket happening — until one AbortSignal stops everything, in order: the feed, the bridge
 * (worker, API, database), then the sandbox, whose tickets are saved for the next start.
 */
import path from 'node:path';

import type { Logger } from 'pino';

import { listAccounts } from '../accounts/accounts.js';
import { createApiToken, resolveApiToken } from '../accounts/api-tokens.js';
import { listUsers, normalizeEmail } from '../accounts/users.js';
import { logWorkerEvent, type WorkerTuning } from '../cli/commands/worker.js';
import { startBridge, type BridgeContext } from '../cli/commands/serve.js';
import { syncAccountCompanies } from '../companies/sync-account.js';
import type { Config } from '../config/config.js';
import { applyConfigFile, loadConfigFile, type SecretEnv } from '../config-file/index.js';
import { incidentKeyOf, stormKeyOf } from '../domain/index.js';
import { loadIncident } from '../incidents/index.js';
import type { RunningSandbox } from '../sandbox/index.js';
import { DEMO_CREDENTIALS } from '../sandbox/index.js';
import { isUniqueViolation } from '../storage/errors.js';
import type { WorkerEventListener } from '../worker/events.js';
import { DEMO_CONFIG_PATH, demoSetup, type DemoSetup } from './demo-config.js';
import { startDemoSandbox } from './demo-sandbox.js';
import { deriveDemoToken } from './demo-secrets.js';
import { runFeed } from './feed.js';
import { guideLines } from './guide.js';
import {
  formatHappening,
  watchHappenings,
  type Happening,
  type HappeningsWatcher,
} from './happenings.js';
import type { IncidentTarget } from './scenario.js';

/** The name of the demo's API token. */
export const DEMO_API_TOKEN_NAME = 'demo';

/** The file in the data directory that keeps the sandbox's tickets between starts. */
export const DEMO_SANDBOX_TICKETS_FILE = 'demo-sandbox-tickets.json';

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** The bridge's configuration (data directory, database, host, port, clientId, …). */
  readonly config: Config;
  readonly logger: Logger;
  /** Aborting it stops everything. */
  readonly signal: AbortSignal;
  /** Writes one line for the operator. */
  readonly print: (line: string) => void;
  /**
   * The environment the configuration's secrets are read from; a secret unset there is
   * supplied by the demo (see `demoSetup`).
   */
  readonly env: SecretEnv;
  /** The configuration file. Default {@link DEMO_CONFIG_PATH} (`demo/psabridge.demo.json`). */
  readonly configPath?: string;
  /** The sandbox's port. Default 8787; 0 picks a free port. */
  readonly sandboxPort?: number;
  /** Listen on a free port when the sandbox's port is taken. Default: true when `sandboxPort` is not given. */
  readonly sandboxPortFallback?: boolean;
  /** Run the demo feed. Default true. */
  readonly feed?: boolean;
  /** The in-process worker's settings. Default the worker's. */
  readonly worker?: WorkerTuning;
  /** Paths are shown relative to this directory when under it. Default `process.cwd()`. */
  readonly cwd?: string;
  /** Called once everything runs (tests reach the parts through it). */
  readonly onReady?: (demo: RunningDemo) => void;
  /** Receives every happening, after it is printed. */
  readonly onHappening?: (happening: Happening) => void;
}

/** The running demo, as {@link DemoOptions.onReady} sees it. */
export interface RunningDemo {
  readonly apiUrl: string;
  readonly sandbox: RunningSandbox;
  readonly accountId: string;
  readonly apiToken: string;
  readonly ingestToken: string;
}

/**
 * Runs the demo until `signal` aborts.
 *
 * @throws ConfigFileError, ConfigApplyError, DemoError and the bridge's start errors
 *   (`EADDRINUSE` when the API's port is taken), after stopping whatever had started.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const { config, logger, signal, print } = options;
  const startedAt = Date.now();
  const cwd = options.cwd ?? process.cwd();
  const configPath = options.configPath ?? DEMO_CONFIG_PATH;
  const shown = (file: string): string => shownPath(file, cwd);
  const file = await loadConfigFile(configPath);

  // The sandbox first: the bridge's connection points at it.
  const demoSandbox = await startDemoSandbox({
    ...(options.sandboxPort !== undefined && { port: options.sandboxPort }),
    fallbackToFreePort: options.sandboxPortFallback ?? options.sandboxPort === undefined,
    ticketsFile: path.join(config.dataDir, DEMO_SANDBOX_TICKETS_FILE),
    print,
  });
  const { sandbox } = demoSandbox;
  print(`Manage sandbox (ConnectWise REST API 3.0 emulator) is listening on ${sandbox.url}`);

  let saving: Promise<void> = Promise.resolve();
  const save = (): void => {
    saving = saving
      .then(demoSandbox.save)
      .catch((error: unknown) => logger.warn({ err: error }, 'could not save the sandbox tickets'));
  };

  try {
    // The bridge: configured from the file in `prepare`, before its API and worker start.
    let prepared: Prepared | undefined;
    let watcher: HappeningsWatcher | undefined;
    const otherEvents: WorkerEventListener = (event) => logWorkerEvent(logger, event);
    const bridge = await startBridge({
      config,
      logger,
      signal,
      print,
      ...(options.worker !== undefined && { worker: options.worker }),
      onWorkerEvent: (event) => (watcher ? watcher.listener(event) : otherEvents(event)),
      prepare: async (context) => {
        prepared = await prepare(context, file, { ...options, configPath, sandbox, shown });
        watcher = watchHappenings({
          db: context.storage.db,
          onOtherEvent: otherEvents,
          onHappening: (happening) => {
            print(formatHappening(happening, startedAt));
            options.onHappening?.(happening);
            save();
          },
        });
      },
    });
    if (prepared === undefined) throw new Error('startBridge returned before preparing the demo');
    const { setup, accountId, apiToken } = prepared;
    const feedOn = options.feed ?? true;

    for (const line of guideLines({
      apiUrl: bridge.url,
      sandboxUrl: sandbox.url,
      sandboxCompanyId: sandbox.state.tenant.companyId,
      sandboxCodebase: sandbox.state.tenant.codebase,
      sandboxAdminKeys: DEMO_CREDENTIALS.admin,
      clientId: config.clientId,
      dataDir: shown(config.dataDir),
      defaultDataDir: config.dataDir === path.resolve(cwd, 'data'),
      adminEmail: setup.adminEmail,
      password: setup.password,
      passwordEnv: file.admin?.passwordEnv,
      apiToken,
      ingestToken: setup.ingestToken,
      feed: feedOn,
    })) {
      print(line);
    }
    options.onReady?.({
      apiUrl: bridge.url,
      sandbox,
      accountId,
      apiToken,
      ingestToken: setup.ingestToken,
    });

    // The feed, until the signal aborts; then the bridge stops (it waits for the same signal).
    const db = bridge.storage.db;
    const feed = feedOn
      ? runFeed({
          apiUrl: bridge.url,
          ingestToken: setup.ingestToken,
          signal,
          print,
          stateOf: async (target) =>
            (await loadIncident(db, accountId, incidentKeyOfTarget(accountId, target)))?.incident
              .state,
        }).catch((error: unknown) => logger.error({ err: error }, 'the demo feed failed'))
      : Promise.resolve();
    await Promise.all([feed, bridge.stopped]);
    await watcher?.settled();
  } finally {
    // The sandbox last: the worker may be talking to it until the bridge has stopped.
    save();
    await saving;
    await sandbox.close();
    print('Manage sandbox stopped.');
  }
}

interface Prepared {
  readonly setup: DemoSetup;
  readonly accountId: string;
  readonly apiToken: string;
}

/** Applies the demo configuration, syncs the companies and makes sure of the API token. */
async function prepare(
  context: BridgeContext,
  file: Awaited<ReturnType<typeof loadConfigFile>>,
  options: DemoOptions & {
    configPath: string;
    sandbox: RunningSandbox;
    shown: (file: string) => string;
  },
): Promise<Prepared> {
  const { storage, secretBox, config, masterKey } = context;
  const { db } = storage;
  const { print, signal, sandbox } = options;

  // Configuration as code, adapted to this start (the sandbox's URL, the demo's secrets).
  const account = (await listAccounts(db)).find((a) => a.name === file.account.name);
  const adminEmail = file.admin === undefined ? undefined : normalizeEmail(file.admin.email);
  const adminExists =
    account !== undefined &&
    adminEmail !== undefined &&
    (await listUsers(db, account.id)).some((user) => user.email === adminEmail);
  const setup = demoSetup(file, {
    sandboxUrl: sandbox.url,
    env: options.env,
    masterKey,
    adminExists,
    source: options.shown(options.configPath),
  });
  const deps = { db, secretBox, config };
  const applied = await applyConfigFile(deps, setup.file, setup.env, {
    source: options.shown(options.configPath),
    signal,
  });
  print(
    `configuration ${options.shown(options.configPath)} applied to account "${file.account.name}": ${applied.changes.join(', ') || 'nothing changed'}`,
  );

  // Tickets go to the companies of the last sync; sync now so the first event finds them.
  const synced = await syncAccountCompanies(deps, applied.accountId, { signal });
  print(`ConnectWise companies synced: ${synced.companies} companies, ${synced.contacts} contacts`);

  // Ticket ids the bridge already knows must not be handed out again by a sandbox that lost
  // them (a saved tickets file removed or unreadable).
  const highest = await db
    .selectFrom('tickets')
    .select((eb) => eb.fn.max('cw_ticket_id').as('highest'))
    .where('account_id', '=', applied.accountId)
    .executeTakeFirst();
  if (highest?.highest != null) sandbox.state.reserveTicketId(Number(highest.highest));

  const apiToken = await demoApiToken(context, applied.accountId);
  return { setup, accountId: applied.accountId, apiToken };
}

/**
 * The demo's API token: derived from the master key, so each start prints the same one and no
 * token is added after the first start. If that token was revoked, a new random one is made.
 */
async function demoApiToken(context: BridgeContext, accountId: string): Promise<string> {
  const { db } = context.storage;
  const derived = deriveDemoToken(context.masterKey, 'api');
  const owner = await resolveApiToken(db, derived);
  if (owner?.accountId === accountId) return derived;
  try {
    await createApiToken(db, accountId, {
      name: DEMO_API_TOKEN_NAME,
      role: 'admin',
      token: derived,
    });
    return derived;
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Revoked by someone: the derived value is spent, so a generated one replaces it (and is
    // printed; each later start makes another, as none can be printed again).
    return (await createApiToken(db, accountId, { name: DEMO_API_TOKEN_NAME, role: 'admin' }))
      .token;
  }
}

function incidentKeyOfTarget(accountId: string, target: IncidentTarget): string {
  const parts = { accountId, company: target.company, condition: target.condition };
  return target.device === undefined
    ? stormKeyOf(parts)
    : incidentKeyOf({ ...parts, deviceId: target.device.id });
}

function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
    ? `./${relative}`
    : file;
}
