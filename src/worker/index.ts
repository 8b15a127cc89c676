/**
 * Durable delivery: the worker that turns stored events into incidents and ConnectWise tickets,
 * the job queue it claims from, the tickets it made and the activity it logged.
 */
export { listActivity, recordActivity } from './activity.js';
export type { ActivityEntry, ActivityInput, ListActivityOptions } from './activity.js';
export { claimJobs, extendLeases, selectClaimableJobIds } from './claim.js';
export type { ClaimOptions } from './claim.js';
export { connectedPorts } from './delivery-ports.js';
export type { ConnectedPortsOptions, DeliveryPorts } from './delivery-ports.js';
export { DeliveryBlockedError, LeaseLostError } from './errors.js';
export type * from './events.js';
export { backoffDelayMs, decideFailure, DEFAULT_RETRY_BACKOFF } from './failure.js';
export type { FailureDecision, FailureInput, RetryBackoff } from './failure.js';
export {
  assertJobTransition,
  JOB_STATES,
  JOB_TRANSITIONS,
  JobTransitionError,
} from './job-states.js';
export {
  companyOrderingKey,
  enqueueJob,
  idTimeMs,
  incidentOrderingKey,
  JOB_KINDS,
} from './jobs.js';
export type {
  ActionPayload,
  ActionProgress,
  Job,
  JobKind,
  JobPlacement,
  NewJob,
  TickPayload,
} from './jobs.js';
export { parseJobFailure, requeueBlocked } from './record.js';
export type { JobFailure, RequeueFilter } from './record.js';
export { deliveryStatus } from './status.js';
export type { BlockedDelivery, DeliveryStatus } from './status.js';
export { findTicketByXRef, listTickets } from './tickets-store.js';
export type { ListTicketsOptions, StoredTicket } from './tickets-store.js';
export type { ActivityLevel, ActivityTable, TicketRecordType, TicketsTable } from './tables.js';
export { startWorker } from './worker.js';
export type { RunningWorker, WorkerOptions } from './worker.js';
