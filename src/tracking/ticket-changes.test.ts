import { describe, expect, it } from 'vitest';

import { compareTicket } from './ticket-changes.js';
import type { TicketState } from './ticket-state.js';
import type { TrackedTicket } from './tracked-tickets.js';

const NOW = '2026-12-03T12:00:00.000Z';

function row(overrides: Partial<TrackedTicket> = {}): TrackedTicket {
  return {
    id: 'tkt_01JEXAMPLE00000000000000000',
    accountId: 'acc_1',
    cwTicketId: 100,
    incidentKey: 'a/acme/backup/dev-1',
    externalXRef: 'psab1:x:1',
    companyId: 'cmp_1',
    summary: 'ACME-DEV-1: backup failed',
    statusName: 'New',
    closed: false,
    mergedIntoTicketId: null,
    recordType: 'service',
    deletedAt: null,
    boardId: 21,
    boardName: 'Backup Alerts',
    closedAt: null,
    createdAt: '2026-12-03T10:00:00.000Z',
    lastCheckedAt: null,
    checkDueAt: null,
    ...overrides,
  };
}

function state(overrides: Partial<TicketState> = {}): TicketState {
  return {
    ticketId: 100,
    recordType: 'service',
    statusName: 'New',
    closed: false,
    closedAt: null,
    boardId: 21,
    boardName: 'Backup Alerts',
    mergedIntoTicketId: null,
    lastUpdated: '2026-12-03T11:00:00Z',
    ...overrides,
  };
}

const seen = (...states: TicketState[]) => new Map(states.map((s) => [s.ticketId, s]));

describe('compareTicket', () => {
  it('sees nothing to report when ConnectWise agrees with the record', () => {
    const change = compareTicket(row(), seen(state()), NOW);
    expect(change).toMatchObject({ observations: [], significant: false, moved: null });
  });

  it('fills in the board of a ticket never looked at without calling it a move', () => {
    const change = compareTicket(row({ boardId: null, boardName: null }), seen(state()), NOW);
    expect(change.significant).toBe(false);
    expect(change.update).toMatchObject({ boardId: 21, boardName: 'Backup Alerts' });
  });

  it("reports a technician's close with ConnectWise's closedDate and the new status", () => {
    const change = compareTicket(
      row(),
      seen(state({ statusName: 'Closed', closed: true, closedAt: '2026-12-03T11:30:00Z' })),
      NOW,
    );
    expect(change.observations).toEqual([
      { kind: 'statusChanged', ticketId: 100, status: 'Closed', at: '2026-12-03T11:00:00Z' },
      { kind: 'closed', ticketId: 100, at: '2026-12-03T11:30:00Z' },
    ]);
    expect(change.update).toMatchObject({ closed: true, closedAt: '2026-12-03T11:30:00Z' });
    expect(change.significant).toBe(true);
  });

  it('reports a reopen of a closed ticket', () => {
    const change = compareTicket(
      row({ statusName: 'Closed', closed: true, closedAt: '2026-12-03T11:30:00Z' }),
      seen(state({ statusName: 'In Progress' })),
      NOW,
    );
    expect(change.observations.map((o) => o.kind)).toEqual(['statusChanged', 'reopened']);
    expect(change.update).toMatchObject({ closed: false, closedAt: null });
  });

  it('follows a merge to the parent ticket and reports the parent state', () => {
    const change = compareTicket(
      row(),
      seen(
        state({ statusName: 'Closed', closed: true, mergedIntoTicketId: 200 }),
        state({ ticketId: 200, statusName: 'In Progress', boardId: 22, boardName: 'Other' }),
      ),
      NOW,
    );
    expect(change.observations).toEqual([
      { kind: 'merged', ticketId: 100, intoTicketId: 200, at: '2026-12-03T11:00:00Z' },
      { kind: 'statusChanged', ticketId: 200, status: 'In Progress', at: '2026-12-03T11:00:00Z' },
    ]);
    expect(change.update).toMatchObject({ mergedIntoTicketId: 200, closed: false });
    // The parent being on another board is not a move of this ticket.
    expect(change.moved).toBeNull();
  });

  it('compares a merged ticket through its parent on later looks', () => {
    const change = compareTicket(
      row({ mergedIntoTicketId: 200, statusName: 'In Progress' }),
      seen(state({ ticketId: 200, statusName: 'Closed', closed: true })),
      NOW,
    );
    expect(change.observations.map((o) => [o.kind, o.ticketId])).toEqual([
      ['statusChanged', 200],
      ['closed', 200],
    ]);
    expect(change.update.mergedIntoTicketId).toBe(200);
  });

  it('reports a ticket found nowhere as deleted, once', () => {
    const first = compareTicket(row(), seen(), NOW);
    expect(first.observations).toEqual([{ kind: 'deleted', ticketId: 100, at: NOW }]);
    expect(first.update.deletedAt).toBe(NOW);
    const again = compareTicket(row({ deletedAt: NOW }), seen(), NOW);
    expect(again.observations).toEqual([]);
  });

  it('reports a move to another board and a conversion to a project ticket', () => {
    const moved = compareTicket(row(), seen(state({ boardId: 22, boardName: 'Escalations' })), NOW);
    expect(moved.moved).toEqual({ from: 'Backup Alerts', to: 'Escalations' });
    expect(moved.significant).toBe(true);

    const converted = compareTicket(row(), seen(state({ recordType: 'project' })), NOW);
    expect(converted.recordTypeChanged).toBe(true);
    expect(converted.update.recordType).toBe('project');
    expect(converted.observations).toEqual([]);
  });
});
