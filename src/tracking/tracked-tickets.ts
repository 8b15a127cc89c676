/**
 * The `tickets` rows as tracking reads and writes them: which are due for a look, claiming them
 * so that two processes never poll the same ticket at once, and recording what was seen.
 *
 * A row is tracked while the ticket exists and is open, and for `closedWatchMs` after it
 * closed, so a technician's reopen is still seen. Claiming moves a row's `check_due_at` past a
 * lease in one conditional UPDATE: on PostgreSQL the second of two racing processes re-checks
 * the condition on the updated row and skips it; SQLite runs one writer at a time.
 */
import type { Kysely, Selectable } from 'kysely';

import { toFlag, toIso } from '../storage/columns.js';
import type { Database } from '../storage/schema.js';
import type { TicketRecordType } from '../worker/tables.js';
import { ticketRowByXRef, toStored, type StoredTicket } from '../worker/tickets-store.js';

/** A ticket row with what tracking keeps about it, beyond what delivery reads. */
export interface TrackedTicket extends StoredTicket {
  readonly accountId: string;
  readonly deletedAt: string | null;
  readonly boardId: number | null;
  readonly boardName: string | null;
  readonly closedAt: string | null;
  readonly checkDueAt: string | null;
}

/** Maps a `tickets` row. */
export function trackedTicketOf(row: Selectable<Database['tickets']>): TrackedTicket {
  return {
    ...toStored(row),
    accountId: row.account_id,
    deletedAt: row.deleted_at,
    boardId: row.board_id,
    boardName: row.board_name,
    closedAt: row.closed_at,
    checkDueAt: row.check_due_at,
  };
}

/** The ticket the row's incident follows now: the merge parent, else the ticket itself. */
export function currentTicketId(
  ticket: Pick<TrackedTicket, 'cwTicketId' | 'mergedIntoTicketId'>,
): number {
  return ticket.mergedIntoTicketId ?? ticket.cwTicketId;
}

/** Options of {@link claimDueTickets}. */
export interface ClaimTicketsOptions {
  readonly now: Date;
  /** At most this many rows. */
  readonly limit: number;
  /** Claimed rows are not due again before this time (unless rescheduled earlier). */
  readonly leaseUntil: Date;
  /** Closed tickets are still watched if they closed at or after this time. */
  readonly closedWatchSince: Date;
}

/**
 * Claims up to `limit` of the account's tracked tickets that are due, oldest due first.
 *
 * @returns the claimed rows as they were before the claim.
 */
export async function claimDueTickets(
  db: Kysely<Database>,
  accountId: string,
  options: ClaimTicketsOptions,
): Promise<TrackedTicket[]> {
  const now = toIso(options.now);
  const due = db
    .selectFrom('tickets')
    .select('id')
    .where('account_id', '=', accountId)
    .where('deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('closed', '=', toFlag(false)),
        eb('closed_at', 'is', null),
        eb('closed_at', '>=', toIso(options.closedWatchSince)),
      ]),
    )
    .where((eb) => eb.or([eb('check_due_at', 'is', null), eb('check_due_at', '<=', now)]))
    // Never-checked rows (null) first on both databases, then the longest overdue.
    .orderBy((eb) => eb.fn.coalesce('check_due_at', eb.val('')))
    .orderBy('id')
    .limit(options.limit);
  const rows = await db
    .updateTable('tickets')
    .set({ check_due_at: toIso(options.leaseUntil) })
    .where('account_id', '=', accountId)
    .where('id', 'in', due)
    .where((eb) => eb.or([eb('check_due_at', 'is', null), eb('check_due_at', '<=', now)]))
    .returningAll()
    .execute();
  // RETURNING shows the rows after the claim; the poll compares with what was seen before it,
  // which only `check_due_at` differs from.
  return rows.map(trackedTicketOf).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Sets when the rows are next due, and that they were looked at `checkedAt` (if given). */
export async function rescheduleTickets(
  db: Kysely<Database>,
  accountId: string,
  rowIds: readonly string[],
  dueAt: Date,
  checkedAt?: Date,
): Promise<void> {
  if (rowIds.length === 0) return;
  await db
    .updateTable('tickets')
    .set({
      check_due_at: toIso(dueAt),
      ...(checkedAt !== undefined && { last_checked_at: toIso(checkedAt) }),
    })
    .where('account_id', '=', accountId)
    .where('id', 'in', [...rowIds])
    .execute();
}

/** What tracking records of a ticket it looked at. */
export interface TicketRowUpdate {
  readonly statusName: string | null;
  readonly closed: boolean;
  readonly closedAt: string | null;
  readonly mergedIntoTicketId: number | null;
  readonly recordType: TicketRecordType;
  readonly deletedAt: string | null;
  readonly boardId: number | null;
  readonly boardName: string | null;
}

/**
 * Writes what was seen of one ticket, looked at `now`; due again at `dueAt` when given (else
 * when it already was).
 */
export async function recordTicketSeen(
  db: Kysely<Database>,
  accountId: string,
  rowId: string,
  update: TicketRowUpdate,
  times: { readonly now: Date; readonly dueAt?: Date },
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({
      cw_status_name: update.statusName,
      closed: toFlag(update.closed),
      closed_at: update.closedAt,
      merged_into_ticket_id: update.mergedIntoTicketId,
      record_type: update.recordType,
      deleted_at: update.deletedAt,
      board_id: update.boardId,
      board_name: update.boardName,
      last_checked_at: toIso(times.now),
      ...(times.dueAt !== undefined && { check_due_at: toIso(times.dueAt) }),
    })
    .where('account_id', '=', accountId)
    .where('id', '=', rowId)
    .execute();
}

/** What a poll fills in on a ticket whose state did not change. */
export interface TicketDetails {
  readonly boardId: number | null;
  readonly boardName: string | null;
  /** When the ticket closed, as ConnectWise says, or the time of the poll. */
  readonly closedAt: string;
}

/**
 * Records a look at a ticket whose status did not change: its board, and when it closed if the
 * row says closed and does not know since when. Status and closed flag are left alone, so a
 * status the worker wrote meanwhile (it closes and reopens tickets) is never overwritten.
 */
export async function recordTicketChecked(
  db: Kysely<Database>,
  accountId: string,
  rowId: string,
  details: TicketDetails,
  times: { readonly now: Date; readonly dueAt: Date },
): Promise<void> {
  await db
    .updateTable('tickets')
    .set((eb) => ({
      board_id: details.boardId,
      board_name: details.boardName,
      closed_at: eb
        .case()
        .when('closed', '=', toFlag(false))
        .then(eb.cast<string | null>(eb.val(null), 'text'))
        .when('closed_at', 'is', null)
        .then(details.closedAt)
        .else(eb.ref('closed_at'))
        .end(),
      last_checked_at: toIso(times.now),
      check_due_at: toIso(times.dueAt),
    }))
    .where('account_id', '=', accountId)
    .where('id', '=', rowId)
    .execute();
}

/** The account's ticket row for a correlation key, or undefined. */
export async function findTrackedTicket(
  db: Kysely<Database>,
  accountId: string,
  externalXRef: string,
): Promise<TrackedTicket | undefined> {
  const row = await ticketRowByXRef(db, accountId, externalXRef);
  return row === undefined ? undefined : trackedTicketOf(row);
}
