/**
 * What the worker reports about its own work. It never logs: the CLI decides what to log from
 * these events. No event carries a key, a token or a ticket's text.
 */
import type { ManageClientEvent } from '../connectwise/client/index.js';
import type { TrackingEvent } from '../tracking/events.js';

/** Fields every job event carries. */
interface JobEventBase {
  readonly workerId: string;
  readonly jobId: string;
  readonly kind: string;
  readonly accountId: string;
  readonly orderingKey: string;
  /** Runs so far, this one included. */
  readonly attempts: number;
}

/** The run succeeded and the job is done. */
export interface JobDoneEvent extends JobEventBase {
  readonly type: 'job.done';
  readonly summary: string;
  readonly incidentKey?: string;
  readonly ticketId?: number;
  readonly elapsedMs: number;
}

/** A transient failure: the job runs again at `runAfter`. */
export interface JobRetryEvent extends JobEventBase {
  readonly type: 'job.retry';
  readonly reason: string;
  readonly runAfter: string;
  readonly rateLimited: boolean;
}

/** A cause an administrator must fix: the job waits, and its ordering key behind it. */
export interface JobBlockedEvent extends JobEventBase {
  readonly type: 'job.blocked';
  readonly code: string;
  readonly reason: string;
  readonly fix: string;
}

/** The worker stopped before or during the run; the job is queued again at once. */
export interface JobReleasedEvent extends JobEventBase {
  readonly type: 'job.released';
  readonly started: boolean;
}

/** The job's lease was lost to another worker; this run's result was discarded. */
export interface JobLostEvent extends JobEventBase {
  readonly type: 'job.lost';
}

/** One ConnectWise client event of a job's run (request, response, retry, …). */
export interface JobManageEvent {
  readonly type: 'manage';
  readonly workerId: string;
  readonly jobId: string;
  readonly accountId: string;
  readonly event: ManageClientEvent;
}

/** The worker started polling. */
export interface WorkerStartedEvent {
  readonly type: 'worker.started';
  readonly workerId: string;
  readonly concurrency: number;
  readonly perAccountConcurrency: number;
}

/** Blocked jobs were put back in the queue by the periodic re-check. */
export interface WorkerRecheckEvent {
  readonly type: 'worker.recheck';
  readonly workerId: string;
  readonly requeued: number;
}

/** The worker's own loop failed (the database unreachable, …); it tries again after a pause. */
export interface WorkerErrorEvent {
  readonly type: 'worker.error';
  readonly workerId: string;
  readonly phase: 'claim' | 'lease' | 'recheck' | 'record';
  readonly error: unknown;
}

/** The worker stopped: nothing of it is running any more. */
export interface WorkerStoppedEvent {
  readonly type: 'worker.stopped';
  readonly workerId: string;
}

/** An event of ticket tracking, run beside the worker (`WorkerOptions.tracking`). */
export interface WorkerTrackingEvent {
  readonly type: 'tracking';
  readonly workerId: string;
  readonly event: TrackingEvent;
}

export type WorkerEvent =
  | JobDoneEvent
  | JobRetryEvent
  | JobBlockedEvent
  | JobReleasedEvent
  | JobLostEvent
  | JobManageEvent
  | WorkerStartedEvent
  | WorkerRecheckEvent
  | WorkerErrorEvent
  | WorkerStoppedEvent
  | WorkerTrackingEvent;

/** Receives every event; it must not throw (an exception it throws is ignored). */
export type WorkerEventListener = (event: WorkerEvent) => void;
