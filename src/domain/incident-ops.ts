/**
 * Building blocks shared by device and storm incidents: one working copy per call, state changes
 * through `assertTransition`, and the four ticket actions. Internal to `src/domain`; the public
 * entry points are in `incident.ts` and `storm.ts`.
 */
import type { TicketAction } from './actions.js';
import { INTERNAL_NOTE, RESOLUTION_NOTE } from './actions.js';
import type { ProblemEventType, RecoveryEventType } from './conditions.js';
import type { DomainEvent, EventJob } from './event.js';
import type {
  DeviceSnapshot,
  Incident,
  IncidentOrigin,
  IncidentState,
  JobSnapshot,
  KeyCount,
  PendingNote,
  ProblemSample,
  RecoverySample,
  StormMember,
  SuppressReason,
  TicketRef,
} from './incident-state.js';
import { INCIDENT_TRANSITIONS, assertTransition } from './incident-state.js';
import { DomainError, InvalidTransitionError } from './errors.js';
import { externalXRefOf } from './incident-key.js';
import type { Rules } from './rules.js';
import { repeatNoteText, stormNoteText } from './ticket-content.js';
import { addMinutes, isBefore, latest, minutesBetween } from './time.js';

/** How many event ids an incident remembers for idempotence. */
const REMEMBERED_EVENT_IDS = 32;
/** How many `type|errorCode` signatures an episode keeps for the `quiet` policy. */
const REMEMBERED_SIGNATURES = 50;
/** How many event ids one action lists. */
const ACTION_EVENT_IDS = 50;

/** One call's working copy of an incident and the actions it produced. */
export interface Step {
  incident: Incident;
  /** The state as far as this call got; `new` before the first move of a new incident. */
  current: IncidentOrigin;
  actions: TicketAction[];
  rules: Readonly<Rules>;
  now: string;
}

/** A working copy: the input is never mutated, so callers may keep the old incident. */
export function startStep(
  incident: Incident,
  current: IncidentOrigin,
  rules: Readonly<Rules>,
  now: string,
): Step {
  // A stored incident may have been edited by hand: refuse a state the table does not know.
  if (!Object.hasOwn(INCIDENT_TRANSITIONS, current)) {
    throw new InvalidTransitionError(current, 'any state', incident.incidentKey);
  }
  return { incident: structuredClone(incident), current, actions: [], rules, now };
}

/** Moves the working copy to `to`, checked against the transition table. */
export function moveTo(step: Step, to: IncidentState, reason: SuppressReason | null = null): void {
  const incident = step.incident;
  assertTransition(step.current, to, incident.incidentKey);
  if (step.current !== to || incident.suppressedReason !== reason) incident.stateSince = step.now;
  incident.state = to;
  incident.suppressedReason = to === 'suppressed' ? reason : null;
  if (to !== 'pending') incident.readyAt = null;
  if (to !== 'rolledUp') incident.stormKey = null;
  step.current = to;
}

/** Records an applied event id, keeping the newest `REMEMBERED_EVENT_IDS`. */
export function rememberEvent(incident: Incident, eventId: string): void {
  incident.appliedEventIds.push(eventId);
  if (incident.appliedEventIds.length > REMEMBERED_EVENT_IDS) {
    incident.appliedEventIds.splice(0, incident.appliedEventIds.length - REMEMBERED_EVENT_IDS);
  }
}

// --- Evidence ------------------------------------------------------------------------------

/** The device of an event without absent fields. */
export function deviceOf(event: DomainEvent): DeviceSnapshot {
  return { id: event.device.id, name: event.device.name ?? null, os: event.device.os ?? null };
}

function jobOf(job: EventJob | undefined): JobSnapshot | null {
  if (job === undefined) return null;
  const snapshot: JobSnapshot = {};
  if (job.id !== undefined) snapshot.id = job.id;
  if (job.name !== undefined) snapshot.name = job.name;
  if (job.errorCode !== undefined) snapshot.errorCode = job.errorCode;
  if (job.startedAt !== undefined) snapshot.startedAt = job.startedAt;
  if (job.finishedAt !== undefined) snapshot.finishedAt = job.finishedAt;
  if (job.bytes !== undefined) snapshot.bytes = job.bytes;
  if (job.files !== undefined) snapshot.files = job.files;
  return Object.keys(snapshot).length === 0 ? null : snapshot;
}

/** A problem event as evidence. */
export function problemSample(event: DomainEvent & { type: ProblemEventType }): ProblemSample {
  return {
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    device: deviceOf(event),
    job: jobOf(event.job),
    message: event.message ?? null,
  };
}

/** A recovery event as evidence. */
export function recoverySample(event: DomainEvent & { type: RecoveryEventType }): RecoverySample {
  return {
    eventId: event.eventId,
    type: event.type,
    occurredAt: event.occurredAt,
    device: deviceOf(event),
    job: jobOf(event.job),
    message: event.message ?? null,
  };
}

/** `type|errorCode`: what the `quiet` policy calls "the same problem". */
export function signatureOf(sample: ProblemSample, withDevice = false): string {
  const base = `${sample.type}|${sample.job?.errorCode ?? ''}`;
  return withDevice ? `${sample.device.id}|${base}` : base;
}

/** Adds one to `key` in a count list. */
export function bump(counts: KeyCount[], key: string | null, by = 1): void {
  const entry = counts.find((candidate) => candidate.key === key);
  if (entry === undefined) counts.push({ key, count: by });
  else entry.count += by;
}

/** The count of `key` in a count list. */
export function countOf(counts: readonly KeyCount[], key: string | null): number {
  return counts.find((candidate) => candidate.key === key)?.count ?? 0;
}

/**
 * Adds a problem to the incident's episode, starting a new episode when asked. Updates the streak
 * and signatures; `lastProblemAt` is the caller's business (late events must not move it).
 */
export function recordProblem(
  incident: Incident,
  sample: ProblemSample,
  newEpisode: boolean,
  signature: string,
  options: { late?: boolean } = {},
): void {
  const episode = incident.episode;
  if (newEpisode || episode === null) {
    incident.episode = {
      firstSeenAt: sample.occurredAt,
      lastSeenAt: sample.occurredAt,
      problemCount: 1,
      streak: [{ key: sample.type, count: 1 }],
      signatures: [signature],
      first: sample,
      last: sample,
    };
    return;
  }
  episode.problemCount += 1;
  // A late problem happened before the latest recovery, so it is not part of the current streak.
  if (options.late !== true) bump(episode.streak, sample.type);
  if (isBefore(sample.occurredAt, episode.firstSeenAt)) {
    episode.firstSeenAt = sample.occurredAt;
    episode.first = sample;
  }
  if (!isBefore(sample.occurredAt, episode.lastSeenAt)) {
    episode.lastSeenAt = sample.occurredAt;
    episode.last = sample;
  }
  if (!episode.signatures.includes(signature)) {
    episode.signatures.push(signature);
    if (episode.signatures.length > REMEMBERED_SIGNATURES) episode.signatures.shift();
  }
}

/** Counts a problem into the note that will be written next. */
export function addToPendingNote(
  incident: Incident,
  sample: ProblemSample,
  now: string,
  joined: StormMember | null = null,
): PendingNote {
  const pending: PendingNote = incident.pendingNote ?? {
    since: incident.lastNoteAt ?? now,
    count: 0,
    byType: [],
    byErrorCode: [],
    last: null,
    joined: [],
    eventIds: [],
  };
  pending.count += 1;
  bump(pending.byType, sample.type);
  bump(pending.byErrorCode, sample.job?.errorCode ?? null);
  if (pending.last === null || !isBefore(sample.occurredAt, pending.last.occurredAt)) {
    pending.last = sample;
  }
  if (joined !== null) pending.joined.push(joined);
  pending.eventIds.push(sample.eventId);
  if (pending.eventIds.length > ACTION_EVENT_IDS) pending.eventIds.shift();
  incident.pendingNote = pending;
  return pending;
}

/** True when at least `intervalMinutes` passed since the last note (or no note yet). */
export function noteDue(incident: Incident, intervalMinutes: number, now: string): boolean {
  return (
    incident.lastNoteAt === null || minutesBetween(incident.lastNoteAt, now) >= intervalMinutes
  );
}

/** When the next coalesced note is due, or null when nothing waits. */
export function noteDueAt(incident: Incident, intervalMinutes: number): string | null {
  if (incident.pendingNote === null || incident.lastNoteAt === null) return null;
  return addMinutes(incident.lastNoteAt, intervalMinutes);
}

// --- Reopen window -------------------------------------------------------------------------

/**
 * Whether the incident's last ticket can be reopened for a problem at `at`: it was closed, not
 * deleted, and `at` lies within `reopenWindowHours` after the close.
 */
export function withinReopenWindow(
  ticket: TicketRef | null,
  at: string,
  windowHours: number,
): boolean {
  if (ticket === null || ticket.deleted || ticket.closedAt === null) return false;
  const minutes = minutesBetween(ticket.closedAt, at);
  return minutes >= 0 && minutes <= windowHours * 60;
}

// --- Actions -------------------------------------------------------------------------------

function base(step: Step, eventIds: readonly string[]) {
  const incident = step.incident;
  const ticket = incident.ticket;
  if (ticket === null) {
    throw new DomainError(`Incident ${incident.incidentKey} has no ticket to act on`);
  }
  incident.actionSeq += 1;
  return {
    actionId: `${ticket.externalXRef}/${incident.actionSeq}`,
    incidentKey: incident.incidentKey,
    externalXRef: ticket.externalXRef,
    ticketId: ticket.ticketId,
    eventIds: eventIds.slice(-ACTION_EVENT_IDS),
  };
}

/** What a new ticket says. */
export interface NewTicketContent {
  summary: string;
  initialDescription: string;
  priority: Rules['events'][ProblemEventType]['priority'];
  deviceId: string | null;
}

/**
 * Starts the incident's next ticket (generation + 1) and emits `create`. `content` is computed
 * after the new ticket ref is in place, from the previous (closed) ticket, if any.
 */
export function createTicket(
  step: Step,
  eventIds: readonly string[],
  content: (previous: TicketRef | null) => NewTicketContent,
): void {
  const incident = step.incident;
  const previous = incident.ticket;
  const generation = (previous?.generation ?? 0) + 1;
  incident.ticket = {
    generation,
    externalXRef: externalXRefOf(incident.incidentKey, generation),
    ticketId: null,
    openedAt: step.now,
    closedAt: null,
    closedBy: null,
    deleted: false,
    status: null,
    mergedFrom: [],
  };
  const made = content(previous);
  incident.priority = made.priority;
  incident.pendingNote = null;
  incident.lastNoteAt = step.now;
  incident.successes = [];
  moveTo(step, 'open');
  step.actions.push({
    ...base(step, eventIds),
    kind: 'create',
    ticketId: null,
    accountId: incident.accountId,
    company: incident.company,
    condition: incident.condition,
    deviceId: made.deviceId,
    summary: made.summary,
    initialDescription: made.initialDescription,
    priority: made.priority,
    previousTicketId: previous?.ticketId ?? null,
  });
}

/** Reopens the incident's closed ticket and emits `reopen` with `note`. */
export function reopenTicket(step: Step, eventIds: readonly string[], note: string): void {
  const incident = step.incident;
  moveTo(step, 'open');
  step.actions.push({
    ...base(step, eventIds),
    kind: 'reopen',
    note,
    noteFlags: { ...INTERNAL_NOTE },
  });
  if (incident.ticket !== null) {
    incident.ticket.closedAt = null;
    incident.ticket.closedBy = null;
  }
  incident.pendingNote = null;
  incident.lastNoteAt = step.now;
  incident.successes = [];
}

/** Emits the pending note as one `note` action and starts counting afresh. */
export function writePendingNote(step: Step, text: string): void {
  const incident = step.incident;
  const eventIds = incident.pendingNote?.eventIds ?? [];
  step.actions.push({ ...base(step, eventIds), kind: 'note', text, flags: { ...INTERNAL_NOTE } });
  incident.pendingNote = null;
  incident.lastNoteAt = step.now;
}

/** Emits `close` with the resolution note and marks the ticket closed by the bridge at `at`. */
export function closeTicket(
  step: Step,
  eventIds: readonly string[],
  note: string,
  at: string,
): void {
  const incident = step.incident;
  step.actions.push({
    ...base(step, eventIds),
    kind: 'close',
    resolutionNote: note,
    noteFlags: { ...RESOLUTION_NOTE },
  });
  if (incident.ticket !== null) {
    incident.ticket.closedAt = at;
    incident.ticket.closedBy = 'bridge';
  }
  resolve(step, at);
}

/** Ends the episode without a ticket action (no ticket, or one a technician already closed). */
export function resolve(step: Step, at: string): void {
  const incident = step.incident;
  moveTo(step, 'resolved');
  incident.resolvedAt = incident.resolvedAt === null ? at : latest(incident.resolvedAt, at);
  incident.pendingNote = null;
}

/** The note coalescing interval that applies to an incident (storms have their own). */
export function noteIntervalOf(rules: Readonly<Rules>, incident: Incident): number {
  return incident.kind === 'storm'
    ? rules.storm.noteIntervalMinutes
    : rules.conditions[incident.condition].noteIntervalMinutes;
}

/** Writes the pending note when its interval has passed since the last note. */
export function flushIfDue(step: Step): void {
  const incident = step.incident;
  const pending = incident.pendingNote;
  if (pending === null) return;
  if (!noteDue(incident, noteIntervalOf(step.rules, incident), step.now)) return;
  writePendingNote(
    step,
    incident.kind === 'storm' ? stormNoteText(incident, pending) : repeatNoteText(pending),
  );
}
