/**
 * Ticket tracking, the integration's watch over itself, and the read views of tickets,
 * incidents, activity and health. See README.md in this folder.
 */
export type * from './events.js';
export { startTracking } from './tracking.js';
export type { RunningTracking, TrackingOptions, TrackingTuning } from './tracking.js';
export { DEFAULT_TRACKING_SETTINGS, resolveTrackingSettings } from './settings.js';
export type { TrackingContext, TrackingSettings } from './settings.js';

export { accountsToPoll, pollAccountTickets } from './poller.js';
export type { PollOutcome } from './poller.js';
export {
  DEFAULT_MAX_URL_LENGTH,
  lookUpTickets,
  MAX_MERGE_DEPTH,
  planIdBatches,
  pollUrl,
  PROJECT_TICKET_FIELDS,
  SERVICE_TICKET_FIELDS,
} from './ticket-state.js';
export type { LookUpOptions, TicketLookup, TicketState } from './ticket-state.js';
export { compareTicket } from './ticket-changes.js';
export type { TicketChange } from './ticket-changes.js';
export { describeChange, enqueueObservation, handleObserveJob } from './observe-job.js';
export type { ObservePayload } from './observe-job.js';
export { claimDueTickets, currentTicketId, findTrackedTicket } from './tracked-tickets.js';
export type { TicketRowUpdate, TrackedTicket } from './tracked-tickets.js';

export { HEALTH_CHECK_CODES, runAccountWatch, TRANSIENT_PROBLEM_CODES } from './health.js';
export type { HealthCheckOutcome, WatchOutcome } from './health.js';
export {
  getHealthRecord,
  isHealthCheckDue,
  requestHealthCheck,
  watchCandidates,
} from './health-store.js';
export type { HealthRecord, WatchCandidate } from './health-store.js';
export { integrationHealth } from './health-view.js';
export type { IntegrationHealth } from './health-view.js';

export { getTicketView, listTicketViews, ticketViewsOfIncident } from './ticket-views.js';
export type { TicketFilter, TicketView } from './ticket-views.js';
export { getIncidentView, listIncidentViews } from './incident-views.js';
export type { IncidentDetailView, IncidentFilter, IncidentView } from './incident-views.js';
export { listActivityViews } from './activity-views.js';
export type { ActivityFilter, ActivityView } from './activity-views.js';
export { DEFAULT_PAGE_LIMIT, InvalidCursorError, MAX_PAGE_LIMIT } from './paging.js';
export type { PageOptions } from './paging.js';
export type { BoardHealthState, IntegrationHealthTable, TicketTrackingColumns } from './tables.js';
