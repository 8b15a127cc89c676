/**
 * The delivery worker: the daemon that turns stored jobs into incidents and ConnectWise tickets.
 *
 * Its loop is a story in three parts, told below paragraph by paragraph:
 * 1. **Claim** due jobs from the database, as many as there are free slots, never two of one
 *    ordering key at once (`claim.ts`).
 * 2. **Act** on each on its account's queue (`handlers/`): the domain for events and ticks,
 *    ConnectWise for ticket actions.
 * 3. **Record** the outcome: `done`, `queued` again after a backoff or `Retry-After`, or
 *    `blocked` with a reason and a fix (`record.ts`, `failure.ts`).
 *
 * Beside the loop, a heartbeat extends the leases of running jobs and a re-check puts blocked
 * jobs back in the queue every `blockedRecheckMs`. Several workers (threads of one process, or
 * processes sharing PostgreSQL) can run side by side. The worker stops on its AbortSignal:
 * claimed jobs that did not start are released, runs in flight have their ConnectWise calls
 * cancelled and are released too, and `stopped` resolves once nothing of it runs any more.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';

import type { Kysely } from 'kysely';
import PQueue from 'p-queue';

import type { Config } from '../config/config.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../connectwise/client/index.js';
import type { ManageClientTuning } from '../connection/types.js';
import { setIncidentBlocked } from '../incidents/index.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { startTracking, type RunningTracking, type TrackingTuning } from '../tracking/tracking.js';
import { toIso } from '../storage/columns.js';
import type { Dialect } from '../storage/migrate.js';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { recordActivity } from './activity.js';
import { claimJobs, extendLeases } from './claim.js';
import { connectedPorts, type DeliveryPorts } from './delivery-ports.js';
import { DeliveryBlockedError, LeaseLostError } from './errors.js';
import type { WorkerEvent, WorkerEventListener } from './events.js';
import { DEFAULT_RETRY_BACKOFF, decideFailure, type RetryBackoff } from './failure.js';
import { JOB_HANDLERS, type HandlerContext } from './handlers/index.js';
import { JOB_KINDS, type ActionPayload, type Job, type JobKind, type TickPayload } from './jobs.js';
import { recordBlocked, recordReleased, recordRetry, requeueBlocked } from './record.js';

/** Options of {@link startWorker}. */
export interface WorkerOptions {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Decrypts the accounts' ConnectWise private keys. */
  readonly secretBox: SecretBox;
  /** `clientId`: the integration's GUID sent on every ConnectWise call. */
  readonly config: Pick<Config, 'clientId'>;
  /** Aborting it stops the worker (see `stopped`). */
  readonly signal: AbortSignal;
  /** Names the worker in `jobs.locked_by` and in events. Default `<host>:<pid>:<random>`. */
  readonly workerId?: string;
  /** Jobs run at once by this worker. Default 8. */
  readonly concurrency?: number;
  /** Jobs of one account run at once by this worker. Default 4. */
  readonly perAccountConcurrency?: number;
  /** Pause between claims when there was nothing to do. Default 1,000 ms. */
  readonly pollIntervalMs?: number;
  /** How long a claimed job stays this worker's without a heartbeat. Default 60,000 ms. */
  readonly leaseMs?: number;
  /** Blocked jobs are re-run this long after they blocked. Default 300,000 ms (5 minutes). */
  readonly blockedRecheckMs?: number;
  /** Backoff of transient failures. Default {@link DEFAULT_RETRY_BACKOFF}. */
  readonly backoff?: Partial<RetryBackoff>;
  /**
   * Timeouts and retries of the ConnectWise clients. Whatever is given, a 429 with Retry-After
   * is handed to the worker instead of waited out inside the client (`maxRetryAfterMs: 0`), so
   * the worker can hold every call of the account until it elapses.
   */
  readonly manage?: ManageClientTuning;
  /** The rest of the bridge as the handlers see it. Default: the connection and companies parts. */
  readonly ports?: DeliveryPorts;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Uniform in [0, 1), for backoff jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** Receives the worker's events; it must not throw. Default: none. */
  readonly onEvent?: WorkerEventListener;
  /**
   * Runs ticket tracking and the integration's health watch (`src/tracking/`) beside delivery,
   * on the same signal, with these settings; its events arrive as `tracking` events. A blocked
   * delivery whose cause may be the connection or the board asks for a health check at once.
   * Default: off (the `worker` and `serve` commands turn it on).
   */
  readonly tracking?: TrackingTuning;
}

/** A started worker. */
export interface RunningWorker {
  readonly workerId: string;
  /** Resolves once the worker stopped (after its signal aborted); never rejects. */
  readonly stopped: Promise<void>;
}

/**
 * Starts a worker; it runs until `signal` aborts.
 *
 * @example
 * const controller = new AbortController();
 * const worker = startWorker({ db, dialect, secretBox, config, signal: controller.signal,
 *   onEvent: (e) => logger.info(e) });
 * // …
 * controller.abort();
 * await worker.stopped;
 */
export function startWorker(options: WorkerOptions): RunningWorker {
  const worker = new DeliveryWorker(options);
  return { workerId: worker.workerId, stopped: worker.run() };
}

/** One job held by this worker. */
interface Held {
  readonly job: Job;
  started: boolean;
}

class DeliveryWorker {
  readonly workerId: string;
  readonly #o: WorkerOptions;
  readonly #concurrency: number;
  readonly #perAccount: number;
  readonly #pollIntervalMs: number;
  readonly #leaseMs: number;
  readonly #recheckMs: number;
  readonly #backoff: RetryBackoff;
  readonly #ports: DeliveryPorts;
  readonly #createSettleMs: number;
  readonly #now: () => Date;
  readonly #random: () => number;
  readonly #held = new Map<string, Held>();
  readonly #queues = new Map<string, PQueue>();
  /** Per account: no ConnectWise call before this time (ms), after a 429's Retry-After. */
  readonly #throttledUntil = new Map<string, number>();
  #wake: (() => void) | undefined;
  #tracking: RunningTracking | undefined;

  constructor(options: WorkerOptions) {
    this.#o = options;
    this.workerId =
      options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#concurrency = positive(options.concurrency ?? 8, 'concurrency');
    this.#perAccount = positive(options.perAccountConcurrency ?? 4, 'perAccountConcurrency');
    this.#pollIntervalMs = positive(options.pollIntervalMs ?? 1_000, 'pollIntervalMs');
    this.#leaseMs = positive(options.leaseMs ?? 60_000, 'leaseMs');
    this.#recheckMs = positive(options.blockedRecheckMs ?? 300_000, 'blockedRecheckMs');
    this.#backoff = { ...DEFAULT_RETRY_BACKOFF, ...options.backoff };
    this.#now = options.now ?? (() => new Date());
    this.#random = options.random ?? Math.random;
    // A create sent by a run that then died can still reach ConnectWise until its request times
    // out; a later run looks for the ticket only after that (plus a margin for the server).
    this.#createSettleMs = (options.manage?.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) + 5_000;
    this.#ports =
      options.ports ??
      connectedPorts({
        db: options.db,
        secretBox: options.secretBox,
        config: options.config,
        manage: {
          ...options.manage,
          retry: { ...options.manage?.retry, maxRetryAfterMs: 0 },
        },
      });
  }

  async run(): Promise<void> {
    const { signal } = this.#o;
    const wakeOnAbort = (): void => this.#wake?.();
    signal.addEventListener('abort', wakeOnAbort, { once: true });
    const heartbeat = setInterval(() => void this.#extendLeases(), Math.max(50, this.#leaseMs / 3));
    const recheck = setInterval(
      () => void this.#recheckBlocked(),
      Math.max(50, Math.min(this.#recheckMs / 2, 60_000)),
    );
    this.#emit({
      type: 'worker.started',
      workerId: this.workerId,
      concurrency: this.#concurrency,
      perAccountConcurrency: this.#perAccount,
    });
    if (this.#o.tracking !== undefined) {
      const { db, dialect, secretBox, config } = this.#o;
      this.#tracking = startTracking({
        ...this.#o.tracking,
        db,
        dialect,
        secretBox,
        config,
        signal,
        workerId: this.workerId,
        now: this.#now,
        onEvent: (event) => this.#emit({ type: 'tracking', workerId: this.workerId, event }),
      });
    }

    while (!signal.aborted) {
      // Claim: as many due jobs as there are free slots, skipping accounts already at their
      // limit, so one busy account cannot fill the worker.
      const free = this.#concurrency - this.#held.size;
      let claimed: Job[] = [];
      if (free > 0) {
        try {
          claimed = await claimJobs(this.#o.db, this.#o.dialect, {
            workerId: this.workerId,
            limit: free,
            leaseMs: this.#leaseMs,
            now: this.#now(),
            excludeAccounts: this.#accountsAtLimit(),
          });
        } catch (error) {
          this.#emit({ type: 'worker.error', workerId: this.workerId, phase: 'claim', error });
        }
      }

      // Act: each job runs on its account's queue; the loop does not wait for it.
      for (const job of claimed) this.#start(job);

      // Wait: with a full batch there may be more at once; otherwise until a job ends (its
      // ordering key may have a next job), the poll interval passes, or the worker stops.
      if (claimed.length === 0 || claimed.length < free || this.#held.size >= this.#concurrency) {
        await this.#pause(this.#pollIntervalMs);
      }
    }

    // Stop: jobs that did not start are released as their turn comes; runs in flight see the
    // aborted signal in their ConnectWise calls and are released too.
    await Promise.all([...this.#queues.values()].map((queue) => queue.onIdle()));
    clearInterval(heartbeat);
    clearInterval(recheck);
    signal.removeEventListener('abort', wakeOnAbort);
    await this.#tracking?.stopped;
    this.#emit({ type: 'worker.stopped', workerId: this.workerId });
  }

  #start(job: Job): void {
    const held: Held = { job, started: false };
    this.#held.set(job.id, held);
    let queue = this.#queues.get(job.accountId);
    if (queue === undefined) {
      queue = new PQueue({ concurrency: this.#perAccount });
      this.#queues.set(job.accountId, queue);
    }
    void queue
      .add(() => this.#runJob(held))
      .catch((error: unknown) =>
        this.#emit({ type: 'worker.error', workerId: this.workerId, phase: 'record', error }),
      )
      .finally(() => {
        this.#held.delete(job.id);
        if (queue.size === 0 && queue.pending === 0) this.#queues.delete(job.accountId);
        this.#wake?.();
      });
  }

  async #runJob(held: Held): Promise<void> {
    const { job } = held;
    const { signal } = this.#o;
    if (!signal.aborted && (job.kind === 'action' || job.kind === 'observe')) {
      await this.#throttle(job.accountId);
    }
    if (signal.aborted) {
      await this.#release(held);
      return;
    }

    held.started = true;
    const startedAt = performance.now();
    const context: HandlerContext = {
      db: this.#o.db,
      dialect: this.#o.dialect,
      workerId: this.workerId,
      now: this.#now,
      ports: this.#ports,
      createSettleMs: this.#createSettleMs,
      signal,
      onClientEvent: (event) =>
        this.#emit({
          type: 'manage',
          workerId: this.workerId,
          jobId: job.id,
          accountId: job.accountId,
          event,
        }),
    };
    try {
      if (!isJobKind(job.kind)) {
        throw new DeliveryBlockedError(
          'unknown_kind',
          `Job ${job.id} is of kind "${job.kind}", which this worker does not know.`,
          'Run a worker of the version that queued it, then retry.',
        );
      }
      const outcome = await JOB_HANDLERS[job.kind](context, job);
      this.#emit({
        ...this.#jobFields(job),
        type: 'job.done',
        summary: outcome.summary,
        ...(outcome.incidentKey !== undefined && { incidentKey: outcome.incidentKey }),
        ...(outcome.ticketId !== undefined && { ticketId: outcome.ticketId }),
        elapsedMs: Math.round(performance.now() - startedAt),
      });
    } catch (error) {
      if (error instanceof LeaseLostError) {
        this.#emit({ ...this.#jobFields(job), type: 'job.lost' });
      } else if (signal.aborted) {
        await this.#release(held);
      } else {
        await this.#recordFailure(job, error);
      }
    }
  }

  // Record: a transient cause runs again later, an administrator's cause blocks the job.
  async #recordFailure(job: Job, error: unknown): Promise<void> {
    const decision = decideFailure({
      error,
      attempts: job.attempts,
      backoff: this.#backoff,
      random: this.#random,
    });
    const now = this.#now();
    const { db } = this.#o;
    const incidentKey = incidentKeyOf(job);

    if (decision.kind === 'retry') {
      const runAfter = new Date(now.getTime() + decision.delayMs);
      if (decision.rateLimited) {
        // ConnectWise asked the account to wait: no call of the account before then.
        const until = Math.max(this.#throttledUntil.get(job.accountId) ?? 0, runAfter.getTime());
        this.#throttledUntil.set(job.accountId, until);
      }
      await inTransaction(db, async (trx) => {
        if (
          !(await recordRetry(trx, job, this.workerId, { runAfter, reason: decision.reason }, now))
        ) {
          throw new LeaseLostError(job.id);
        }
        // Thinned out (runs 1, 2, 4, 8, …) so a long outage does not flood the log.
        if (isPowerOfTwo(job.attempts)) {
          await recordActivity(
            trx,
            {
              accountId: job.accountId,
              kind: 'delivery.retry',
              level: 'warn',
              message: `Will retry at ${toIso(runAfter)} (run ${job.attempts}): ${decision.reason}.`,
              incidentKey,
              jobId: job.id,
              eventId: job.eventId,
            },
            now,
          );
        }
      }).catch((failure: unknown) => this.#recordingFailed(job, failure));
      this.#emit({
        ...this.#jobFields(job),
        type: 'job.retry',
        reason: decision.reason,
        runAfter: toIso(runAfter),
        rateLimited: decision.rateLimited,
      });
      return;
    }

    await inTransaction(db, async (trx) => {
      const failure = { code: decision.code, reason: decision.reason, fix: decision.fix };
      if (!(await recordBlocked(trx, job, this.workerId, failure, now))) {
        throw new LeaseLostError(job.id);
      }
      if (incidentKey !== null) {
        await setIncidentBlocked(trx, job.accountId, incidentKey, decision);
      }
      await recordActivity(
        trx,
        {
          accountId: job.accountId,
          kind: 'delivery.blocked',
          level: 'error',
          message: `${decision.reason} ${decision.fix}`,
          incidentKey,
          jobId: job.id,
          eventId: job.eventId,
        },
        now,
      );
    }).catch((failure: unknown) => this.#recordingFailed(job, failure));
    this.#emit({
      ...this.#jobFields(job),
      type: 'job.blocked',
      code: decision.code,
      reason: decision.reason,
      fix: decision.fix,
    });
    // Keys, permissions or the board refused: the health watch checks the account at once.
    this.#tracking?.noteBlockedDelivery(job.accountId, decision.code);
  }

  #recordingFailed(job: Job, error: unknown): void {
    if (error instanceof LeaseLostError) {
      this.#emit({ ...this.#jobFields(job), type: 'job.lost' });
    } else {
      // The lease runs out and another run picks the job up: nothing is lost.
      this.#emit({ type: 'worker.error', workerId: this.workerId, phase: 'record', error });
    }
  }

  async #release(held: Held): Promise<void> {
    try {
      await recordReleased(this.#o.db, held.job, this.workerId, held.started, this.#now());
      this.#emit({ ...this.#jobFields(held.job), type: 'job.released', started: held.started });
    } catch (error) {
      this.#emit({ type: 'worker.error', workerId: this.workerId, phase: 'record', error });
    }
  }

  /** Waits out a 429's Retry-After of the account (or the worker's stop). */
  async #throttle(accountId: string): Promise<void> {
    for (;;) {
      const wait = (this.#throttledUntil.get(accountId) ?? 0) - this.#now().getTime();
      if (wait <= 0 || this.#o.signal.aborted) return;
      await sleep(wait, this.#o.signal);
    }
  }

  #accountsAtLimit(): string[] {
    const counts = new Map<string, number>();
    for (const { job } of this.#held.values()) {
      counts.set(job.accountId, (counts.get(job.accountId) ?? 0) + 1);
    }
    return [...counts].filter(([, n]) => n >= this.#perAccount).map(([account]) => account);
  }

  async #extendLeases(): Promise<void> {
    try {
      const until = new Date(this.#now().getTime() + this.#leaseMs);
      await extendLeases(this.#o.db, this.workerId, [...this.#held.keys()], until);
    } catch (error) {
      this.#emit({ type: 'worker.error', workerId: this.workerId, phase: 'lease', error });
    }
  }

  async #recheckBlocked(): Promise<void> {
    if (this.#o.signal.aborted) return;
    try {
      const now = this.#now();
      const blockedBefore = toIso(new Date(now.getTime() - this.#recheckMs));
      const requeued = await requeueBlocked(this.#o.db, { blockedBefore }, now);
      if (requeued > 0) {
        this.#emit({ type: 'worker.recheck', workerId: this.workerId, requeued });
        this.#wake?.();
      }
    } catch (error) {
      this.#emit({ type: 'worker.error', workerId: this.workerId, phase: 'recheck', error });
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
      if (this.#o.signal.aborted) done();
    });
  }

  #jobFields(job: Job) {
    return {
      workerId: this.workerId,
      jobId: job.id,
      kind: job.kind,
      accountId: job.accountId,
      orderingKey: job.orderingKey,
      attempts: job.attempts,
    };
  }

  #emit(event: WorkerEvent): void {
    try {
      this.#o.onEvent?.(event);
    } catch {
      // A listener's failure must not stop delivery.
    }
  }
}

function isJobKind(kind: string): kind is JobKind {
  return (JOB_KINDS as readonly string[]).includes(kind);
}

/** The incident a job is about, for the incident's blocked mark and the activity line. */
function incidentKeyOf(job: Job): string | null {
  const payload = job.payload as Partial<ActionPayload & TickPayload> | null;
  if (job.kind === 'action') return payload?.action?.incidentKey ?? null;
  // A tick's and an observe job's (src/tracking) payloads name their incident alike.
  if (job.kind === 'tick' || job.kind === 'observe') return payload?.incidentKey ?? null;
  return null;
}

function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

function positive(value: number, name: string): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
  return value;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
