/**
 * `psabridge serve`: runs the bridge. Parses the configuration, opens (and migrates) the
 * database, starts the HTTP API, prints where it listens, and stops cleanly on SIGINT/SIGTERM.
 *
 * Daemons added later (the delivery worker, …) start in {@link startBridge} after the API, take
 * the same `signal`, and are awaited before the database closes. The delivery worker runs
 * in-process unless `--no-worker` (then run `psabridge worker` processes beside it).
 * `startBridge` is also how other entry points (`psabridge demo`) run the bridge.
 */
import { Command } from 'commander';
import type { Logger } from 'pino';
import { purgeExpiredSessions } from '../../accounts/sessions.js';
import { countAllUsers } from '../../accounts/users.js';
import { buildApp } from '../../api/app.js';
import type { ApiApp } from '../../api/app-types.js';
import type { Config } from '../../config/config.js';
import { ConfigError } from '../../config/config.js';
import { loadConfigFromProcess } from '../../config/load.js';
import { MasterKeyError } from '../../secrets/errors.js';
import { loadMasterKey } from '../../secrets/master-key.js';
import { SecretBox } from '../../secrets/secret-box.js';
import { StorageError } from '../../storage/errors.js';
import {
  applyConfigFile,
  ConfigApplyError,
  ConfigFileError,
  loadConfigFile,
} from '../../config-file/index.js';
import { openStorage, storageOptionsFor, type Storage } from '../../storage/open.js';
import type { WorkerEventListener } from '../../worker/events.js';
import { startWorker } from '../../worker/worker.js';
import { addWorkerFlags, logWorkerEvent, tuningFromFlags, type WorkerTuning } from './worker.js';
import { commandLogger, stopSignal } from '../process-edge.js';

/** How often expired sessions are deleted while serving: hourly. */
const SESSION_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** What {@link serve} needs; the command builds it from the process. */
export interface ServeOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Aborting it stops the service. */
  readonly signal: AbortSignal;
  /** Writes one line for the operator. */
  readonly print: (line: string) => void;
  /**
   * A configuration file applied before the API starts (`src/config-file`), and the environment
   * its secrets are read from. Default: none.
   */
  readonly configFile?: {
    readonly path: string;
    readonly env: Readonly<Record<string, string | undefined>>;
  };
  /** The in-process delivery worker's settings, or false for none. Default: a worker with defaults. */
  readonly worker?: WorkerTuning | false;
}

/** What the bridge is made of once started: for a caller that adds to it (the demo). */
export interface BridgeContext {
  readonly config: Config;
  readonly storage: Storage;
  readonly secretBox: SecretBox;
  /** The master key the secret box uses (from the environment or the data directory's file). */
  readonly masterKey: Uint8Array;
}

/** What {@link startBridge} needs: {@link ServeOptions} and a few hooks. */
export interface StartBridgeOptions extends ServeOptions {
  /**
   * Runs once the database is open and the configuration file (if any) applied, before the
   * API listens and the worker starts. A rejection stops the start. Default: none.
   */
  readonly prepare?: (bridge: BridgeContext) => Promise<void>;
  /**
   * Receives the in-process worker's events. Default: each is logged with
   * {@link logWorkerEvent}.
   */
  readonly onWorkerEvent?: WorkerEventListener;
}

/** A started bridge. */
export interface RunningBridge extends BridgeContext {
  /** The URL the API listens on, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /**
   * Resolves once `signal` aborted and everything stopped: the worker, the API (requests in
   * flight finish first) and the database.
   */
  readonly stopped: Promise<void>;
}

/**
 * Runs the service until `signal` aborts, then closes the API (letting requests in flight
 * finish) and the database.
 *
 * @returns the URL the API listened on, once everything has stopped.
 */
export async function serve(options: ServeOptions): Promise<string> {
  const bridge = await startBridge(options);
  await bridge.stopped;
  return bridge.url;
}

/**
 * Starts the bridge: master key, database (migrated), the configuration file, the HTTP API and
 * the in-process worker. Returns once the API listens; `stopped` settles after `signal` aborts
 * and everything is closed. A failed start closes what was opened and rejects.
 *
 * @example
 * const bridge = await startBridge({ config, logger, signal, print: console.log });
 * await fetch(`${bridge.url}/healthz`);
 * controller.abort();
 * await bridge.stopped;
 */
export async function startBridge(options: StartBridgeOptions): Promise<RunningBridge> {
  const { config, logger, signal, print } = options;

  const masterKey = await loadMasterKey({ key: config.masterKey, keyFile: config.masterKeyFile });
  const storage = await openStorage(storageOptionsFor(config.database));
  const secretBox = new SecretBox({ current: masterKey });
  const context: BridgeContext = { config, storage, secretBox, masterKey };
  let app: ApiApp | undefined;
  try {
    if (options.configFile) {
      const { path, env } = options.configFile;
      const file = await loadConfigFile(path);
      const applied = await applyConfigFile({ db: storage.db, secretBox, config }, file, env, {
        source: path,
        signal,
      });
      print(
        `configuration ${path} applied to account "${file.account.name}": ${applied.changes.join(', ') || 'nothing changed'}`,
      );
    }
    await options.prepare?.(context);
    app = await buildApp({ storage, config, secretBox, logger });
    const url = await app.listen({ host: config.host, port: config.port });
    print(`psabridge is listening on ${url} (API docs: ${url}/api/docs)`);
    print(
      `database: ${config.database.kind === 'sqlite' ? config.database.sqlitePath : 'PostgreSQL'}`,
    );

    // First run: nobody can sign in yet, so say how to create the first admin.
    if ((await countAllUsers(storage.db)) === 0) {
      print('No users yet. Create the first admin with:');
      print('  psabridge user add --email you@example.com --name "Your Name" --role admin');
    }

    const purge = setInterval(() => {
      purgeExpiredSessions(storage.db).catch((err: unknown) =>
        logger.warn({ err }, 'could not delete expired sessions'),
      );
    }, SESSION_PURGE_INTERVAL_MS);
    purge.unref();

    const worker =
      options.worker === false
        ? undefined
        : startWorker({
            db: storage.db,
            dialect: storage.dialect,
            secretBox,
            config,
            signal,
            // Ticket tracking and the health watch run beside the in-process worker.
            tracking: {},
            ...options.worker,
            onEvent: options.onWorkerEvent ?? ((event) => logWorkerEvent(logger, event)),
          });
    if (worker === undefined) {
      print('delivery worker: off (--no-worker); run `psabridge worker` to deliver tickets');
    }

    const listening = app;
    const stopped = (async () => {
      try {
        await waitForAbort(signal);
        clearInterval(purge);
        print('psabridge is stopping…');
        // Claimed jobs are released before the database closes.
        await worker?.stopped;
      } finally {
        // Lets requests in flight finish before the database goes away.
        try {
          await listening.close();
        } finally {
          await storage.close();
        }
      }
    })();
    return { ...context, url, stopped };
  } catch (err) {
    try {
      await app?.close();
    } finally {
      await storage.close();
    }
    throw err;
  }
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}

/** The `serve` subcommand. */
export function serveCommand(): Command {
  const command = new Command('serve')
    .description(
      'Run the bridge: the HTTP API and console on PSABRIDGE_HOST:PSABRIDGE_PORT, and the delivery worker',
    )
    .option('--no-worker', 'do not deliver tickets in this process (run `psabridge worker`)')
    .option(
      '--config <file>',
      'apply this configuration file at start (secrets from the environment)',
    )
    .action(async (flags: ServeFlags) => {
      const stop = stopSignal();
      try {
        const config = loadConfigFromProcess();
        const logger = commandLogger(config.logLevel);
        await serve({
          config,
          logger,
          signal: stop.signal,
          print: (line) => process.stdout.write(`${line}\n`),
          worker: flags.worker ? tuningFromFlags(flags) : false,
          ...(flags.config ? { configFile: { path: flags.config, env: process.env } } : {}),
        });
      } catch (err) {
        process.exitCode = reportStartupError(err);
      } finally {
        stop.release();
      }
    });
  return addWorkerFlags(command);
}

/** `serve`'s flags: `--no-worker`, `--config` and the in-process worker's tuning. */
type ServeFlags = { worker: boolean; config?: string } & Parameters<typeof tuningFromFlags>[0];

/** Prints why the service could not start, and returns the exit code. */
function reportStartupError(err: unknown): number {
  if (
    err instanceof ConfigError ||
    err instanceof MasterKeyError ||
    err instanceof StorageError ||
    err instanceof ConfigFileError ||
    err instanceof ConfigApplyError
  ) {
    process.stderr.write(`psabridge serve: ${err.message}\n`);
    return 2;
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    process.stderr.write(
      `psabridge serve: cannot listen (${code}): ${(err as Error).message}. ` +
        'Choose another PSABRIDGE_PORT or PSABRIDGE_HOST.\n',
    );
    return 2;
  }
  process.stderr.write(
    `psabridge serve failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return 1;
}
