/**
 * The incident domain: pure logic that turns backup events into ticket actions. No I/O, no
 * database, no clock: times come in as ISO-8601 arguments and every state object is plain JSON.
 *
 * Entry points for the worker: `planStorm` (one event, with storm roll-up), `applyTick` at
 * `nextDueAt`, and `applyTicketObservation` for what tracking sees in ConnectWise.
 */
export * from './actions.js';
export * from './conditions.js';
export * from './errors.js';
export * from './event.js';
export * from './incident-key.js';
export * from './incident-state.js';
export {
  applyEvent,
  applyTick,
  applyTicketObservation,
  incidentKeyOfEvent,
  nextDueAt,
} from './incident.js';
export type {
  ApplyResult,
  EventContext,
  EventEffect,
  EventResult,
  TicketObservation,
} from './incident.js';
export { noteIntervalOf } from './incident-ops.js';
export * from './rules.js';
export { isFailing, planStorm } from './storm.js';
export type { StormPlan } from './storm.js';
export * from './templates.js';
export * from './ticket-content.js';
export { formatDuration, formatUtc } from './time.js';
