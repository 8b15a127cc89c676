/**
 * Tracking's settings, with their defaults, and what each of its steps gets to run with.
 */
import type { Kysely } from 'kysely';

import { DEFAULT_COMPANY_SYNC_INTERVAL_MS } from '../companies/index.js';
import type { ConnectionDeps } from '../connection/index.js';
import type { Dialect } from '../storage/migrate.js';
import type { Database } from '../storage/schema.js';
import type { TrackingEvent } from './events.js';
import { DEFAULT_MAX_URL_LENGTH } from './ticket-state.js';

/** How often tracking looks, and how much it does per round. */
export interface TrackingSettings {
  /** Open tickets are polled this often (and the poll round runs this often). Default 60,000 ms. */
  readonly intervalMs: number;
  /** Closed tickets still watched are polled this often. Default 300,000 ms (5 minutes). */
  readonly closedIntervalMs: number;
  /**
   * A closed ticket is watched this long after it closed, so a technician's reopen is seen.
   * Default 7 days.
   */
  readonly closedWatchMs: number;
  /** Tickets of one account polled in one round at most. Default 1,000. */
  readonly maxTicketsPerRound: number;
  /** Longest URL of a poll. Default {@link DEFAULT_MAX_URL_LENGTH} (1,999: under 2,000). */
  readonly maxUrlLength: number;
  /** Each account's connection and board are re-checked this often. Default 300,000 ms. */
  readonly healthIntervalMs: number;
  /**
   * How often tracking looks for accounts whose check is due or was asked for by another
   * process. A request from this process's worker is acted on at once. Default 15,000 ms.
   */
  readonly healthScanMs: number;
  /** Companies are synced from ConnectWise this often. Default 900,000 ms (15 minutes). */
  readonly companySyncIntervalMs: number;
  /** A claimed ticket or account check is this process's for this long. Default 300,000 ms. */
  readonly leaseMs: number;
  /** Accounts polled or checked at once. Default 4. */
  readonly accountConcurrency: number;
}

/** The defaults of {@link TrackingSettings}. */
export const DEFAULT_TRACKING_SETTINGS: TrackingSettings = Object.freeze({
  intervalMs: 60_000,
  closedIntervalMs: 300_000,
  closedWatchMs: 7 * 24 * 60 * 60 * 1000,
  maxTicketsPerRound: 1_000,
  maxUrlLength: DEFAULT_MAX_URL_LENGTH,
  healthIntervalMs: 300_000,
  healthScanMs: 15_000,
  companySyncIntervalMs: DEFAULT_COMPANY_SYNC_INTERVAL_MS,
  leaseMs: 300_000,
  accountConcurrency: 4,
});

/**
 * Settings with the defaults filled in.
 *
 * @throws RangeError for a setting that is not a positive number.
 */
export function resolveTrackingSettings(given: Partial<TrackingSettings> = {}): TrackingSettings {
  const settings = { ...DEFAULT_TRACKING_SETTINGS, ...given };
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isFinite(value) || value <= 0) {
      throw new RangeError(`tracking setting ${name} must be a positive number, got ${value}`);
    }
  }
  return settings;
}

/** What the poll and the health check run with. */
export interface TrackingContext {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Opens ConnectWise clients on the accounts' saved connections. */
  readonly connection: ConnectionDeps;
  /** Names this process in leases. */
  readonly workerId: string;
  readonly settings: TrackingSettings;
  readonly now: () => Date;
  readonly signal: AbortSignal;
  /** Receives tracking's events; never throws. */
  readonly emit: (event: TrackingEvent) => void;
}
