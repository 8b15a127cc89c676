/**
 * What changed about one ticket between the bridge's record and ConnectWise now, as the
 * domain's `TicketObservation`s plus what only the record and the activity log care about (a
 * move to another board, a conversion to a project ticket). Pure: no I/O, times as ISO text.
 */
import type { TicketObservation } from '../domain/index.js';
import type { TicketState } from './ticket-state.js';
import { MAX_MERGE_DEPTH } from './ticket-state.js';
import type { TicketRowUpdate, TrackedTicket } from './tracked-tickets.js';
import { currentTicketId } from './tracked-tickets.js';

/** The outcome of {@link compareTicket}. */
export interface TicketChange {
  /** For the incident, in the order they happened: merges, status, close or reopen, deletion. */
  readonly observations: TicketObservation[];
  /** The ticket was moved from one board to another. */
  readonly moved: { readonly from: string | null; readonly to: string | null } | null;
  /** The ticket became a project ticket (or a service ticket again). */
  readonly recordTypeChanged: boolean;
  /** The record as it should be now. */
  readonly update: TicketRowUpdate;
  /**
   * True when the incident or the activity log must hear of it: then the change goes through an
   * `observe` job on the incident's ordering key. Otherwise only details were filled in.
   */
  readonly significant: boolean;
}

/**
 * Compares the record of a ticket with what ConnectWise says now (`states`, by ticket id; a
 * ticket absent from it is gone).
 *
 * @param now ISO time of the look, used when ConnectWise gives no time of its own.
 * @example
 * compareTicket(row, new Map([[row.cwTicketId, { …state, closed: true }]]), now).observations
 * // [{ kind: 'closed', ticketId: row.cwTicketId, at: '…' }]
 */
export function compareTicket(
  row: TrackedTicket,
  states: ReadonlyMap<number, TicketState>,
  now: string,
): TicketChange {
  const observations: TicketObservation[] = [];

  // Merges first: the incident follows each parent in turn (reference §3.5 mergedParentTicket).
  let ticketId = currentTicketId(row);
  let state = states.get(ticketId);
  for (let hop = 0; hop < MAX_MERGE_DEPTH && state?.mergedIntoTicketId != null; hop++) {
    const intoTicketId: number = state.mergedIntoTicketId;
    observations.push({ kind: 'merged', ticketId, intoTicketId, at: state.lastUpdated ?? now });
    ticketId = intoTicketId;
    state = states.get(ticketId);
  }
  const mergedIntoTicketId = ticketId === row.cwTicketId ? null : ticketId;

  if (state === undefined) {
    if (row.deletedAt === null) observations.push({ kind: 'deleted', ticketId, at: now });
    return {
      observations,
      moved: null,
      recordTypeChanged: false,
      update: { ...rowState(row), mergedIntoTicketId, deletedAt: row.deletedAt ?? now },
      significant: observations.length > 0,
    };
  }

  if (state.statusName !== null && state.statusName !== row.statusName) {
    observations.push({
      kind: 'statusChanged',
      ticketId,
      status: state.statusName,
      at: state.lastUpdated ?? now,
    });
  }
  if (state.closed && !row.closed) {
    observations.push({ kind: 'closed', ticketId, at: state.closedAt ?? state.lastUpdated ?? now });
  } else if (!state.closed && row.closed) {
    observations.push({ kind: 'reopened', ticketId, at: state.lastUpdated ?? now });
  }

  // A move is a board change of the same ticket, of the same kind: after a merge the parent's
  // board is news, and a project ticket lives on a project board.
  const recordTypeChanged = state.recordType !== row.recordType;
  const moved =
    !recordTypeChanged &&
    mergedIntoTicketId === row.mergedIntoTicketId &&
    row.boardId !== null &&
    state.boardId !== null &&
    state.boardId !== row.boardId
      ? { from: row.boardName, to: state.boardName }
      : null;
  return {
    observations,
    moved,
    recordTypeChanged,
    update: {
      statusName: state.statusName ?? row.statusName,
      closed: state.closed,
      closedAt: state.closed ? (state.closedAt ?? row.closedAt ?? now) : null,
      mergedIntoTicketId,
      recordType: state.recordType,
      deletedAt: null,
      boardId: state.boardId,
      boardName: state.boardName,
    },
    significant: observations.length > 0 || moved !== null || recordTypeChanged,
  };
}

function rowState(row: TrackedTicket): TicketRowUpdate {
  return {
    statusName: row.statusName,
    closed: row.closed,
    closedAt: row.closedAt,
    mergedIntoTicketId: row.mergedIntoTicketId,
    recordType: row.recordType,
    deletedAt: row.deletedAt,
    boardId: row.boardId,
    boardName: row.boardName,
  };
}
