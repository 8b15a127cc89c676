/** What every job handler gets from the worker. */
import type { Kysely } from 'kysely';

import type { ManageEventListener } from '../../connectwise/client/index.js';
import type { Dialect } from '../../storage/migrate.js';
import type { Database } from '../../storage/schema.js';
import type { DeliveryPorts } from '../delivery-ports.js';
import type { Job } from '../jobs.js';

/** The worker's side of a handler call. */
export interface HandlerContext {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  readonly workerId: string;
  readonly now: () => Date;
  readonly ports: DeliveryPorts;
  /** Aborted when the worker stops: ConnectWise calls end and the job is released. */
  readonly signal: AbortSignal;
  /**
   * How long after a create was sent it may still reach ConnectWise: the client's request
   * timeout plus a margin. A rerun waits this long before it reconciles by correlation key.
   */
  readonly createSettleMs: number;
  /** Receives the ConnectWise client's events of this run. */
  readonly onClientEvent?: ManageEventListener;
}

/** What a successful run reports, for the worker's `job.done` event. */
export interface JobOutcome {
  /** One line saying what the run did. */
  readonly summary: string;
  readonly incidentKey?: string;
  readonly ticketId?: number;
}

/** Runs one job of a kind. Records `done` itself (with its writes); throws on failure. */
export type JobHandler = (context: HandlerContext, job: Job) => Promise<JobOutcome>;
