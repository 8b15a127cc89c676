/**
 * The tracking daemon: two loops beside the delivery worker, on the same AbortSignal.
 *
 * - The **poll loop** runs a round every `intervalMs`: each account with a working connection
 *   has its due tickets compared with ConnectWise (`poller.ts`).
 * - The **health loop** looks every `healthScanMs` for accounts whose check is due or asked for,
 *   and checks them (`health.ts`); a request from this process (the worker saw its keys
 *   refused) wakes it at once.
 *
 * Several processes may run it against one database: tickets and account checks are claimed
 * with leases, so each is polled or checked by one process at a time.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

import type { Kysely } from 'kysely';
import PQueue from 'p-queue';

import type { Config } from '../config/config.js';
import type { ManageClientTuning } from '../connection/index.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Dialect } from '../storage/migrate.js';
import type { Database } from '../storage/schema.js';
import type { TrackingEvent, TrackingEventListener } from './events.js';
import { HEALTH_CHECK_CODES, runAccountWatch } from './health.js';
import { isHealthCheckDue, requestHealthCheck, watchCandidates } from './health-store.js';
import { accountsToPoll, pollAccountTickets } from './poller.js';
import {
  resolveTrackingSettings,
  type TrackingContext,
  type TrackingSettings,
} from './settings.js';

/** What a process running tracking may tune: the settings and its ConnectWise clients. */
export interface TrackingTuning extends Partial<TrackingSettings> {
  /** Timeouts and retries of tracking's ConnectWise clients. Default: the client's own. */
  readonly manage?: ManageClientTuning;
}

/** Options of {@link startTracking}. */
export interface TrackingOptions extends TrackingTuning {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Decrypts the accounts' ConnectWise private keys. */
  readonly secretBox: SecretBox;
  /** `clientId`: the integration's GUID sent on every ConnectWise call. */
  readonly config: Pick<Config, 'clientId'>;
  /** Aborting it stops tracking (see `stopped`). */
  readonly signal: AbortSignal;
  /** Names this process in leases. Default `<host>:<pid>:<random>`. */
  readonly workerId?: string;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Receives tracking's events; it must not throw. Default: none. */
  readonly onEvent?: TrackingEventListener;
}

/** Started tracking. */
export interface RunningTracking {
  /** Resolves once both loops stopped (after the signal aborted); never rejects. */
  readonly stopped: Promise<void>;
  /** Asks for the account's health check now (this process's loop wakes at once). */
  requestHealthCheck(accountId: string): void;
  /**
   * Tells tracking a delivery of the account was blocked with `code` (the worker's failure
   * code); keys, permissions or board refused ask for a health check at once.
   */
  noteBlockedDelivery(accountId: string, code: string): void;
}

/**
 * Starts ticket tracking and the health watch; they run until `signal` aborts.
 *
 * @example
 * const tracking = startTracking({ db, dialect, secretBox, config, signal,
 *   onEvent: (e) => logger.debug(e) });
 * // …
 * controller.abort();
 * await tracking.stopped;
 */
export function startTracking(options: TrackingOptions): RunningTracking {
  const tracker = new Tracker(options);
  return {
    stopped: tracker.run(),
    requestHealthCheck: (accountId) => tracker.requestHealthCheck(accountId),
    noteBlockedDelivery: (accountId, code) => {
      if (HEALTH_CHECK_CODES.has(code)) tracker.requestHealthCheck(accountId);
    },
  };
}

class Tracker {
  readonly #ctx: TrackingContext;
  readonly #pollPause = new Pause();
  readonly #healthPause = new Pause();
  /** Requests not yet written, so `stopped` waits for them. */
  readonly #pending = new Set<Promise<void>>();

  constructor(options: TrackingOptions) {
    const settings = resolveTrackingSettings(pickSettings(options));
    const now = options.now ?? (() => new Date());
    this.#ctx = {
      db: options.db,
      dialect: options.dialect,
      connection: {
        db: options.db,
        secretBox: options.secretBox,
        config: options.config,
        now,
        ...(options.manage !== undefined && { manage: options.manage }),
      },
      workerId:
        options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`,
      settings,
      now,
      signal: options.signal,
      emit: (event: TrackingEvent) => {
        try {
          options.onEvent?.(event);
        } catch {
          // A listener's failure must not stop tracking.
        }
      },
    };
  }

  async run(): Promise<void> {
    const { signal, settings } = this.#ctx;
    const wake = (): void => {
      this.#pollPause.wake();
      this.#healthPause.wake();
    };
    signal.addEventListener('abort', wake, { once: true });
    this.#ctx.emit({
      type: 'tracking.started',
      intervalMs: settings.intervalMs,
      healthIntervalMs: settings.healthIntervalMs,
    });
    await Promise.all([
      this.#loop(() => this.#healthRound(), this.#healthPause, settings.healthScanMs),
      this.#loop(() => this.#pollRound(), this.#pollPause, settings.intervalMs),
    ]);
    await Promise.all([...this.#pending]);
    signal.removeEventListener('abort', wake);
    this.#ctx.emit({ type: 'tracking.stopped' });
  }

  requestHealthCheck(accountId: string): void {
    if (this.#ctx.signal.aborted) return;
    const request = requestHealthCheck(this.#ctx.db, accountId)
      .then(() => this.#healthPause.wake())
      .catch((error: unknown) =>
        this.#ctx.emit({ type: 'tracking.error', phase: 'health', accountId, error }),
      )
      .finally(() => this.#pending.delete(request));
    this.#pending.add(request);
  }

  async #loop(round: () => Promise<void>, pause: Pause, everyMs: number): Promise<void> {
    while (!this.#ctx.signal.aborted) {
      try {
        await round();
      } catch (error) {
        if (!this.#ctx.signal.aborted) {
          this.#ctx.emit({ type: 'tracking.error', phase: 'loop', error });
        }
      }
      if (this.#ctx.signal.aborted) break;
      await pause.wait(everyMs);
    }
  }

  // Poll: every account with a working connection, a few at a time.
  async #pollRound(): Promise<void> {
    const accounts = await accountsToPoll(this.#ctx);
    await this.#forEach(accounts, 'poll', (accountId) =>
      pollAccountTickets(this.#ctx, accountId, (id) => this.requestHealthCheck(id)),
    );
  }

  // Health: the accounts whose check or company sync is due (or a check asked for), unless
  // another process is at them; each is decided again once its watch is taken.
  async #healthRound(): Promise<void> {
    const { settings } = this.#ctx;
    const now = this.#ctx.now();
    const at = now.getTime();
    const accounts = (await watchCandidates(this.#ctx.db))
      .filter((c) => c.lockedUntil === null || Date.parse(c.lockedUntil) <= at)
      .filter(
        (c) =>
          isHealthCheckDue(c, now, settings.healthIntervalMs) ||
          c.syncStartedAt === null ||
          Date.parse(c.syncStartedAt) + settings.companySyncIntervalMs <= at,
      )
      .map((c) => c.accountId);
    await this.#forEach(accounts, 'health', (accountId) => runAccountWatch(this.#ctx, accountId));
  }

  async #forEach(
    accounts: readonly string[],
    phase: 'poll' | 'health',
    work: (accountId: string) => Promise<unknown>,
  ): Promise<void> {
    const queue = new PQueue({ concurrency: this.#ctx.settings.accountConcurrency });
    for (const accountId of accounts) {
      void queue.add(async () => {
        if (this.#ctx.signal.aborted) return;
        try {
          await work(accountId);
        } catch (error) {
          if (!this.#ctx.signal.aborted) {
            this.#ctx.emit({ type: 'tracking.error', phase, accountId, error });
          }
        }
      });
    }
    await queue.onIdle();
  }
}

/** Waits between rounds; `wake` ends the wait early. */
class Pause {
  #wake: (() => void) | undefined;
  #woken = false;

  wait(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  /** Ends the current wait, or the next one at once if none is running. */
  wake(): void {
    if (this.#wake !== undefined) this.#wake();
    else this.#woken = true;
  }
}

function pickSettings(options: TrackingOptions): Partial<TrackingSettings> {
  const keys: (keyof TrackingSettings)[] = [
    'intervalMs',
    'closedIntervalMs',
    'closedWatchMs',
    'maxTicketsPerRound',
    'maxUrlLength',
    'healthIntervalMs',
    'healthScanMs',
    'companySyncIntervalMs',
    'leaseMs',
    'accountConcurrency',
  ];
  const picked: Partial<Record<keyof TrackingSettings, number>> = {};
  for (const key of keys) {
    const value = options[key];
    if (value !== undefined) picked[key] = value;
  }
  return picked;
}
