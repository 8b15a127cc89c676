/**
 * The tickets the bridge made, one row per correlation key (`externalXRef`). The worker records a
 * ticket in the transaction that marks its create done; a retried create finds the row (or the
 * ticket in ConnectWise by its key) instead of creating another.
 */
import type { Kysely } from 'kysely';

import { toFlag, fromFlag, toIso } from '../storage/columns.js';
import { newId } from '../storage/ids.js';
import type { Database } from '../storage/schema.js';
import type { TicketRecordType } from './tables.js';

/** A ticket as stored. */
export interface StoredTicket {
  readonly id: string;
  readonly cwTicketId: number;
  readonly incidentKey: string;
  readonly externalXRef: string;
  readonly companyId: string;
  readonly summary: string;
  readonly statusName: string | null;
  readonly closed: boolean;
  readonly mergedIntoTicketId: number | null;
  readonly recordType: TicketRecordType;
  readonly createdAt: string;
  readonly lastCheckedAt: string | null;
}

/** Maps a `tickets` row to what delivery reads of it. */
export function toStored(row: Database['tickets']): StoredTicket {
  return {
    id: row.id,
    cwTicketId: row.cw_ticket_id,
    incidentKey: row.incident_key,
    externalXRef: row.external_xref,
    companyId: row.company_id,
    summary: row.summary,
    statusName: row.cw_status_name,
    closed: fromFlag(row.closed),
    mergedIntoTicketId: row.merged_into_ticket_id,
    recordType: row.record_type,
    createdAt: row.created_at,
    lastCheckedAt: row.last_checked_at,
  };
}

/** The `tickets` row recorded for a correlation key, or undefined. */
export function ticketRowByXRef(
  db: Kysely<Database>,
  accountId: string,
  externalXRef: string,
): Promise<Database['tickets'] | undefined> {
  return db
    .selectFrom('tickets')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('external_xref', '=', externalXRef)
    .executeTakeFirst();
}

/** The ticket recorded for a correlation key, or undefined. */
export async function findTicketByXRef(
  db: Kysely<Database>,
  accountId: string,
  externalXRef: string,
): Promise<StoredTicket | undefined> {
  const row = await ticketRowByXRef(db, accountId, externalXRef);
  return row === undefined ? undefined : toStored(row);
}

/** What {@link recordTicket} writes. */
export interface TicketWrite {
  readonly cwTicketId: number;
  readonly incidentKey: string;
  readonly externalXRef: string;
  readonly companyId: string;
  readonly summary: string;
  readonly statusName: string | null;
  readonly closed: boolean;
}

/**
 * Records a ticket made (or found again) for a correlation key. A key already recorded keeps
 * its row: the first record wins, so two runs of one create can never leave two tickets here.
 *
 * @returns the stored ticket for the key.
 */
export async function recordTicket(
  db: Kysely<Database>,
  accountId: string,
  ticket: TicketWrite,
  now: Date = new Date(),
): Promise<StoredTicket> {
  const existing = await findTicketByXRef(db, accountId, ticket.externalXRef);
  if (existing !== undefined) return existing;
  const at = toIso(now);
  // `do nothing` rather than catching the violation: on PostgreSQL a failed statement would
  // abort the surrounding transaction.
  await db
    .insertInto('tickets')
    .values({
      id: newId('tkt'),
      account_id: accountId,
      cw_ticket_id: ticket.cwTicketId,
      incident_key: ticket.incidentKey,
      external_xref: ticket.externalXRef,
      company_id: ticket.companyId,
      summary: ticket.summary,
      cw_status_name: ticket.statusName,
      closed: toFlag(ticket.closed),
      merged_into_ticket_id: null,
      record_type: 'service',
      created_at: at,
      last_checked_at: at,
    })
    .onConflict((oc) => oc.columns(['account_id', 'external_xref']).doNothing())
    .execute();
  const stored = await findTicketByXRef(db, accountId, ticket.externalXRef);
  if (stored === undefined) throw new Error(`Ticket ${ticket.externalXRef} vanished on insert`);
  return stored;
}

/** Records the status the bridge set (or saw) on a ticket. */
export async function updateTicketStatus(
  db: Kysely<Database>,
  accountId: string,
  cwTicketId: number,
  status: { readonly name: string | null; readonly closed: boolean },
  now: Date = new Date(),
): Promise<void> {
  await db
    .updateTable('tickets')
    .set({
      cw_status_name: status.name,
      closed: toFlag(status.closed),
      last_checked_at: toIso(now),
    })
    .where('account_id', '=', accountId)
    .where('cw_ticket_id', '=', cwTicketId)
    .execute();
}

/** Options of {@link listTickets}. */
export interface ListTicketsOptions {
  /** Only open (false) or closed (true) tickets. Default: both. */
  readonly closed?: boolean;
  readonly companyId?: string;
  /** Default 100. */
  readonly limit?: number;
  /** Tickets created before this row id (paging back). */
  readonly before?: string;
}

/** The account's tickets, newest first. */
export async function listTickets(
  db: Kysely<Database>,
  accountId: string,
  options: ListTicketsOptions = {},
): Promise<StoredTicket[]> {
  let query = db
    .selectFrom('tickets')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(options.limit ?? 100);
  if (options.closed !== undefined) query = query.where('closed', '=', toFlag(options.closed));
  if (options.companyId !== undefined) query = query.where('company_id', '=', options.companyId);
  if (options.before !== undefined) query = query.where('id', '<', options.before);
  const rows = await query.execute();
  return rows.map(toStored);
}
