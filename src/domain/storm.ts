/**
 * Storm roll-up: when `storm.devices` (K) devices of one company fail on the same condition within
 * `storm.windowMinutes` (W), one company ticket lists them all instead of K tickets.
 *
 * The worker's boundary is one call per event, `planStorm(companyIncidents, event, rules, now)`:
 *
 * - `companyIncidents`: from storage, every incident of the event's account + company + condition
 *   that is not `resolved`, plus the event's own device incident and the storm incident (key
 *   `stormKeyOf(…)`) whatever their state. Other incidents may be passed; they are ignored.
 * - It applies the event to the device incident (`applyEvent`), then decides the storm:
 *   1. a storm is active (its incident is not `resolved`): a device that would get a new (or
 *      reopened) ticket joins it instead (`rolledUp`, a note on the storm ticket); repeats of
 *      members are counted into the storm's notes; when every member has recovered the storm
 *      ticket closes with each device's recovery as evidence;
 *   2. no storm is active and the event is a problem: if K devices are failing with their last
 *      problem within W minutes before the event, and at least one of them has no ticket of its
 *      own yet (held by `storm.holdMinutes`, or this very event would create one), the storm
 *      ticket is created (or reopened within the reopen window) listing all of them; devices
 *      without a ticket become members, devices with their own ticket keep it and are listed.
 * - It returns the incidents that changed (persist them all in one transaction with the actions)
 *   and the actions in execution order.
 *
 * While roll-up is enabled, a device ticket that is due waits `storm.holdMinutes` (default 5) in
 * `pending`, so the first devices of a storm are adopted instead of ticketed; the worker creates
 * held tickets by calling `applyTick` at `nextDueAt`. A storm is always formed from an event, so a
 * tick never needs the company's other incidents.
 *
 * "Failing" means `open`, `closedExternally`, `rolledUp`, quiet `suppressed`, or `pending` with
 * its threshold reached; `recovering` devices already saw a success and do not count.
 */
import type { TicketAction } from './actions.js';
import { EVENT_TYPE_INFO, SEVERITIES, isProblemType } from './conditions.js';
import type { Severity } from './conditions.js';
import { DomainError } from './errors.js';
import type { DomainEvent } from './event.js';
import type { Incident, ProblemSample, StormMember } from './incident-state.js';
import { applyEvent, incidentKeyOfEvent, newIncident } from './incident.js';
import type { EventEffect, EventResult } from './incident.js';
import { stormKeyOf } from './incident-key.js';
import {
  addToPendingNote,
  closeTicket,
  createTicket,
  flushIfDue,
  moveTo,
  problemSample,
  recordProblem,
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
  renderSummary,
  stormDescription,
  stormReopenNoteText,
  stormResolutionNoteText,
  stormTemplateView,
} from './ticket-content.js';
import type { OwnTicketDevice } from './ticket-content.js';
import { addMinutes, isBefore, latest, toMs } from './time.js';

/** Result of `planStorm`. */
export interface StormPlan {
  /** Every incident that changed (device and storm); persist them all. */
  incidents: Incident[];
  /** Ticket actions in execution order. */
  actions: TicketAction[];
  /** What the event did to its device incident (see `EventEffect`). */
  effect: EventEffect;
}

/** True when a device incident counts as failing for storm detection. */
export function isFailing(incident: Incident): boolean {
  switch (incident.state) {
    case 'pending':
      return incident.readyAt !== null;
    case 'open':
    case 'closedExternally':
    case 'rolledUp':
      return true;
    case 'suppressed':
      return incident.suppressedReason === 'quiet';
    case 'recovering':
    case 'resolved':
      return false;
  }
}

function isHeld(incident: Incident): boolean {
  return incident.state === 'pending' && incident.readyAt !== null;
}

function stormKeyOfIncident(incident: Incident): string {
  return stormKeyOf({
    accountId: incident.accountId,
    company: incident.company,
    condition: incident.condition,
  });
}

/**
 * Applies one event to a company's incidents for the event's condition, with storm roll-up.
 * See the module comment for what `companyIncidents` must hold.
 *
 * @throws InvalidTimeError when `now` or `event.occurredAt` is not an ISO instant
 */
export function planStorm(
  companyIncidents: readonly Incident[],
  event: DomainEvent,
  rules: Readonly<Rules>,
  now: string,
): StormPlan {
  toMs(now, 'now');
  const condition = EVENT_TYPE_INFO[event.type].condition;
  const deviceKey = incidentKeyOfEvent(event);
  const stormKey = stormKeyOf({ accountId: event.accountId, company: event.company, condition });
  const deviceBefore = companyIncidents.find((incident) => incident.incidentKey === deviceKey);
  const stormBefore = companyIncidents.find((incident) => incident.incidentKey === stormKey);
  const stormActive = stormBefore !== undefined && stormBefore.state !== 'resolved';

  const result = applyEvent(deviceBefore, event, rules, now, stormActive ? { stormKey } : {});
  const device = result.incident;
  const plan = new PlanBuilder(result);
  if (result.effect !== 'applied' || device === undefined) return plan.build();

  // 1. An active storm: joins, member repeats, member recoveries.
  if (stormActive) {
    const wasMember = deviceBefore?.state === 'rolledUp' && deviceBefore.stormKey === stormKey;
    if (isProblemType(event.type) && device.state === 'rolledUp' && device.stormKey === stormKey) {
      const sample = problemSample({ ...event, type: event.type });
      plan.add(stormProblem(stormBefore, device, sample, !wasMember, rules, now));
    } else if (wasMember && device.state === 'resolved') {
      plan.add(stormMemberRecovered(stormBefore, device, rules, now));
    }
    return plan.build();
  }

  // 2. No storm: does this problem make one?
  if (!isProblemType(event.type) || !rules.storm.enabled) return plan.build();
  if (!companyTicketing(rules, event.company)) return plan.build();
  const windowStart = addMinutes(event.occurredAt, -rules.storm.windowMinutes);
  const peers = companyIncidents.filter(
    (incident) =>
      incident.kind === 'device' &&
      incident.incidentKey !== deviceKey &&
      stormKeyOfIncident(incident) === stormKey,
  );
  const failing = [...peers, device].filter(
    (incident) =>
      isFailing(incident) &&
      incident.lastProblemAt !== null &&
      !isBefore(incident.lastProblemAt, windowStart),
  );
  if (failing.length < rules.storm.devices) return plan.build();

  const deviceStarts =
    isHeld(device) ||
    result.actions.some((action) => action.kind === 'create' || action.kind === 'reopen');
  const adopted = failing.filter((incident) =>
    incident.incidentKey === deviceKey ? deviceStarts : isHeld(incident),
  );
  // Every failing device already has a ticket: a storm ticket would only repeat them.
  if (adopted.length === 0) return plan.build();

  // The event's device joins the storm: apply the event again, this time inside the storm, so
  // its own create is never issued.
  const rejoined = adopted.some((incident) => incident.incidentKey === deviceKey)
    ? applyEvent(deviceBefore, event, rules, now, { stormKey })
    : result;
  const members = adopted.map((incident) =>
    incident.incidentKey === deviceKey ? (rejoined.incident as Incident) : incident,
  );
  const ownTickets = failing.filter((incident) => !adopted.includes(incident));
  const formed = formStorm(stormBefore, stormKey, event, members, ownTickets, rules, now);

  plan.reset(rejoined);
  plan.add(formed);
  for (const peer of adopted) {
    if (peer.incidentKey === deviceKey) continue;
    const step = startStep(peer, peer.state, rules, now);
    moveTo(step, 'rolledUp');
    step.incident.stormKey = stormKey;
    plan.add({ incident: step.incident, actions: [] });
  }
  return plan.build();
}

// Collects changed incidents (last version wins) and actions in order.
class PlanBuilder {
  private readonly changed = new Map<string, Incident>();
  private actions: TicketAction[] = [];
  private effect: EventEffect = 'ignored';

  constructor(result: EventResult) {
    this.reset(result);
  }

  reset(result: EventResult): void {
    this.changed.clear();
    this.actions = [...result.actions];
    this.effect = result.effect;
    // `duplicate` and `ignored` return the stored incident itself: nothing to persist.
    if (
      result.incident !== undefined &&
      (result.effect === 'applied' || result.effect === 'late')
    ) {
      this.changed.set(result.incident.incidentKey, result.incident);
    }
  }

  add(part: { incident: Incident; actions: readonly TicketAction[] }): void {
    this.changed.set(part.incident.incidentKey, part.incident);
    this.actions.push(...part.actions);
  }

  build(): StormPlan {
    return { incidents: [...this.changed.values()], actions: this.actions, effect: this.effect };
  }
}

// --- Forming -------------------------------------------------------------------------------

function memberOf(incident: Incident, now: string): StormMember {
  const last = incident.episode?.last;
  if (last === undefined || incident.device === null) {
    throw new DomainError(`Incident ${incident.incidentKey} has no problem to join a storm with`);
  }
  return {
    deviceId: incident.device.id,
    deviceName: incident.device.name,
    incidentKey: incident.incidentKey,
    joinedAt: now,
    lastProblem: last,
    recoveredAt: null,
    recovery: null,
  };
}

function newStormIncident(event: DomainEvent, stormKey: string, now: string): Incident {
  return newIncident('storm', event, stormKey, now);
}

function formStorm(
  stormBefore: Incident | undefined,
  stormKey: string,
  event: DomainEvent,
  members: readonly Incident[],
  ownTickets: readonly Incident[],
  rules: Readonly<Rules>,
  now: string,
): { incident: Incident; actions: TicketAction[] } {
  const step = startStep(
    stormBefore ?? newStormIncident(event, stormKey, now),
    stormBefore?.state ?? 'new',
    rules,
    now,
  );
  const storm = step.incident;
  storm.members = members.map((incident) => memberOf(incident, now));
  storm.successes = [];

  // The storm's episode spans every failing device it lists.
  const listed = [...members, ...ownTickets];
  const firsts = listed.map(
    (incident) => (incident.episode as NonNullable<Incident['episode']>).first,
  );
  const lasts = listed.map(
    (incident) => (incident.episode as NonNullable<Incident['episode']>).last,
  );
  const first = firsts.reduce((a, b) => (isBefore(b.occurredAt, a.occurredAt) ? b : a));
  const last = lasts.reduce((a, b) => (isBefore(a.occurredAt, b.occurredAt) ? b : a));
  storm.episode = {
    firstSeenAt: first.occurredAt,
    lastSeenAt: last.occurredAt,
    problemCount: listed.reduce((sum, incident) => sum + (incident.episode?.problemCount ?? 0), 0),
    streak: [],
    signatures: storm.members.map((member) => signatureOf(member.lastProblem, true)),
    first,
    last,
  };
  storm.lastProblemAt = last.occurredAt;

  const trigger = problemSample({ ...event, type: event.type as ProblemSample['type'] });
  const own: OwnTicketDevice[] = ownTickets.map((incident) => ({
    device: incident.device ?? (incident.episode as NonNullable<Incident['episode']>).last.device,
    ticketId: incident.ticket?.ticketId ?? null,
    lastProblem: (incident.episode as NonNullable<Incident['episode']>).last,
  }));
  const reopenWindowHours = rules.conditions[storm.condition].reopenWindowHours;
  if (withinReopenWindow(storm.ticket, trigger.occurredAt, reopenWindowHours)) {
    reopenTicket(step, [trigger.eventId], stormReopenNoteText(storm, trigger));
  } else {
    createStormTicket(step, trigger, own);
  }
  return { incident: storm, actions: step.actions };
}

function highestPriority(storm: Incident, rules: Readonly<Rules>): Severity {
  let best: Severity = 'low';
  for (const member of storm.members) {
    const priority = rules.events[member.lastProblem.type].priority;
    if (SEVERITIES.indexOf(priority) < SEVERITIES.indexOf(best)) best = priority;
  }
  return best;
}

function createStormTicket(
  step: Step,
  trigger: ProblemSample,
  own: readonly OwnTicketDevice[],
): void {
  const storm = step.incident;
  const active = storm.members.filter((member) => member.recoveredAt === null);
  createTicket(step, [trigger.eventId], (previous) => ({
    summary: renderSummary(
      step.rules.storm.summaryTemplate,
      stormTemplateView(storm, trigger, active.length + own.length),
    ),
    initialDescription: stormDescription(storm, active, own, previous),
    priority: highestPriority(storm, step.rules),
    deviceId: null,
  }));
}

// --- An active storm -----------------------------------------------------------------------

function stormProblem(
  stormBefore: Incident,
  device: Incident,
  sample: ProblemSample,
  joins: boolean,
  rules: Readonly<Rules>,
  now: string,
): { incident: Incident; actions: TicketAction[] } {
  const step = startStep(stormBefore, stormBefore.state, rules, now);
  const storm = step.incident;
  const signature = signatureOf(sample, true);
  const known = storm.episode?.signatures.includes(signature) ?? false;
  recordProblem(storm, sample, false, signature);
  storm.lastProblemAt =
    storm.lastProblemAt === null
      ? sample.occurredAt
      : latest(storm.lastProblemAt, sample.occurredAt);

  // A device that recovered and fails again rejoins under its old entry.
  const existing = storm.members.find((member) => member.incidentKey === device.incidentKey);
  let joined: StormMember | null = null;
  if (existing !== undefined) {
    existing.lastProblem = sample;
    if (joins) {
      existing.recoveredAt = null;
      existing.recovery = null;
      existing.joinedAt = now;
      joined = existing;
    }
  } else {
    joined = memberOf(device, now);
    storm.members.push(joined);
  }

  switch (step.current) {
    case 'open':
      moveTo(step, 'open');
      addToPendingNote(storm, sample, now, joined === null ? null : structuredClone(joined));
      flushIfDue(step);
      break;
    case 'closedExternally':
      stormAfterTechnicianClose(step, sample, known);
      break;
    case 'suppressed':
      if (storm.suppressedReason === 'quiet' ? known : !companyTicketing(rules, storm.company)) {
        moveTo(step, 'suppressed', storm.suppressedReason);
      } else {
        newStormTicket(step, sample);
      }
      break;
    default:
      // A storm is only ever open, closedExternally, suppressed or resolved; any other state is
      // refused by the transition table here.
      moveTo(step, 'open');
  }
  return { incident: storm, actions: step.actions };
}

function stormAfterTechnicianClose(step: Step, sample: ProblemSample, known: boolean): void {
  const storm = step.incident;
  const ticket = storm.ticket;
  if (
    ticket !== null &&
    ticket.closedAt !== null &&
    !isBefore(ticket.closedAt, sample.occurredAt)
  ) {
    moveTo(step, 'closedExternally');
    return;
  }
  const conditionRule = step.rules.conditions[storm.condition];
  switch (conditionRule.closedWhileFailing) {
    case 'reopen':
      if (withinReopenWindow(ticket, sample.occurredAt, conditionRule.reopenWindowHours)) {
        reopenTicket(step, [sample.eventId], stormReopenNoteText(storm, sample));
      } else {
        newStormTicket(step, sample);
      }
      break;
    case 'new':
      newStormTicket(step, sample);
      break;
    case 'quiet':
      if (known) moveTo(step, 'suppressed', 'quiet');
      else newStormTicket(step, sample);
      break;
  }
}

function newStormTicket(step: Step, sample: ProblemSample): void {
  if (!companyTicketing(step.rules, step.incident.company)) {
    moveTo(step, 'suppressed', 'companyOff');
  } else {
    createStormTicket(step, sample, []);
  }
}

function stormMemberRecovered(
  stormBefore: Incident,
  device: Incident,
  rules: Readonly<Rules>,
  now: string,
): { incident: Incident; actions: TicketAction[] } {
  const step = startStep(stormBefore, stormBefore.state, rules, now);
  const storm = step.incident;
  const member = storm.members.find((candidate) => candidate.incidentKey === device.incidentKey);
  if (member === undefined) return { incident: storm, actions: [] };
  const recovery = device.successes.at(-1) ?? null;
  member.recoveredAt = recovery?.occurredAt ?? device.resolvedAt ?? now;
  member.recovery = recovery;
  storm.lastRecoveryAt =
    storm.lastRecoveryAt === null
      ? member.recoveredAt
      : latest(storm.lastRecoveryAt, member.recoveredAt);

  if (storm.members.some((candidate) => candidate.recoveredAt === null)) {
    return { incident: storm, actions: [] };
  }
  // Every member recovered: the storm is over.
  if (step.current === 'open') {
    const eventIds = storm.members.flatMap((candidate) =>
      candidate.recovery === null ? [] : [candidate.recovery.eventId],
    );
    closeTicket(step, eventIds, stormResolutionNoteText(storm), storm.lastRecoveryAt);
  } else {
    resolve(step, storm.lastRecoveryAt);
  }
  return { incident: storm, actions: step.actions };
}
