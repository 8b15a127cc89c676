import { describe, expect, it } from 'vitest';
import type { CreateTicketAction, TicketAction } from './actions.js';
import { InvalidTimeError, InvalidTransitionError, IncidentMismatchError } from './errors.js';
import type { EventType } from './event.js';
import { applyEvent, applyTick, applyTicketObservation, nextDueAt } from './incident.js';
import type { EventEffect, TicketObservation } from './incident.js';
import { INCIDENT_TRANSITIONS, assertTransition } from './incident-state.js';
import type { Incident, IncidentState } from './incident-state.js';
import { minutesAfterStart as m, testEvent, testRules } from './testing.js';

const HOUR = 60;

// --- A small scenario runner: each step is an event, a tick or an observation, with what must
// follow. Creates are confirmed the way the worker would (ticket id 1000 + generation).

interface Expect {
  state?: IncidentState | 'none';
  actions?: TicketAction['kind'][];
  effect?: EventEffect;
  check?: (actions: TicketAction[], incident: Incident | undefined) => void;
}

type Step =
  | {
      event: EventType;
      at: number;
      now?: number;
      code?: string;
      id?: string;
      rules?: object;
      expect: Expect;
    }
  | { tick: number; expect: Expect }
  | {
      observe: 'closed' | 'reopened' | 'deleted' | 'merged';
      at: number;
      into?: number;
      expect: Expect;
    };

interface Scenario {
  title: string;
  rules?: object;
  steps: Step[];
}

function merge(base: object, extra: object | undefined): object {
  if (extra === undefined) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] =
      typeof value === 'object' && value !== null && typeof current === 'object' && current !== null
        ? merge(current, value as object)
        : value;
  }
  return out;
}

function ticketIdOf(incident: Incident | undefined): number {
  const ticketId = incident?.ticket?.ticketId;
  if (ticketId === null || ticketId === undefined) throw new Error('scenario: no ticket id yet');
  return ticketId;
}

function run(scenario: Scenario): void {
  let incident: Incident | undefined;
  const base = merge({ storm: { holdMinutes: 0 } }, scenario.rules);
  for (const [index, step] of scenario.steps.entries()) {
    const label = `step ${index + 1} of "${scenario.title}"`;
    let actions: TicketAction[];
    let effect: EventEffect | undefined;
    let rules = testRules(base);
    let now: string;
    if ('event' in step) {
      rules = testRules(merge(base, step.rules));
      now = m(step.now ?? step.at);
      const options: Parameters<typeof testEvent>[1] = { at: step.at };
      if (step.code !== undefined) options.errorCode = step.code;
      if (step.id !== undefined) options.eventId = step.id;
      const result = applyEvent(incident, testEvent(step.event, options), rules, now);
      ({ actions, effect } = result);
      incident = result.incident;
    } else if ('tick' in step) {
      now = m(step.tick);
      if (incident === undefined) throw new Error(`${label}: nothing to tick`);
      const result = applyTick(incident, rules, now);
      actions = result.actions;
      incident = result.incident;
    } else {
      now = m(step.at);
      if (incident === undefined) throw new Error(`${label}: nothing to observe`);
      const ticketId = ticketIdOf(incident);
      const observation: TicketObservation =
        step.observe === 'merged'
          ? { kind: 'merged', ticketId, intoTicketId: step.into ?? 9999, at: now }
          : { kind: step.observe, ticketId, at: now };
      const result = applyTicketObservation(incident, observation, rules, now);
      actions = result.actions;
      incident = result.incident;
    }

    const expected = step.expect;
    if (expected.state !== undefined) {
      expect(incident?.state ?? 'none', label).toBe(expected.state);
    }
    if (expected.actions !== undefined) {
      expect(
        actions.map((action) => action.kind),
        label,
      ).toEqual(expected.actions);
    }
    if (expected.effect !== undefined) expect(effect, label).toBe(expected.effect);
    expected.check?.(actions, incident);

    for (const action of actions) {
      if (action.kind !== 'create' || incident === undefined) continue;
      const generation = Number(action.externalXRef.split('.').at(-1));
      incident = applyTicketObservation(
        incident,
        { kind: 'created', externalXRef: action.externalXRef, ticketId: 1000 + generation },
        rules,
        now,
      ).incident;
    }
  }
}

function only<K extends TicketAction['kind']>(
  actions: TicketAction[],
  kind: K,
): Extract<TicketAction, { kind: K }> {
  const found = actions.find((action) => action.kind === kind);
  if (found === undefined) throw new Error(`no ${kind} action`);
  return found as Extract<TicketAction, { kind: K }>;
}

const scenarios: Scenario[] = [
  // Thresholds
  {
    title: 'a failure opens a ticket at once (threshold 1)',
    steps: [
      {
        event: 'backup.failed',
        at: 0,
        expect: { state: 'open', actions: ['create'], effect: 'applied' },
      },
    ],
  },
  {
    title: 'warnings open a ticket only at the third in a row',
    steps: [
      { event: 'backup.warning', at: 0, expect: { state: 'pending', actions: [] } },
      { event: 'backup.warning', at: 60, expect: { state: 'pending', actions: [] } },
      {
        event: 'backup.warning',
        at: 120,
        expect: {
          state: 'open',
          actions: ['create'],
          check: (actions) => {
            const create = only(actions, 'create');
            expect(create.summary).toBe('ACME-FS01: backup warnings, 3 in a row (Nightly)');
            expect(create.priority).toBe('low');
          },
        },
      },
    ],
  },
  {
    title: 'a success between warnings restarts the count',
    steps: [
      { event: 'backup.warning', at: 0, expect: { state: 'pending' } },
      { event: 'backup.warning', at: 60, expect: { state: 'pending' } },
      { event: 'backup.succeeded', at: 90, expect: { state: 'resolved', actions: [] } },
      { event: 'backup.warning', at: 120, expect: { state: 'pending', actions: [] } },
      { event: 'backup.warning', at: 180, expect: { state: 'pending', actions: [] } },
      { event: 'backup.warning', at: 240, expect: { state: 'open', actions: ['create'] } },
    ],
  },
  {
    title: 'a failure after warnings opens at once (each type has its own threshold)',
    steps: [
      { event: 'backup.warning', at: 0, expect: { state: 'pending' } },
      { event: 'backup.failed', at: 60, expect: { state: 'open', actions: ['create'] } },
    ],
  },
  {
    title: 'a missed backup opens at once',
    steps: [{ event: 'backup.missed', at: 0, expect: { state: 'open', actions: ['create'] } }],
  },
  {
    title: 'an admin threshold of 2 failures waits for the second',
    rules: { events: { 'backup.failed': { threshold: 2 } } },
    steps: [
      { event: 'backup.failed', at: 0, expect: { state: 'pending', actions: [] } },
      { event: 'backup.failed', at: 60, expect: { state: 'open', actions: ['create'] } },
    ],
  },
  {
    title: 'a type with ticket: false is ignored',
    rules: { events: { 'backup.warning': { ticket: false, threshold: 1 } } },
    steps: [
      { event: 'backup.warning', at: 0, expect: { state: 'none', actions: [], effect: 'ignored' } },
    ],
  },

  // Repeats and notes
  {
    title: 'repeats within the interval are counted; the first after it writes one note',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { event: 'backup.failed', at: 10, code: 'E1', expect: { state: 'open', actions: [] } },
      { event: 'backup.failed', at: 20, code: 'E1', expect: { state: 'open', actions: [] } },
      {
        event: 'backup.failed',
        at: 70,
        code: 'E2',
        expect: {
          state: 'open',
          actions: ['note'],
          check: (actions, incident) => {
            const note = only(actions, 'note');
            expect(note.text).toContain(
              '3 more problem events since 2026-12-03 10:00 UTC (backup failed × 3).',
            );
            expect(note.text).toContain('By error code: E1 × 2, E2 × 1.');
            expect(note.text).toContain(
              'Last: backup failed at 2026-12-03 11:10 UTC, job Nightly, error E2.',
            );
            expect(note.flags).toEqual({
              detailDescription: false,
              internalAnalysis: true,
              resolution: false,
            });
            expect(note.ticketId).toBe(1001);
            expect(note.eventIds).toHaveLength(3);
            expect(incident?.pendingNote).toBeNull();
          },
        },
      },
      {
        event: 'backup.failed',
        at: 80,
        expect: {
          actions: [],
          check: (_actions, incident) => expect(incident?.pendingNote?.since).toBe(m(70)),
        },
      },
    ],
  },
  {
    title: 'a tick writes the coalesced note once the interval has passed, and only once',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { event: 'backup.failed', at: 10, expect: { actions: [] } },
      { tick: 59, expect: { actions: [] } },
      {
        tick: 60,
        expect: {
          state: 'open',
          actions: ['note'],
          check: (actions) =>
            expect(only(actions, 'note').text).toMatch(/^1 more problem event since/),
        },
      },
      { tick: 200, expect: { actions: [] } },
    ],
  },
  {
    title: 'note interval 0 writes a note for every repeat',
    rules: { conditions: { backup: { noteIntervalMinutes: 0 } } },
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { event: 'backup.failed', at: 1, expect: { actions: ['note'] } },
      { event: 'backup.failed', at: 2, expect: { actions: ['note'] } },
    ],
  },

  // Closing and flap damping
  {
    title: 'one success closes by default, with the evidence',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      {
        event: 'backup.succeeded',
        at: 60,
        expect: {
          state: 'resolved',
          actions: ['close'],
          check: (actions) => {
            const close = only(actions, 'close');
            expect(close.resolutionNote).toMatch(/^Recovered: 1 success in a row/);
            expect(close.resolutionNote).toMatch(
              /- backup succeeded at 2026-12-03 11:00 UTC, job Nightly \(job-\d+\), ran 2026-12-03 10:40 UTC to 2026-12-03 11:00 UTC/,
            );
            expect(close.resolutionNote).toContain(
              'The problem lasted 1 h (first seen 2026-12-03 10:00 UTC, 1 problem event).',
            );
            expect(close.noteFlags.resolution).toBe(true);
          },
        },
      },
    ],
  },
  {
    title: 'closing after 3 successes: a failure in between restarts the count',
    rules: { conditions: { backup: { closeAfterSuccesses: 3 } } },
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { event: 'backup.succeeded', at: 10, expect: { state: 'recovering', actions: [] } },
      { event: 'backup.succeeded', at: 20, expect: { state: 'recovering', actions: [] } },
      { event: 'backup.failed', at: 30, expect: { state: 'open', actions: [] } },
      { event: 'backup.succeeded', at: 40, expect: { state: 'recovering', actions: [] } },
      { event: 'backup.succeeded', at: 50, expect: { state: 'recovering', actions: [] } },
      {
        event: 'backup.succeeded',
        at: 60,
        expect: {
          state: 'resolved',
          actions: ['close'],
          check: (actions) => {
            const close = only(actions, 'close');
            expect(close.resolutionNote).toMatch(/^Recovered: 3 successes in a row/);
            expect(close.resolutionNote.match(/^- backup succeeded/gm)).toHaveLength(3);
            expect(close.resolutionNote).toContain('Not noted before: 1 more problem event');
            expect(close.eventIds).toHaveLength(3);
          },
        },
      },
    ],
  },
  {
    title: 'a device offline ticket closes when the device is online',
    steps: [
      {
        event: 'device.offline',
        at: 0,
        expect: {
          state: 'open',
          actions: ['create'],
          check: (a) => expect(only(a, 'create').summary).toBe('ACME-FS01: device offline'),
        },
      },
      { event: 'device.online', at: 30, expect: { state: 'resolved', actions: ['close'] } },
    ],
  },

  // Reopen window after the bridge's own close
  {
    title: 'closed by the bridge: a failure within 24 h reopens, after 24 h makes a new ticket',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { event: 'backup.succeeded', at: 60, expect: { actions: ['close'] } },
      {
        event: 'backup.failed',
        at: 120,
        expect: {
          state: 'open',
          actions: ['reopen'],
          check: (actions) => {
            const reopen = only(actions, 'reopen');
            expect(reopen.ticketId).toBe(1001);
            expect(reopen.note).toContain(
              'The ticket was closed after recovery at 2026-12-03 11:00 UTC.',
            );
          },
        },
      },
      { event: 'backup.succeeded', at: 180, expect: { actions: ['close'] } },
      {
        event: 'backup.failed',
        at: 180 + 25 * HOUR,
        expect: {
          state: 'open',
          actions: ['create'],
          check: (actions) => {
            const create = only(actions, 'create');
            expect(create.previousTicketId).toBe(1001);
            expect(create.externalXRef).toMatch(/\.2$/);
            expect(create.initialDescription).toContain(
              'Follows ticket #1001, closed after recovery at 2026-12-03 13:00 UTC.',
            );
          },
        },
      },
    ],
  },

  // Closed by a technician while failing
  {
    title: 'technician close, policy reopen, next failure within the window: reopen',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { observe: 'closed', at: 30, expect: { state: 'closedExternally', actions: [] } },
      {
        event: 'backup.failed',
        at: 60,
        expect: {
          state: 'open',
          actions: ['reopen'],
          check: (actions) =>
            expect(only(actions, 'reopen').note).toContain(
              'A technician closed the ticket at 2026-12-03 10:30 UTC.',
            ),
        },
      },
    ],
  },
  {
    title:
      'technician close, policy reopen, next failure after the window: new ticket naming the old',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { observe: 'closed', at: 30, expect: { state: 'closedExternally' } },
      {
        event: 'backup.failed',
        at: 30 + 24 * HOUR + 1,
        expect: {
          state: 'open',
          actions: ['create'],
          check: (actions) => {
            const create = only(actions, 'create');
            expect(create.previousTicketId).toBe(1001);
            expect(create.initialDescription).toContain(
              'Follows ticket #1001, closed by a technician at 2026-12-03 10:30 UTC while the problem went on.',
            );
          },
        },
      },
    ],
  },
  {
    title: 'technician close, policy new: the next failure makes a new ticket at once',
    rules: { conditions: { backup: { closedWhileFailing: 'new' } } },
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { observe: 'closed', at: 30, expect: { state: 'closedExternally' } },
      {
        event: 'backup.failed',
        at: 60,
        expect: {
          state: 'open',
          actions: ['create'],
          check: (a) => expect(only(a, 'create').previousTicketId).toBe(1001),
        },
      },
    ],
  },
  {
    title:
      'technician close, policy quiet: silent while the same, new ticket when the error changes',
    rules: { conditions: { backup: { closedWhileFailing: 'quiet' } } },
    steps: [
      { event: 'backup.failed', at: 0, code: 'E1', expect: { actions: ['create'] } },
      { observe: 'closed', at: 30, expect: { state: 'closedExternally' } },
      { event: 'backup.failed', at: 60, code: 'E1', expect: { state: 'suppressed', actions: [] } },
      { event: 'backup.failed', at: 120, code: 'E1', expect: { state: 'suppressed', actions: [] } },
      {
        event: 'backup.failed',
        at: 180,
        code: 'E2',
        expect: {
          state: 'open',
          actions: ['create'],
          check: (a) => expect(only(a, 'create').previousTicketId).toBe(1001),
        },
      },
    ],
  },
  {
    title: 'policy quiet: a recovery ends the quiet without actions',
    rules: { conditions: { backup: { closedWhileFailing: 'quiet' } } },
    steps: [
      { event: 'backup.failed', at: 0, code: 'E1', expect: { actions: ['create'] } },
      { observe: 'closed', at: 30, expect: { state: 'closedExternally' } },
      { event: 'backup.failed', at: 60, code: 'E1', expect: { state: 'suppressed' } },
      { event: 'backup.succeeded', at: 120, expect: { state: 'resolved', actions: [] } },
    ],
  },
  {
    title: 'technician close, then company ticketing off: the next failure makes no ticket',
    rules: { conditions: { backup: { closedWhileFailing: 'new' } } },
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { observe: 'closed', at: 30, expect: { state: 'closedExternally' } },
      {
        event: 'backup.failed',
        at: 60,
        rules: { companies: { ACME: { ticketing: false } } },
        expect: { state: 'suppressed', actions: [] },
      },
    ],
  },
  {
    title: 'a failure from before the technician close is evidence only',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { observe: 'closed', at: 30, expect: { state: 'closedExternally' } },
      {
        event: 'backup.failed',
        at: 20,
        now: 40,
        expect: { state: 'closedExternally', actions: [] },
      },
    ],
  },
  {
    title: 'a technician close while recovering counts as resolved',
    rules: { conditions: { backup: { closeAfterSuccesses: 2 } } },
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { event: 'backup.succeeded', at: 10, expect: { state: 'recovering' } },
      { observe: 'closed', at: 20, expect: { state: 'resolved', actions: [] } },
      { event: 'backup.failed', at: 60, expect: { state: 'open', actions: ['reopen'] } },
    ],
  },
  {
    title: 'a deleted ticket cannot be reopened: the next failure makes a new one',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { observe: 'deleted', at: 30, expect: { state: 'closedExternally', actions: [] } },
      { event: 'backup.failed', at: 60, expect: { state: 'open', actions: ['create'] } },
    ],
  },
  {
    title: 'after a merge the incident writes to the parent ticket',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { observe: 'merged', at: 30, into: 2002, expect: { state: 'open', actions: [] } },
      {
        event: 'backup.failed',
        at: 100,
        expect: { actions: ['note'], check: (a) => expect(only(a, 'note').ticketId).toBe(2002) },
      },
    ],
  },
  {
    title: 'a technician reopening our closed ticket keeps it open until the next success',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { event: 'backup.succeeded', at: 60, expect: { actions: ['close'] } },
      { observe: 'reopened', at: 90, expect: { state: 'open', actions: [] } },
      { event: 'backup.succeeded', at: 120, expect: { state: 'resolved', actions: ['close'] } },
    ],
  },

  // Out-of-order events
  {
    title: 'a late failure older than the closing success does not reopen',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { event: 'backup.succeeded', at: 60, expect: { actions: ['close'] } },
      {
        event: 'backup.failed',
        at: 30,
        now: 90,
        expect: { state: 'resolved', actions: [], effect: 'late' },
      },
    ],
  },
  {
    title: 'a late success older than the last failure does not close',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { event: 'backup.failed', at: 40, expect: { actions: [] } },
      {
        event: 'backup.succeeded',
        at: 20,
        now: 50,
        expect: { state: 'open', actions: [], effect: 'late' },
      },
    ],
  },
  {
    title: 'a success at the same instant as the last failure does not close',
    steps: [
      { event: 'backup.failed', at: 60, expect: { actions: ['create'] } },
      { event: 'backup.succeeded', at: 60, expect: { state: 'open', actions: [], effect: 'late' } },
    ],
  },
  {
    title: 'a late failure during recovery is counted but does not reset the successes',
    rules: { conditions: { backup: { closeAfterSuccesses: 2 } } },
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      { event: 'backup.succeeded', at: 40, expect: { state: 'recovering' } },
      {
        event: 'backup.failed',
        at: 20,
        now: 45,
        expect: {
          state: 'recovering',
          actions: [],
          effect: 'late',
          check: (_a, i) => expect(i?.pendingNote?.count).toBe(1),
        },
      },
      { event: 'backup.succeeded', at: 50, expect: { state: 'resolved', actions: ['close'] } },
    ],
  },
  {
    title: 'a late warning does not complete a threshold across a recovery',
    steps: [
      { event: 'backup.warning', at: 0, expect: { state: 'pending' } },
      { event: 'backup.warning', at: 60, expect: { state: 'pending' } },
      { event: 'backup.succeeded', at: 120, expect: { state: 'resolved' } },
      {
        event: 'backup.warning',
        at: 90,
        now: 130,
        expect: { state: 'resolved', actions: [], effect: 'late' },
      },
      { event: 'backup.warning', at: 180, expect: { state: 'pending', actions: [] } },
    ],
  },
  {
    title: 'events of one episode in reverse order still open once and count all',
    steps: [
      { event: 'backup.failed', at: 60, expect: { actions: ['create'] } },
      {
        event: 'backup.failed',
        at: 0,
        now: 61,
        expect: {
          actions: [],
          effect: 'applied',
          check: (_a, i) => expect(i?.episode?.firstSeenAt).toBe(m(0)),
        },
      },
    ],
  },

  // Company switch
  {
    title: 'company ticketing off: no ticket; switched on again: ticket',
    rules: { companies: { acme: { ticketing: false } } },
    steps: [
      { event: 'backup.failed', at: 0, expect: { state: 'suppressed', actions: [] } },
      { event: 'backup.failed', at: 60, expect: { state: 'suppressed', actions: [] } },
      {
        event: 'backup.failed',
        at: 120,
        rules: { companies: { acme: { ticketing: true } } },
        expect: { state: 'open', actions: ['create'] },
      },
    ],
  },
  {
    title: 'company ticketing off still closes a ticket opened before',
    steps: [
      { event: 'backup.failed', at: 0, expect: { actions: ['create'] } },
      {
        event: 'backup.succeeded',
        at: 60,
        rules: { companies: { ACME: { ticketing: false } } },
        expect: { state: 'resolved', actions: ['close'] },
      },
    ],
  },

  // Storm hold (device level; the storm itself is in storm.test.ts)
  {
    title: 'the storm hold delays the create until the hold ends',
    rules: { storm: { holdMinutes: 5 } },
    steps: [
      {
        event: 'backup.failed',
        at: 0,
        expect: { state: 'pending', actions: [], check: (_a, i) => expect(i?.readyAt).toBe(m(5)) },
      },
      { tick: 4, expect: { state: 'pending', actions: [] } },
      { tick: 5, expect: { state: 'open', actions: ['create'] } },
    ],
  },
  {
    title: 'a recovery during the hold means no ticket at all',
    rules: { storm: { holdMinutes: 5 } },
    steps: [
      { event: 'backup.failed', at: 0, expect: { state: 'pending' } },
      { event: 'backup.succeeded', at: 3, expect: { state: 'resolved', actions: [] } },
      { tick: 10, expect: { state: 'resolved', actions: [] } },
    ],
  },
  {
    title: 'a failure after the hold ended creates without waiting for a tick',
    rules: { storm: { holdMinutes: 5 } },
    steps: [
      { event: 'backup.failed', at: 0, expect: { state: 'pending' } },
      { event: 'backup.failed', at: 7, expect: { state: 'open', actions: ['create'] } },
    ],
  },

  // Misc
  {
    title: 'a duplicate event changes nothing',
    steps: [
      { event: 'backup.failed', at: 0, id: 'same', expect: { actions: ['create'] } },
      {
        event: 'backup.failed',
        at: 0,
        id: 'same',
        expect: { state: 'open', actions: [], effect: 'duplicate' },
      },
    ],
  },
  {
    title: 'a recovery without an incident makes none',
    steps: [
      {
        event: 'backup.succeeded',
        at: 0,
        expect: { state: 'none', actions: [], effect: 'ignored' },
      },
    ],
  },
];

describe('applyEvent, applyTick and applyTicketObservation', () => {
  it.each(scenarios.map((scenario) => [scenario.title, scenario] as const))(
    '%s',
    (_title, scenario) => {
      run(scenario);
    },
  );
});

describe('incident data', () => {
  const rules = testRules({ storm: { holdMinutes: 0 } });

  function deepFreeze<T>(value: T): T {
    if (typeof value === 'object' && value !== null) {
      for (const child of Object.values(value)) deepFreeze(child);
      Object.freeze(value);
    }
    return value;
  }

  it('never mutates the incident it is given', () => {
    const opened = applyEvent(undefined, testEvent('backup.failed', { at: 0 }), rules, m(0))
      .incident as Incident;
    const frozen = deepFreeze(structuredClone(opened));
    const snapshot = JSON.stringify(frozen);
    applyEvent(frozen, testEvent('backup.failed', { at: 70 }), rules, m(70));
    applyEvent(frozen, testEvent('backup.succeeded', { at: 80 }), rules, m(80));
    applyTick(frozen, rules, m(500));
    expect(JSON.stringify(frozen)).toBe(snapshot);
  });

  it('is plain JSON: a round trip through JSON changes nothing', () => {
    let incident = applyEvent(
      undefined,
      testEvent('backup.failed', { at: 0, errorCode: 'E1' }),
      rules,
      m(0),
    ).incident;
    incident = applyEvent(incident, testEvent('backup.failed', { at: 10 }), rules, m(10)).incident;
    incident = applyEvent(
      incident,
      testEvent('backup.succeeded', { at: 90, bytes: 10 }),
      rules,
      m(90),
    ).incident;
    expect(JSON.parse(JSON.stringify(incident))).toEqual(incident);
  });

  it('issues unique action ids across the life of an incident', () => {
    const ids: string[] = [];
    let incident: Incident | undefined;
    for (const [type, at] of [
      ['backup.failed', 0],
      ['backup.failed', 70],
      ['backup.succeeded', 80],
      ['backup.failed', 90],
    ] as const) {
      const result = applyEvent(incident, testEvent(type, { at }), rules, m(at));
      incident = result.incident;
      ids.push(...result.actions.map((action) => action.actionId));
    }
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
  });

  it('gives a create everything the worker needs', () => {
    const { actions } = applyEvent(
      undefined,
      testEvent('backup.failed', { at: 0, errorCode: 'VSS_1' }),
      rules,
      m(0),
    );
    const create = actions[0] as CreateTicketAction;
    expect(create).toMatchObject({
      kind: 'create',
      incidentKey: 'acct-1/acme/backup/dev-42',
      accountId: 'acct-1',
      company: 'ACME',
      condition: 'backup',
      deviceId: 'dev-42',
      summary: 'ACME-FS01: backup failed (Nightly) – VSS_1',
      priority: 'high',
      ticketId: null,
      previousTicketId: null,
    });
    expect(create.externalXRef).toMatch(/^psab1:[a-z2-7]{32}\.1$/);
    expect(create.actionId).toBe(`${create.externalXRef}/1`);
  });

  it('reports when the next tick is due', () => {
    const held = testRules({ storm: { holdMinutes: 5 } });
    const pending = applyEvent(undefined, testEvent('backup.failed', { at: 0 }), held, m(0))
      .incident as Incident;
    expect(nextDueAt(pending, held)).toBe(m(5));
    const open = applyTick(pending, held, m(5)).incident as Incident;
    expect(nextDueAt(open, held)).toBeNull();
    const repeated = applyEvent(open, testEvent('backup.failed', { at: 6 }), held, m(6))
      .incident as Incident;
    expect(nextDueAt(repeated, held)).toBe(m(65));
  });

  it('returns the same object when a tick has nothing to do', () => {
    const incident = applyEvent(undefined, testEvent('backup.failed', { at: 0 }), rules, m(0))
      .incident as Incident;
    expect(applyTick(incident, rules, m(1)).incident).toBe(incident);
  });

  it('ignores observations about another ticket', () => {
    let incident = applyEvent(undefined, testEvent('backup.failed', { at: 0 }), rules, m(0))
      .incident as Incident;
    incident = applyTicketObservation(
      incident,
      { kind: 'created', externalXRef: incident.ticket?.externalXRef ?? '', ticketId: 7 },
      rules,
      m(1),
    ).incident as Incident;
    expect(incident.ticket?.ticketId).toBe(7);
    const stale = applyTicketObservation(
      incident,
      { kind: 'closed', ticketId: 6, at: m(2) },
      rules,
      m(2),
    );
    expect(stale.incident).toBe(incident);
    const status = applyTicketObservation(
      incident,
      { kind: 'statusChanged', ticketId: 7, status: 'In Progress', at: m(3) },
      rules,
      m(3),
    );
    expect(status.incident?.ticket?.status).toBe('In Progress');
    expect(status.incident?.state).toBe('open');
  });

  it('refuses an event of another incident', () => {
    const incident = applyEvent(undefined, testEvent('backup.failed', { at: 0 }), rules, m(0))
      .incident as Incident;
    expect(() =>
      applyEvent(incident, testEvent('backup.failed', { deviceId: 'other' }), rules, m(1)),
    ).toThrow(IncidentMismatchError);
    expect(() => applyEvent(incident, testEvent('device.offline'), rules, m(1))).toThrow(
      IncidentMismatchError,
    );
  });

  it.each([
    [
      'now',
      (event: ReturnType<typeof testEvent>) => applyEvent(undefined, event, rules, 'yesterday'),
    ],
    [
      'event.occurredAt',
      (event: ReturnType<typeof testEvent>) =>
        applyEvent(undefined, { ...event, occurredAt: '' }, rules, m(0)),
    ],
  ])('refuses an invalid %s', (field, call) => {
    expect(() => call(testEvent('backup.failed'))).toThrow(InvalidTimeError);
    expect(() => call(testEvent('backup.failed'))).toThrow(field);
  });
});

describe('state transitions', () => {
  const allowed: [string, IncidentState][] = [
    ['new', 'pending'],
    ['new', 'open'],
    ['pending', 'open'],
    ['open', 'recovering'],
    ['recovering', 'open'],
    ['recovering', 'resolved'],
    ['open', 'closedExternally'],
    ['closedExternally', 'open'],
    ['closedExternally', 'suppressed'],
    ['resolved', 'open'],
    ['rolledUp', 'resolved'],
  ];
  const refused: [string, IncidentState][] = [
    ['new', 'resolved'],
    ['new', 'recovering'],
    ['open', 'pending'],
    ['open', 'suppressed'],
    ['open', 'rolledUp'],
    ['pending', 'recovering'],
    ['pending', 'closedExternally'],
    ['resolved', 'recovering'],
    ['resolved', 'closedExternally'],
    ['suppressed', 'recovering'],
    ['recovering', 'closedExternally'],
    ['archived', 'open'],
  ];

  it.each(allowed)('allows %s → %s', (from, to) => {
    expect(() =>
      assertTransition(from as keyof typeof INCIDENT_TRANSITIONS, to, 'k'),
    ).not.toThrow();
  });

  it.each(refused)('refuses %s → %s', (from, to) => {
    expect(() => assertTransition(from as keyof typeof INCIDENT_TRANSITIONS, to, 'k')).toThrow(
      InvalidTransitionError,
    );
  });

  it('refuses to act on a stored incident with an unknown state', () => {
    const rules = testRules({ storm: { holdMinutes: 0 } });
    const incident = applyEvent(undefined, testEvent('backup.failed', { at: 0 }), rules, m(0))
      .incident as Incident;
    const edited = { ...incident, state: 'archived' as IncidentState };
    expect(() => applyEvent(edited, testEvent('backup.failed', { at: 5 }), rules, m(5))).toThrow(
      InvalidTransitionError,
    );
  });

  it('lists every state as a source', () => {
    expect(Object.keys(INCIDENT_TRANSITIONS).sort()).toEqual([
      'closedExternally',
      'new',
      'open',
      'pending',
      'recovering',
      'resolved',
      'rolledUp',
      'suppressed',
    ]);
  });
});
