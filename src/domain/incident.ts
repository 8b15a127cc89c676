/**
 * The incident state machine for one device and condition: events, ticks and what tracking sees
 * in ConnectWise go in; the new incident and the ticket actions come out. Pure: no I/O, no clock
 * (`now` is an argument), inputs never mutated.
 *
 * Decisions worth knowing:
 *
 * - Thresholds count problem events per type since the last recovery (`backup.warning` needs 3
 *   in a row by default, failures 1).
 * - Repeats on an open ticket are counted; a note is written by the first event (or
 *   `applyTick`) at least `noteIntervalMinutes` after the last note, with the counts since then.
 * - A ticket closes after `closeAfterSuccesses` recoveries in a row; a problem in between sets the
 *   count back to zero (flap damping).
 * - Late events (older `occurredAt` than what the incident has seen) never change the state: a
 *   problem older than the latest recovery is only counted as evidence on a live ticket, and a
 *   recovery not newer than the latest problem is ignored. On equal times the problem wins, so a
 *   tie never closes a ticket.
 * - A technician's close is acted on at the next problem, by the `closedWhileFailing` policy, so the
 *   close itself is never contradicted at once.
 * - With the company's ticketing off, no new ticket is made (incidents are `suppressed`), but a
 *   ticket already open still gets its notes and its close, so nothing is left open forever.
 */
import type { TicketAction } from './actions.js';
import { EVENT_TYPE_INFO, isProblemType } from './conditions.js';
import { IncidentMismatchError } from './errors.js';
import type { DomainEvent } from './event.js';
import type { Incident, ProblemSample, TicketRef } from './incident-state.js';
import { incidentKeyOf, xrefBaseOf } from './incident-key.js';
import {
  addToPendingNote,
  closeTicket,
  countOf,
  createTicket,
  deviceOf,
  flushIfDue,
  moveTo,
  noteDue,
  noteDueAt,
  noteIntervalOf,
  problemSample,
  recordProblem,
  recoverySample,
  rememberEvent,
  reopenTicket,
  resolve,
  signatureOf,
  startStep,
  withinReopenWindow,
} from './incident-ops.js';
import type { Step } from './incident-ops.js';
import { companyTicketing } from './rules.js';
import type { Rules } from './rules.js';
import {
  deviceTemplateView,
  initialDescription,
  renderSummary,
  reopenNoteText,
  resolutionNoteText,
} from './ticket-content.js';
import { addMinutes, isBefore, latest, toMs } from './time.js';

/**
 * What an event did:
 * - `applied`: it changed the incident (it may or may not have produced actions);
 * - `late`: older than what the incident already saw; counted as evidence at most;
 * - `duplicate`: this event id was applied before; nothing changed;
 * - `ignored`: its type makes no tickets (`ticket: false`), or a recovery with no incident.
 */
export type EventEffect = 'applied' | 'late' | 'duplicate' | 'ignored';

/** Result of applying something to an incident. */
export interface ApplyResult {
  /** The new incident; the same object as the input when nothing changed; undefined if none. */
  incident: Incident | undefined;
  actions: TicketAction[];
}

/** Result of `applyEvent`. */
export interface EventResult extends ApplyResult {
  effect: EventEffect;
}

/**
 * Context from the company level. `stormKey`: the company's active storm for this condition;
 * a device that would get a new ticket (or a reopened one) joins it instead (`rolledUp`).
 * `planStorm` fills this in; callers without storms omit it.
 */
export interface EventContext {
  stormKey?: string;
}

function newDeviceIncident(event: DomainEvent, incidentKey: string, now: string): Incident {
  return newIncident('device', event, incidentKey, now);
}

/**
 * A fresh incident for the problem `event` names: one device's (`device`), or the company-wide
 * storm that carries several devices (`storm`, keyed by the storm key).
 */
export function newIncident(
  kind: Incident['kind'],
  event: DomainEvent,
  incidentKey: string,
  now: string,
): Incident {
  return {
    schema: 1,
    kind,
    incidentKey,
    xrefBase: xrefBaseOf(incidentKey),
    accountId: event.accountId,
    company: event.company,
    condition: EVENT_TYPE_INFO[event.type].condition,
    device: kind === 'device' ? deviceOf(event) : null,
    state: 'pending',
    stateSince: now,
    suppressedReason: null,
    episode: null,
    lastProblemAt: null,
    lastRecoveryAt: null,
    successes: [],
    ticket: null,
    priority: null,
    readyAt: null,
    pendingNote: null,
    lastNoteAt: null,
    resolvedAt: null,
    stormKey: null,
    members: [],
    appliedEventIds: [],
    actionSeq: 0,
  };
}

/** The incident key an event belongs to. */
export function incidentKeyOfEvent(event: DomainEvent): string {
  return incidentKeyOf({
    accountId: event.accountId,
    company: event.company,
    condition: EVENT_TYPE_INFO[event.type].condition,
    deviceId: event.device.id,
  });
}

/**
 * Applies one event to its device incident (`undefined` when the incident does not exist yet).
 *
 * @param incident the stored incident of `incidentKeyOfEvent(event)`, or undefined
 * @param now the current time, ISO-8601 (used for note coalescing, storm hold, `stateSince`)
 * @param context the company's active storm, from `planStorm`
 * @throws IncidentMismatchError when `incident` is not the event's incident
 * @throws InvalidTimeError when `now` or `event.occurredAt` is not an ISO instant
 *
 * @example
 * const { incident, actions } = applyEvent(undefined, failedEvent, DEFAULT_RULES, now);
 * // actions[0].kind === 'create' once the storm hold has passed (or with holdMinutes 0)
 */
export function applyEvent(
  incident: Incident | undefined,
  event: DomainEvent,
  rules: Readonly<Rules>,
  now: string,
  context: EventContext = {},
): EventResult {
  toMs(now, 'now');
  toMs(event.occurredAt, 'event.occurredAt');
  const key = incidentKeyOfEvent(event);
  if (incident !== undefined && incident.incidentKey !== key) {
    throw new IncidentMismatchError(key, incident.incidentKey);
  }
  if (incident?.appliedEventIds.includes(event.eventId)) {
    return { incident, actions: [], effect: 'duplicate' };
  }
  const type = event.type;
  if (isProblemType(type) && !rules.events[type].ticket) {
    return { incident, actions: [], effect: 'ignored' };
  }
  if (!isProblemType(type) && incident === undefined) {
    return { incident: undefined, actions: [], effect: 'ignored' };
  }

  const step = startStep(
    incident ?? newDeviceIncident(event, key, now),
    incident?.state ?? 'new',
    rules,
    now,
  );
  rememberEvent(step.incident, event.eventId);
  refreshDevice(step.incident, event);
  const effect = isProblemType(type)
    ? onProblem(step, problemSample({ ...event, type }), context)
    : onRecovery(step, recoverySample({ ...event, type }));
  return { incident: step.incident, actions: step.actions, effect };
}

// Name and OS follow the newest event: a renamed device shows its new name in later notes.
function refreshDevice(incident: Incident, event: DomainEvent): void {
  const newest = [incident.lastProblemAt, incident.lastRecoveryAt].every(
    (seen) => seen === null || !isBefore(event.occurredAt, seen),
  );
  if (newest && incident.kind === 'device') incident.device = deviceOf(event);
}

// --- Problems ------------------------------------------------------------------------------

function onProblem(step: Step, sample: ProblemSample, context: EventContext): EventEffect {
  const incident = step.incident;

  // A problem older than the latest recovery happened before the device recovered: it must not
  // reopen, reset flap damping or count towards a threshold. On a live ticket it is still evidence.
  if (incident.lastRecoveryAt !== null && isBefore(sample.occurredAt, incident.lastRecoveryAt)) {
    if (step.current === 'open' || step.current === 'recovering') {
      recordProblem(incident, sample, false, signatureOf(sample), { late: true });
      countRepeat(step, sample);
    }
    return 'late';
  }

  const signature = signatureOf(sample);
  const known = incident.episode?.signatures.includes(signature) ?? false;
  const newEpisode = incident.episode === null || step.current === 'resolved';
  // A new episode forgets the last one's streak; within one, a recovery already reset it.
  recordProblem(incident, sample, newEpisode, signature);
  incident.lastProblemAt =
    incident.lastProblemAt === null
      ? sample.occurredAt
      : latest(incident.lastProblemAt, sample.occurredAt);
  incident.successes = [];

  switch (step.current) {
    case 'new':
    case 'pending':
    case 'resolved':
      startOrHold(step, sample, context);
      break;
    case 'rolledUp':
      // Still carried by the storm: the storm counts the repeat. Without a storm, start afresh.
      if (context.stormKey !== undefined && context.stormKey === incident.stormKey) {
        moveTo(step, 'rolledUp');
        incident.stormKey = context.stormKey;
      } else {
        startOrHold(step, sample, context);
      }
      break;
    case 'suppressed':
      if (incident.suppressedReason === 'quiet') {
        if (known) moveTo(step, 'suppressed', 'quiet');
        else startFollowUp(step, sample, context);
      } else {
        startOrHold(step, sample, context);
      }
      break;
    case 'open':
      moveTo(step, 'open');
      countRepeat(step, sample);
      break;
    case 'recovering':
      moveTo(step, 'open');
      countRepeat(step, sample);
      break;
    case 'closedExternally':
      afterTechnicianClose(step, sample, known, context);
      break;
  }
  return 'applied';
}

// No live ticket: make one once the threshold is reached, unless the company is off, a storm
// carries the device, the last ticket can be reopened, or the storm hold is still running.
function startOrHold(step: Step, sample: ProblemSample, context: EventContext): void {
  const incident = step.incident;
  const rules = step.rules;
  if (!companyTicketing(rules, incident.company)) {
    moveTo(step, 'suppressed', 'companyOff');
    return;
  }
  const streak = countOf(incident.episode?.streak ?? [], sample.type);
  if (streak < rules.events[sample.type].threshold) {
    moveTo(step, 'pending');
    return;
  }
  if (context.stormKey !== undefined) {
    rollUp(step, context.stormKey);
    return;
  }
  const conditionRule = rules.conditions[incident.condition];
  if (withinReopenWindow(incident.ticket, sample.occurredAt, conditionRule.reopenWindowHours)) {
    reopenTicket(step, [sample.eventId], reopenNoteText(incident, sample));
    return;
  }
  // Hold a due ticket so that the first devices of a storm do not get tickets of their own.
  const holdMinutes = rules.storm.enabled ? rules.storm.holdMinutes : 0;
  if (holdMinutes > 0) {
    incident.readyAt ??= addMinutes(step.now, holdMinutes);
    if (isBefore(step.now, incident.readyAt)) {
      moveTo(step, 'pending');
      return;
    }
  }
  createDeviceTicket(step, sample);
}

// After a technician's close, or during `quiet`: the problem goes on, so a new ticket follows the
// closed one (or the storm carries the device). As in `startOrHold`, the company switch comes
// first: with ticketing off, a device without a live ticket never enters one.
function startFollowUp(step: Step, sample: ProblemSample, context: EventContext): void {
  if (!companyTicketing(step.rules, step.incident.company)) {
    moveTo(step, 'suppressed', 'companyOff');
  } else if (context.stormKey !== undefined) {
    rollUp(step, context.stormKey);
  } else {
    createDeviceTicket(step, sample);
  }
}

function afterTechnicianClose(
  step: Step,
  sample: ProblemSample,
  known: boolean,
  context: EventContext,
): void {
  const incident = step.incident;
  const ticket = incident.ticket;
  // A problem from before the close was known to the technician who closed it: evidence only.
  if (
    ticket !== null &&
    ticket.closedAt !== null &&
    !isBefore(ticket.closedAt, sample.occurredAt)
  ) {
    moveTo(step, 'closedExternally');
    return;
  }
  const conditionRule = step.rules.conditions[incident.condition];
  switch (conditionRule.closedWhileFailing) {
    case 'reopen':
      if (
        context.stormKey === undefined &&
        withinReopenWindow(ticket, sample.occurredAt, conditionRule.reopenWindowHours)
      ) {
        reopenTicket(step, [sample.eventId], reopenNoteText(incident, sample));
      } else {
        startFollowUp(step, sample, context);
      }
      break;
    case 'new':
      startFollowUp(step, sample, context);
      break;
    case 'quiet':
      if (known) moveTo(step, 'suppressed', 'quiet');
      else startFollowUp(step, sample, context);
      break;
  }
}

function rollUp(step: Step, stormKey: string): void {
  moveTo(step, 'rolledUp');
  step.incident.stormKey = stormKey;
  step.incident.pendingNote = null;
}

function createDeviceTicket(step: Step, sample: ProblemSample): void {
  const incident = step.incident;
  const rule = step.rules.events[sample.type];
  createTicket(step, [sample.eventId], (previous: TicketRef | null) => ({
    summary: renderSummary(rule.summaryTemplate, deviceTemplateView(incident, sample)),
    initialDescription: initialDescription(incident, previous),
    priority: rule.priority,
    deviceId: incident.device?.id ?? sample.device.id,
  }));
}

function countRepeat(step: Step, sample: ProblemSample): void {
  const incident = step.incident;
  addToPendingNote(incident, sample, step.now);
  flushIfDue(step);
}

// --- Recoveries ----------------------------------------------------------------------------

function onRecovery(step: Step, sample: ReturnType<typeof recoverySample>): EventEffect {
  const incident = step.incident;
  // A recovery not newer than the latest problem says nothing about now: ignoring it is what
  // keeps a late success from closing a ticket that is still failing.
  if (incident.lastProblemAt !== null && !isBefore(incident.lastProblemAt, sample.occurredAt)) {
    return 'late';
  }
  incident.lastRecoveryAt =
    incident.lastRecoveryAt === null
      ? sample.occurredAt
      : latest(incident.lastRecoveryAt, sample.occurredAt);
  if (incident.episode !== null) incident.episode.streak = [];
  const needed = step.rules.conditions[incident.condition].closeAfterSuccesses;

  switch (step.current) {
    case 'new':
      // Unreachable: applyEvent ignores a recovery when there is no incident.
      return 'ignored';
    case 'resolved':
      moveTo(step, 'resolved');
      return 'applied';
    case 'pending':
      // No ticket yet, so nothing to damp: one recovery ends the episode.
      incident.successes = [sample];
      resolve(step, sample.occurredAt);
      return 'applied';
    case 'open':
    case 'recovering':
      incident.successes.push(sample);
      if (incident.successes.length >= needed) {
        closeTicket(
          step,
          incident.successes.map((success) => success.eventId),
          resolutionNoteText(incident),
          sample.occurredAt,
        );
      } else {
        moveTo(step, 'recovering');
      }
      return 'applied';
    case 'closedExternally':
    case 'suppressed':
    case 'rolledUp': {
      incident.successes.push(sample);
      if (incident.successes.length >= needed) resolve(step, sample.occurredAt);
      else moveTo(step, step.current, incident.suppressedReason);
      return 'applied';
    }
  }
}

// --- Ticks ---------------------------------------------------------------------------------

/**
 * Time passing without events: creates a held ticket whose hold ended, and writes a coalesced note
 * whose interval ended. Call it at `nextDueAt(incident, rules)`; calling it early or late is
 * harmless. Returns the same object when nothing was due.
 */
export function applyTick(incident: Incident, rules: Readonly<Rules>, now: string): ApplyResult {
  toMs(now, 'now');
  const heldDue =
    incident.state === 'pending' && incident.readyAt !== null && !isBefore(now, incident.readyAt);
  const noteWaiting =
    (incident.state === 'open' || incident.state === 'recovering') &&
    incident.pendingNote !== null &&
    noteDue(incident, noteIntervalOf(rules, incident), now);
  if (!heldDue && !noteWaiting) return { incident, actions: [] };

  const step = startStep(incident, incident.state, rules, now);
  const last = step.incident.episode?.last;
  if (heldDue && last !== undefined && incident.kind === 'device') {
    if (companyTicketing(rules, incident.company)) createDeviceTicket(step, last);
    else moveTo(step, 'suppressed', 'companyOff');
  } else {
    flushIfDue(step);
  }
  return { incident: step.incident, actions: step.actions };
}

/**
 * When `applyTick` should next run for this incident (hold end or note due), or null. Storage can
 * keep it in an indexed column so the worker finds due incidents cheaply.
 */
export function nextDueAt(incident: Incident, rules: Readonly<Rules>): string | null {
  const times: string[] = [];
  if (incident.state === 'pending' && incident.readyAt !== null) times.push(incident.readyAt);
  if (incident.state === 'open' || incident.state === 'recovering') {
    const due = noteDueAt(incident, noteIntervalOf(rules, incident));
    if (due !== null) times.push(due);
  }
  return times.reduce<string | null>(
    (min, t) => (min === null || isBefore(t, min) ? t : min),
    null,
  );
}

// --- What tracking sees in ConnectWise -----------------------------------------------------

/**
 * What tracking (or the worker) saw about a ticket in ConnectWise:
 * - `created`: the create succeeded (or was reconciled by `externalXRef`); gives the ticket id;
 * - `closed`: closed by someone other than the bridge (closedFlag seen true);
 * - `reopened`: opened again by someone other than the bridge;
 * - `statusChanged`: any other status change, recorded for display;
 * - `merged`: merged into ticket `intoTicketId`; the incident follows the parent ticket;
 * - `deleted`: the ticket is gone (404).
 * `at` is ISO-8601: the ticket's `closedDate` or `_info.lastUpdated` when known, else now.
 */
export type TicketObservation =
  | { kind: 'created'; externalXRef: string; ticketId: number }
  | { kind: 'closed'; ticketId: number; at: string }
  | { kind: 'reopened'; ticketId: number; at: string }
  | { kind: 'statusChanged'; ticketId: number; status: string; at: string }
  | { kind: 'merged'; ticketId: number; intoTicketId: number; at: string }
  | { kind: 'deleted'; ticketId: number; at: string };

/**
 * Applies what tracking saw about the incident's ticket. Observations about another ticket than
 * the incident's current one are stale and change nothing. Returns no actions for any observation:
 * the `closedWhileFailing` policy acts on the next problem, so a technician's close is never
 * contradicted the moment it happens.
 *
 * | observation | open                 | recovering | resolved / closedExternally / quiet |
 * |-------------|----------------------|------------|-------------------------------------|
 * | closed      | closedExternally     | resolved   | unchanged                           |
 * | deleted     | closedExternally     | resolved   | ticket marked deleted (no reopen)   |
 * | reopened    | unchanged            | unchanged  | open (successes counted afresh)     |
 * | merged      | follows the parent ticket id, state unchanged                     |||
 */
export function applyTicketObservation(
  incident: Incident,
  observation: TicketObservation,
  rules: Readonly<Rules>,
  now: string,
): ApplyResult {
  toMs(now, 'now');
  if (observation.kind !== 'created') toMs(observation.at, 'observation.at');
  const ticket = incident.ticket;
  if (ticket === null) return { incident, actions: [] };
  if (observation.kind === 'created') {
    if (
      ticket.externalXRef !== observation.externalXRef ||
      ticket.ticketId === observation.ticketId
    ) {
      return { incident, actions: [] };
    }
  } else if (ticket.ticketId !== observation.ticketId) {
    return { incident, actions: [] };
  }

  const step = startStep(incident, incident.state, rules, now);
  const working = step.incident;
  const ref = working.ticket as TicketRef;
  switch (observation.kind) {
    case 'created':
      ref.ticketId = observation.ticketId;
      break;
    case 'statusChanged':
      ref.status = observation.status;
      break;
    case 'merged':
      ref.mergedFrom.push(observation.ticketId);
      ref.ticketId = observation.intoTicketId;
      break;
    case 'closed':
    case 'deleted':
      if (observation.kind === 'deleted') ref.deleted = true;
      if (step.current === 'open' || step.current === 'recovering') {
        ref.closedAt = observation.at;
        ref.closedBy = 'technician';
        // While recovering the technician agrees with the recovery; while open it is a close
        // while failing, which the policy handles at the next problem.
        if (step.current === 'open') moveTo(step, 'closedExternally');
        else resolve(step, working.lastRecoveryAt ?? observation.at);
      }
      break;
    case 'reopened':
      if (
        ref.closedAt !== null &&
        !ref.deleted &&
        (step.current === 'resolved' ||
          step.current === 'closedExternally' ||
          (step.current === 'suppressed' && working.suppressedReason === 'quiet'))
      ) {
        ref.closedAt = null;
        ref.closedBy = null;
        working.successes = [];
        working.pendingNote = null;
        working.lastNoteAt = now;
        moveTo(step, 'open');
      }
      break;
  }
  return { incident: working, actions: step.actions };
}
