import { describe, expect, it } from 'vitest';
import type { TicketAction } from './actions.js';
import type { EventType } from './event.js';
import { applyTick, applyTicketObservation, nextDueAt } from './incident.js';
import type { Incident } from './incident-state.js';
import type { Rules } from './rules.js';
import { planStorm } from './storm.js';
import type { StormPlan } from './storm.js';
import { minutesAfterStart as m, testEvent, testRules } from './testing.js';

// A company as storage would hold it: incidents by key, tickets confirmed as the worker would.
class Company {
  readonly incidents = new Map<string, Incident>();
  private nextTicketId = 100;

  constructor(
    readonly rules: Rules,
    readonly name = 'ACME',
  ) {}

  event(
    type: EventType,
    device: string,
    at: number,
    options: { now?: number; code?: string; eventId?: string } = {},
  ): StormPlan {
    const eventOptions: Parameters<typeof testEvent>[1] = {
      at,
      deviceId: device,
      company: this.name,
    };
    if (options.code !== undefined) eventOptions.errorCode = options.code;
    if (options.eventId !== undefined) eventOptions.eventId = options.eventId;
    const now = m(options.now ?? at);
    const plan = planStorm(
      [...this.incidents.values()],
      testEvent(type, eventOptions),
      this.rules,
      now,
    );
    for (const incident of plan.incidents) this.incidents.set(incident.incidentKey, incident);
    this.confirm(plan.actions, now);
    return plan;
  }

  /** Ticks every incident that is due, as the worker would. */
  tick(at: number): TicketAction[] {
    const now = m(at);
    const actions: TicketAction[] = [];
    for (const incident of [...this.incidents.values()]) {
      const due = nextDueAt(incident, this.rules);
      if (due === null || due > now) continue;
      const result = applyTick(incident, this.rules, now);
      if (result.incident !== undefined) this.incidents.set(incident.incidentKey, result.incident);
      actions.push(...result.actions);
    }
    this.confirm(actions, now);
    return actions;
  }

  closeByTechnician(incident: Incident, at: number): void {
    const ticketId = incident.ticket?.ticketId;
    if (ticketId === null || ticketId === undefined) throw new Error('no ticket');
    const result = applyTicketObservation(
      incident,
      { kind: 'closed', ticketId, at: m(at) },
      this.rules,
      m(at),
    );
    if (result.incident !== undefined) this.incidents.set(incident.incidentKey, result.incident);
  }

  device(id: string): Incident {
    const found = [...this.incidents.values()].find((incident) => incident.device?.id === id);
    if (found === undefined) throw new Error(`no incident for ${id}`);
    return found;
  }

  storm(): Incident | undefined {
    return [...this.incidents.values()].find((incident) => incident.kind === 'storm');
  }

  private confirm(actions: readonly TicketAction[], now: string): void {
    for (const action of actions) {
      if (action.kind !== 'create') continue;
      const incident = this.incidents.get(action.incidentKey);
      if (incident === undefined) {
        throw new Error(`create for an unknown incident ${action.incidentKey}`);
      }
      const ticketId = this.nextTicketId++;
      const confirmed = applyTicketObservation(
        incident,
        { kind: 'created', externalXRef: action.externalXRef, ticketId },
        this.rules,
        now,
      ).incident as Incident;
      this.incidents.set(action.incidentKey, confirmed);
    }
  }
}

function failDevices(company: Company, times: readonly number[]): TicketAction[] {
  const actions: TicketAction[] = [];
  times.forEach((at, index) => {
    actions.push(...company.event('backup.failed', `dev-${index + 1}`, at).actions);
  });
  return actions;
}

function kinds(actions: readonly TicketAction[]): string[] {
  return actions.map((action) => action.kind);
}

describe('storm formation', () => {
  it('makes one company ticket when 5 devices fail within 15 minutes, not 5 tickets', () => {
    const company = new Company(testRules());
    const early = failDevices(company, [0, 1, 2, 3]);
    expect(early).toEqual([]);

    const plan = company.event('backup.failed', 'dev-5', 4);
    expect(kinds(plan.actions)).toEqual(['create']);
    const create = plan.actions[0];
    if (create?.kind !== 'create') throw new Error('expected a create');
    expect(create.deviceId).toBeNull();
    expect(create.incidentKey).toBe('acct-1/acme/backup/*');
    expect(create.summary).toBe('ACME: backup problems on 5 devices');
    expect(create.priority).toBe('high');
    for (const id of ['DEV-1', 'DEV-2', 'DEV-3', 'DEV-4', 'DEV-5']) {
      expect(create.initialDescription).toContain(
        `- ${id} (${id.toLowerCase()}): backup failed at`,
      );
    }
    for (const id of ['dev-1', 'dev-2', 'dev-3', 'dev-4', 'dev-5']) {
      expect(company.device(id).state).toBe('rolledUp');
      expect(company.device(id).stormKey).toBe('acct-1/acme/backup/*');
    }
    expect(company.storm()?.state).toBe('open');
    expect(plan.incidents).toHaveLength(6);

    // The holds of the members are gone: no device ticket follows later.
    expect(company.tick(30)).toEqual([]);
  });

  it('makes no storm at 4 devices: each gets its own ticket after the hold', () => {
    const company = new Company(testRules());
    expect(failDevices(company, [0, 1, 2, 3])).toEqual([]);
    const later = company.tick(10);
    expect(kinds(later)).toEqual(['create', 'create', 'create', 'create']);
    expect(later.every((action) => action.kind === 'create' && action.deviceId !== null)).toBe(
      true,
    );
    expect(company.storm()).toBeUndefined();
  });

  it('makes no storm when 5 failures are spread over more than 15 minutes', () => {
    const company = new Company(testRules());
    const actions: TicketAction[] = [];
    [0, 4, 8, 12, 16].forEach((at, index) => {
      actions.push(...company.tick(at));
      actions.push(...company.event('backup.failed', `dev-${index + 1}`, at).actions);
    });
    actions.push(...company.tick(60));
    expect(kinds(actions)).toEqual(['create', 'create', 'create', 'create', 'create']);
    expect(company.storm()).toBeUndefined();
  });

  it('counts a device whose failure is exactly 15 minutes old', () => {
    const company = new Company(testRules({ storm: { holdMinutes: 30 } }));
    const actions = failDevices(company, [0, 5, 10, 14, 15]);
    expect(kinds(actions)).toEqual(['create']);
    expect(company.storm()?.members).toHaveLength(5);
  });

  it('lists devices that already have their own ticket and adopts only the others', () => {
    const company = new Company(testRules({ storm: { holdMinutes: 0 } }));
    const own = failDevices(company, [0, 1, 2, 3]);
    expect(kinds(own)).toEqual(['create', 'create', 'create', 'create']);

    const plan = company.event('backup.failed', 'dev-5', 4);
    expect(kinds(plan.actions)).toEqual(['create']);
    const create = plan.actions[0];
    if (create?.kind !== 'create') throw new Error('expected a create');
    expect(create.deviceId).toBeNull();
    expect(create.initialDescription).toContain('Also failing, with tickets of their own:');
    expect(create.initialDescription).toContain('- DEV-1 (dev-1) (ticket #100): backup failed');
    expect(company.device('dev-5').state).toBe('rolledUp');
    expect(company.device('dev-1').state).toBe('open');
    expect(company.storm()?.members.map((member) => member.deviceId)).toEqual(['dev-5']);
  });

  it('does not count other companies or other conditions', () => {
    const company = new Company(testRules());
    failDevices(company, [0, 1, 2, 3]);
    const globex = planStorm(
      [...company.incidents.values()],
      testEvent('backup.failed', { at: 4, company: 'Globex', deviceId: 'g-1' }),
      company.rules,
      m(4),
    );
    expect(globex.actions).toEqual([]);
    const offline = company.event('device.offline', 'dev-9', 4);
    expect(offline.actions).toEqual([]);
    expect(company.storm()).toBeUndefined();
  });

  it('makes no storm for a company whose ticketing is off', () => {
    const company = new Company(testRules({ companies: { ACME: { ticketing: false } } }));
    const actions = failDevices(company, [0, 1, 2, 3, 4, 5]);
    expect(actions).toEqual([]);
    expect(company.storm()).toBeUndefined();
    expect(company.device('dev-6').state).toBe('suppressed');
  });

  it('gives every device its own ticket at once when roll-up is disabled', () => {
    const company = new Company(testRules({ storm: { enabled: false } }));
    const actions = failDevices(company, [0, 1, 2, 3, 4, 5]);
    expect(kinds(actions)).toEqual(['create', 'create', 'create', 'create', 'create', 'create']);
    expect(company.storm()).toBeUndefined();
  });
});

describe('an active storm', () => {
  function stormOfFive(): Company {
    const company = new Company(testRules());
    failDevices(company, [0, 1, 2, 3, 4]);
    return company;
  }

  it('takes a device failing later as a note on the storm ticket, not a ticket', () => {
    const company = stormOfFive();
    const join = company.event('backup.failed', 'dev-6', 6, { code: 'E42' });
    expect(join.actions).toEqual([]);
    expect(company.device('dev-6').state).toBe('rolledUp');
    expect(company.storm()?.pendingNote?.joined.map((member) => member.deviceId)).toEqual([
      'dev-6',
    ]);

    // The storm note interval (5 min after the ticket at minute 4) ends at minute 9.
    const notes = company.tick(9);
    expect(kinds(notes)).toEqual(['note']);
    const note = notes[0];
    if (note?.kind !== 'note') throw new Error('expected a note');
    expect(note.incidentKey).toBe('acct-1/acme/backup/*');
    expect(note.text).toContain('1 more device affected:');
    expect(note.text).toContain(
      '- DEV-6 (dev-6): backup failed at 2026-12-03 10:06 UTC, error E42',
    );
    expect(note.text).toContain('Now 6 devices affected on this ticket.');
    expect(company.tick(60)).toEqual([]);
  });

  it('writes a join right away when the storm note interval has passed', () => {
    const company = stormOfFive();
    const join = company.event('backup.failed', 'dev-6', 20);
    expect(kinds(join.actions)).toEqual(['note']);
  });

  it('counts member repeats into the storm note', () => {
    const company = stormOfFive();
    const repeat = company.event('backup.failed', 'dev-1', 30, { code: 'E1' });
    expect(kinds(repeat.actions)).toEqual(['note']);
    const note = repeat.actions[0];
    if (note?.kind !== 'note') throw new Error('expected a note');
    expect(note.text).toContain(
      '1 more problem event from devices already listed since 2026-12-03 10:04 UTC.',
    );
    expect(note.text).toContain('By error code: E1 × 1.');
  });

  it('closes the storm ticket when every member has recovered, with each recovery', () => {
    const company = stormOfFive();
    for (const id of ['dev-1', 'dev-2', 'dev-3', 'dev-4']) {
      expect(company.event('backup.succeeded', id, 60).actions).toEqual([]);
      expect(company.device(id).state).toBe('resolved');
    }
    expect(company.storm()?.state).toBe('open');

    const last = company.event('backup.succeeded', 'dev-5', 70);
    expect(kinds(last.actions)).toEqual(['close']);
    const close = last.actions[0];
    if (close?.kind !== 'close') throw new Error('expected a close');
    expect(close.incidentKey).toBe('acct-1/acme/backup/*');
    expect(close.resolutionNote).toContain('Recovered: all 5 devices of this ticket recovered');
    expect(close.resolutionNote).toContain(
      '- DEV-5 (dev-5): backup succeeded at 2026-12-03 11:10 UTC',
    );
    expect(close.eventIds).toHaveLength(5);
    expect(company.storm()?.state).toBe('resolved');
  });

  it('takes back a member that recovered and fails again', () => {
    const company = stormOfFive();
    company.event('backup.succeeded', 'dev-1', 10);
    const again = company.event('backup.failed', 'dev-1', 20);
    expect(kinds(again.actions)).toEqual(['note']);
    expect(company.device('dev-1').state).toBe('rolledUp');
    const storm = company.storm();
    expect(storm?.members.find((member) => member.deviceId === 'dev-1')?.recoveredAt).toBeNull();
    expect(storm?.members).toHaveLength(5);
  });

  it('reopens its ticket when a technician closed it while devices still fail', () => {
    const company = stormOfFive();
    const storm = company.storm() as Incident;
    company.closeByTechnician(storm, 10);
    expect(company.storm()?.state).toBe('closedExternally');
    const again = company.event('backup.failed', 'dev-2', 20);
    expect(kinds(again.actions)).toEqual(['reopen']);
    expect(company.storm()?.state).toBe('open');
  });

  it('forms a new storm ticket naming the old one when a storm returns after the window', () => {
    const company = stormOfFive();
    for (const id of ['dev-1', 'dev-2', 'dev-3', 'dev-4', 'dev-5']) {
      company.event('backup.succeeded', id, 60);
    }
    expect(company.storm()?.state).toBe('resolved');
    const start = 60 + 25 * 60;
    const actions = failDevices(company, [start, start + 1, start + 2, start + 3, start + 4]);
    expect(kinds(actions)).toEqual(['create']);
    const create = actions[0];
    if (create?.kind !== 'create') throw new Error('expected a create');
    expect(create.externalXRef).toMatch(/\.2$/);
    expect(create.previousTicketId).toBe(100);
  });

  it('changes nothing for a duplicate event', () => {
    const company = stormOfFive();
    company.event('backup.failed', 'dev-6', 6, { eventId: 'dup' });
    const again = company.event('backup.failed', 'dev-6', 6, { eventId: 'dup' });
    expect(again).toEqual({ incidents: [], actions: [], effect: 'duplicate' });
  });
});
