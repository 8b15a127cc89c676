/**
 * `psabridge worker`: runs the delivery worker on its own (no HTTP API), so delivery can scale
 * out: several worker processes sharing one PostgreSQL database claim jobs side by side. Stops
 * cleanly on SIGINT/SIGTERM (claimed jobs are released for another worker).
 *
 * Also home of {@link logWorkerEvent}, the one place that turns worker events into log lines
 * (used by `serve` too).
 */
import { Command, InvalidArgumentError } from 'commander';
import type { Logger } from 'pino';

import type { Config } from '../../config/config.js';
import { ConfigError } from '../../config/config.js';
import { loadConfigFromProcess } from '../../config/load.js';
import { MasterKeyError } from '../../secrets/errors.js';
import { loadMasterKey } from '../../secrets/master-key.js';
import { SecretBox } from '../../secrets/secret-box.js';
import { StorageError } from '../../storage/errors.js';
import { openStorage, storageOptionsFor } from '../../storage/open.js';
import type { TrackingEvent } from '../../tracking/events.js';
import type { WorkerEvent } from '../../worker/events.js';
import { startWorker, type WorkerOptions } from '../../worker/worker.js';
import { commandLogger, stopSignal } from '../process-edge.js';

/** Worker settings the command line can change; the rest are {@link startWorker}'s defaults. */
export type WorkerTuning = Pick<
  WorkerOptions,
  | 'workerId'
  | 'concurrency'
  | 'perAccountConcurrency'
  | 'pollIntervalMs'
  | 'leaseMs'
  | 'blockedRecheckMs'
  | 'manage'
  | 'tracking'
>;

/** What {@link runWorker} needs; the command builds it from the process. */
export interface RunWorkerOptions {
  readonly config: Config;
  readonly logger: Logger;
  /** Aborting it stops the worker. */
  readonly signal: AbortSignal;
  readonly tuning?: WorkerTuning;
  /** Writes one line for the operator. */
  readonly print: (line: string) => void;
}

/**
 * Opens the database and runs a worker until `signal` aborts; returns once it has stopped and
 * the database is closed.
 */
export async function runWorker(options: RunWorkerOptions): Promise<void> {
  const { config, logger, signal, print } = options;
  const masterKey = await loadMasterKey({ key: config.masterKey, keyFile: config.masterKeyFile });
  const storage = await openStorage(storageOptionsFor(config.database));
  try {
    const worker = startWorker({
      db: storage.db,
      dialect: storage.dialect,
      secretBox: new SecretBox({ current: masterKey }),
      config,
      signal,
      // Ticket tracking and the health watch run beside delivery in every worker process.
      tracking: {},
      ...options.tuning,
      onEvent: (event) => logWorkerEvent(logger, event),
    });
    print(`psabridge worker ${worker.workerId} is delivering (${storage.dialect} database)`);
    await worker.stopped;
  } finally {
    await storage.close();
  }
}

/**
 * Logs one worker event: outcomes at info, retries and lost leases at warn, blocked jobs and
 * the worker's own failures at error, ConnectWise requests at debug. Events carry no secrets.
 */
export function logWorkerEvent(logger: Logger, event: WorkerEvent): void {
  switch (event.type) {
    case 'job.done': {
      const { type, ...fields } = event;
      logger.info({ event: type, ...fields }, event.summary);
      return;
    }
    case 'job.retry': {
      const { type, ...fields } = event;
      logger.warn({ event: type, ...fields }, `job will run again: ${event.reason}`);
      return;
    }
    case 'job.blocked': {
      const { type, ...fields } = event;
      logger.error({ event: type, ...fields }, `job blocked: ${event.reason} ${event.fix}`);
      return;
    }
    case 'job.released':
      logger.info(
        { event: event.type, jobId: event.jobId, started: event.started },
        'job released',
      );
      return;
    case 'job.lost':
      logger.warn(
        { event: event.type, jobId: event.jobId, workerId: event.workerId },
        'job taken over by another worker after its lease expired; result discarded',
      );
      return;
    case 'manage':
      logger.debug(
        { event: 'manage', jobId: event.jobId, accountId: event.accountId, manage: event.event },
        `ConnectWise ${event.event.type}`,
      );
      return;
    case 'worker.started':
      logger.info({ event: event.type, ...withoutType(event) }, 'worker started');
      return;
    case 'worker.recheck':
      logger.info(
        { event: event.type, requeued: event.requeued },
        'blocked jobs put back in the queue for a re-check',
      );
      return;
    case 'worker.error':
      logger.error(
        { event: event.type, phase: event.phase, err: event.error },
        `worker ${event.phase} failed; retrying`,
      );
      return;
    case 'worker.stopped':
      logger.info({ event: event.type, workerId: event.workerId }, 'worker stopped');
      return;
    case 'tracking':
      logTrackingEvent(logger, event.event);
      return;
  }
}

/**
 * Logs one event of ticket tracking and the health watch: alarms at error, failures at warn,
 * polls and ConnectWise requests at debug.
 */
export function logTrackingEvent(logger: Logger, event: TrackingEvent): void {
  switch (event.type) {
    case 'tracking.started':
      logger.info({ event: event.type, ...withoutType(event) }, 'ticket tracking started');
      return;
    case 'tracking.polled':
      logger.debug(
        { event: event.type, ...withoutType(event) },
        `polled ${event.tickets} tickets in ${event.calls} ConnectWise calls; ${event.changed} changed`,
      );
      return;
    case 'health.checked':
      logger.debug({ event: event.type, ...withoutType(event) }, 'integration health checked');
      return;
    case 'health.alarm':
      logger.error(
        { event: event.type, accountId: event.accountId, codes: event.codes },
        event.message,
      );
      return;
    case 'health.restored':
      logger.info(
        { event: event.type, accountId: event.accountId, requeued: event.requeued },
        'the ConnectWise integration works again; blocked deliveries requeued',
      );
      return;
    case 'companies.synced':
      logger.info({ event: event.type, ...withoutType(event) }, 'ConnectWise companies synced');
      return;
    case 'tracking.manage':
      logger.debug(
        { event: event.type, accountId: event.accountId, manage: event.event },
        `ConnectWise ${event.event.type}`,
      );
      return;
    case 'tracking.error':
      logger.warn(
        { event: event.type, phase: event.phase, accountId: event.accountId, err: event.error },
        `tracking ${event.phase} failed; trying again next round`,
      );
      return;
    case 'tracking.stopped':
      logger.info({ event: event.type }, 'ticket tracking stopped');
      return;
  }
}

function withoutType<T extends { type: string }>(event: T): Omit<T, 'type'> {
  const { type: _type, ...rest } = event;
  return rest;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new InvalidArgumentError(`expected a whole number above 0, got "${value}"`);
  }
  return n;
}

interface WorkerFlags {
  workerId?: string;
  concurrency?: number;
  perAccount?: number;
  pollIntervalMs?: number;
  leaseMs?: number;
  blockedRecheckMs?: number;
  connectwiseTimeoutMs?: number;
  trackingIntervalMs?: number;
  healthIntervalMs?: number;
}

/** Turns the command's flags into {@link WorkerTuning}. */
export function tuningFromFlags(flags: WorkerFlags): WorkerTuning {
  return {
    ...(flags.workerId !== undefined && { workerId: flags.workerId }),
    ...(flags.concurrency !== undefined && { concurrency: flags.concurrency }),
    ...(flags.perAccount !== undefined && { perAccountConcurrency: flags.perAccount }),
    ...(flags.pollIntervalMs !== undefined && { pollIntervalMs: flags.pollIntervalMs }),
    ...(flags.leaseMs !== undefined && { leaseMs: flags.leaseMs }),
    ...(flags.blockedRecheckMs !== undefined && { blockedRecheckMs: flags.blockedRecheckMs }),
    ...(flags.connectwiseTimeoutMs !== undefined && {
      manage: { timeoutMs: flags.connectwiseTimeoutMs },
    }),
    ...((flags.trackingIntervalMs !== undefined || flags.healthIntervalMs !== undefined) && {
      tracking: {
        ...(flags.trackingIntervalMs !== undefined && { intervalMs: flags.trackingIntervalMs }),
        ...(flags.healthIntervalMs !== undefined && { healthIntervalMs: flags.healthIntervalMs }),
      },
    }),
  };
}

/** Adds the worker's tuning flags to a command (`worker`, and `serve` for its in-process worker). */
export function addWorkerFlags(command: Command): Command {
  return command
    .option('--worker-id <id>', 'name of this worker in the job table (default host:pid:random)')
    .option('--concurrency <n>', 'jobs run at once (default 8)', positiveInteger)
    .option('--per-account <n>', 'jobs of one account run at once (default 4)', positiveInteger)
    .option(
      '--poll-interval-ms <ms>',
      'pause between claims when idle (default 1000)',
      positiveInteger,
    )
    .option(
      '--lease-ms <ms>',
      "how long a claimed job stays this worker's (default 60000)",
      positiveInteger,
    )
    .option(
      '--blocked-recheck-ms <ms>',
      'blocked deliveries are tried again after this long (default 300000)',
      positiveInteger,
    )
    .option(
      '--connectwise-timeout-ms <ms>',
      'timeout of each ConnectWise request (default 30000)',
      positiveInteger,
    )
    .option(
      '--tracking-interval-ms <ms>',
      "open tickets' ConnectWise status is polled this often (default 60000)",
      positiveInteger,
    )
    .option(
      '--health-interval-ms <ms>',
      "each account's connection and board are re-checked this often (default 300000)",
      positiveInteger,
    );
}

/** The `worker` subcommand. */
export function workerCommand(): Command {
  return addWorkerFlags(
    new Command('worker').description(
      'Run the delivery worker alone: stored events become ConnectWise tickets (several may share PostgreSQL)',
    ),
  ).action(async (flags: WorkerFlags) => {
    const stop = stopSignal();
    try {
      const config = loadConfigFromProcess();
      const logger = commandLogger(config.logLevel);
      await runWorker({
        config,
        logger,
        signal: stop.signal,
        tuning: tuningFromFlags(flags),
        print: (line) => process.stdout.write(`${line}\n`),
      });
    } catch (err) {
      process.exitCode = reportStartupError(err);
    } finally {
      stop.release();
    }
  });
}

function reportStartupError(err: unknown): number {
  if (err instanceof ConfigError || err instanceof MasterKeyError || err instanceof StorageError) {
    process.stderr.write(`psabridge worker: ${err.message}\n`);
    return 2;
  }
  process.stderr.write(
    `psabridge worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return 1;
}
