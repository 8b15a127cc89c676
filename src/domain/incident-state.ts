/**
 * The incident record and its state machine. An incident is one problem (company + device +
 * condition, or a company-wide storm) across all the tickets it ever had. Everything here is plain
 * JSON data: storage persists it as is, times are ISO-8601 strings, lists are arrays.
 *
 * The allowed state changes are the table `INCIDENT_TRANSITIONS`, checked in one place,
 * `assertTransition`; every state change in the domain goes through it.
 */
import type { Condition, ProblemEventType, RecoveryEventType, Severity } from './conditions.js';
import { InvalidTransitionError } from './errors.js';

/**
 * - `pending`: a problem below its threshold, or due but held for a storm; no ticket yet.
 * - `open`: the ticket exists or its create is queued; the problem goes on.
 * - `recovering`: the ticket is open and recoveries were seen, fewer than `closeAfterSuccesses`.
 * - `resolved`: the problem is over (the bridge closed the ticket, or there never was one).
 * - `closedExternally`: a technician closed (or deleted) the ticket while the problem went on;
 *   the next problem is handled by the `closedWhileFailing` policy.
 * - `suppressed`: a problem that gets no ticket on purpose: the company's ticketing is off, or the
 *   `quiet` policy after a technician's close.
 * - `rolledUp`: a device whose problem is carried by its company's storm ticket.
 */
export const INCIDENT_STATES = [
  'pending',
  'open',
  'recovering',
  'resolved',
  'closedExternally',
  'suppressed',
  'rolledUp',
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

/** The state before an incident exists, used only as a source in the transition table. */
export type IncidentOrigin = IncidentState | 'new';

/**
 * Allowed state changes, source → targets. Staying in the same state is listed explicitly where it
 * happens (a repeat on an open ticket is `open → open`).
 */
export const INCIDENT_TRANSITIONS: Readonly<Record<IncidentOrigin, readonly IncidentState[]>> = {
  new: ['pending', 'open', 'suppressed', 'rolledUp'],
  pending: ['pending', 'open', 'resolved', 'suppressed', 'rolledUp'],
  open: ['open', 'recovering', 'resolved', 'closedExternally'],
  recovering: ['recovering', 'open', 'resolved'],
  resolved: ['resolved', 'pending', 'open', 'suppressed', 'rolledUp'],
  closedExternally: ['closedExternally', 'open', 'suppressed', 'resolved', 'rolledUp'],
  suppressed: ['suppressed', 'pending', 'open', 'resolved', 'rolledUp'],
  rolledUp: ['rolledUp', 'pending', 'open', 'resolved', 'suppressed'],
};

/** Throws `InvalidTransitionError` unless `INCIDENT_TRANSITIONS` allows `from → to`. */
export function assertTransition(
  from: IncidentOrigin,
  to: IncidentState,
  incidentKey: string,
): void {
  // A stored incident may have been edited by hand: an unknown source state is refused too.
  const allowed: readonly IncidentState[] | undefined = Object.hasOwn(INCIDENT_TRANSITIONS, from)
    ? INCIDENT_TRANSITIONS[from]
    : undefined;
  if (allowed === undefined || !allowed.includes(to)) {
    throw new InvalidTransitionError(from, to, incidentKey);
  }
}

/** Why an incident is `suppressed`. */
export type SuppressReason = 'companyOff' | 'quiet';

/** The device as last seen (name and OS can change). */
export interface DeviceSnapshot {
  id: string;
  name: string | null;
  os: string | null;
}

/** The job of an event, without absent fields. */
export interface JobSnapshot {
  id?: string;
  name?: string;
  errorCode?: string;
  startedAt?: string;
  finishedAt?: string;
  bytes?: number;
  files?: number;
}

/** One problem event, as evidence. */
export interface ProblemSample {
  eventId: string;
  type: ProblemEventType;
  occurredAt: string;
  device: DeviceSnapshot;
  job: JobSnapshot | null;
  message: string | null;
}

/** One recovery event, as evidence for the closing note. */
export interface RecoverySample {
  eventId: string;
  type: RecoveryEventType;
  occurredAt: string;
  device: DeviceSnapshot;
  job: JobSnapshot | null;
  message: string | null;
}

/** A count per key, as an array so that any error code is a safe key. */
export interface KeyCount {
  key: string | null;
  count: number;
}

/** The current (or last) run of problems, from the first problem to the recovery. */
export interface Episode {
  firstSeenAt: string;
  lastSeenAt: string;
  /** Problem events in this episode, all types. */
  problemCount: number;
  /** Problem events per type since the last recovery; drives thresholds. */
  streak: KeyCount[];
  /** `type|errorCode` of every problem seen (at most 50); the `quiet` policy compares with it. */
  signatures: string[];
  first: ProblemSample;
  last: ProblemSample;
}

/** A device that joined a storm, as the storm records it. */
export interface StormMember {
  deviceId: string;
  deviceName: string | null;
  incidentKey: string;
  joinedAt: string;
  lastProblem: ProblemSample;
  recoveredAt: string | null;
  recovery: RecoverySample | null;
}

/** Repeats counted since the last note, to be written as one note. */
export interface PendingNote {
  /** When the last note (or the ticket) was written; the note says "since" this time. */
  since: string;
  count: number;
  byType: KeyCount[];
  byErrorCode: KeyCount[];
  last: ProblemSample | null;
  /** Storms only: devices that joined since the last note. */
  joined: StormMember[];
  eventIds: string[];
}

/** One ConnectWise ticket of an incident. */
export interface TicketRef {
  /** 1 for the incident's first ticket, then 2, 3, … */
  generation: number;
  externalXRef: string;
  /** Known once the worker reports the create (`applyTicketObservation` kind `created`). */
  ticketId: number | null;
  /** When the create was planned (`now`). */
  openedAt: string;
  /** For the bridge's own close: the time of the recovery that closed it; else when seen closed. */
  closedAt: string | null;
  closedBy: 'bridge' | 'technician' | null;
  deleted: boolean;
  /** Last status name seen by tracking. */
  status: string | null;
  /** Ticket ids this one was merged from (a merge moves the incident onto the parent ticket). */
  mergedFrom: number[];
}

/** One incident. Plain JSON data; never mutated by the domain (functions return new objects). */
export interface Incident {
  schema: 1;
  kind: 'device' | 'storm';
  incidentKey: string;
  /** Shared prefix of the correlation keys of all this incident's tickets. */
  xrefBase: string;
  accountId: string;
  company: string;
  condition: Condition;
  /** Null for storms. */
  device: DeviceSnapshot | null;
  state: IncidentState;
  stateSince: string;
  suppressedReason: SuppressReason | null;
  episode: Episode | null;
  /** Latest `occurredAt` of a problem / a recovery applied: the guards against late events. */
  lastProblemAt: string | null;
  lastRecoveryAt: string | null;
  /** Recoveries in a row since the last problem (flap damping), newest last. */
  successes: RecoverySample[];
  /** The current or last ticket. */
  ticket: TicketRef | null;
  priority: Severity | null;
  /** `pending` only: when the ticket is due (threshold reached; storm hold ends). */
  readyAt: string | null;
  pendingNote: PendingNote | null;
  lastNoteAt: string | null;
  /** Time of the recovery that ended the last episode. */
  resolvedAt: string | null;
  /** Devices: the storm incident carrying this device (`rolledUp`). */
  stormKey: string | null;
  /** Storms: the devices it carries. */
  members: StormMember[];
  /** The last 32 applied event ids: applying an event twice changes nothing. */
  appliedEventIds: string[];
  /** Number of actions issued so far; makes `actionId`s. */
  actionSeq: number;
}
