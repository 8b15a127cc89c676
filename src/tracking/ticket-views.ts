/**
 * The Tickets tab: every ticket the bridge made, with its live ConnectWise status as tracking
 * last saw it, the incident it belongs to, and a link that opens it in ConnectWise. Every query
 * is scoped by account.
 */
import type { ExpressionBuilder, Kysely, Selectable } from 'kysely';

import { manageTicketLink } from '../companies/index.js';
import { findConnection } from '../connection/index.js';
import { fromFlag, toFlag } from '../storage/columns.js';
import type { Database } from '../storage/schema.js';
import type { TicketRecordType } from '../worker/tables.js';
import { idOfCursor, limitOf, pageOf, type PageOptions } from './paging.js';

/** One ticket as the API shows it. */
export interface TicketView {
  /** The bridge's row id. */
  readonly id: string;
  /** The ConnectWise ticket id. */
  readonly ticketId: number;
  readonly summary: string;
  readonly company: { readonly id: string; readonly name: string };
  readonly incidentKey: string;
  readonly externalXRef: string;
  /** The live ConnectWise status name, as last seen. */
  readonly status: string | null;
  readonly closed: boolean;
  /** When it closed (ConnectWise's `closedDate` when known). */
  readonly closedAt: string | null;
  /** The ticket it was merged into; its incident follows that one. */
  readonly mergedIntoTicketId: number | null;
  readonly recordType: TicketRecordType;
  readonly board: string | null;
  /** When tracking found it gone from ConnectWise; null while it exists. */
  readonly deletedAt: string | null;
  readonly createdAt: string;
  readonly lastCheckedAt: string | null;
  /** Opens the ticket in ConnectWise; null when the account has no connection. */
  readonly url: string | null;
  /** Opens the ticket it was merged into. */
  readonly mergedIntoUrl: string | null;
}

/** Filters of {@link listTicketViews}. */
export interface TicketFilter extends PageOptions {
  /** The console company's name (case-insensitive). */
  readonly company?: string;
  /** The ConnectWise status name (case-insensitive). */
  readonly status?: string;
  /** `open`: not closed and not deleted; `closed`: closed or deleted. */
  readonly state?: 'open' | 'closed';
}

type Row = Selectable<Database['tickets']> & { readonly company_name: string };

/** Links into the ConnectWise UI for the account's connection. */
export async function ticketLinker(
  db: Kysely<Database>,
  accountId: string,
): Promise<(ticketId: number | null) => string | null> {
  const connection = await findConnection(db, accountId);
  return (ticketId) =>
    connection === null || ticketId === null
      ? null
      : manageTicketLink(connection.site, connection.companyId, ticketId);
}

function baseQuery(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('tickets')
    .innerJoin('companies', 'companies.id', 'tickets.company_id')
    .selectAll('tickets')
    .select('companies.name as company_name')
    .where('tickets.account_id', '=', accountId);
}

/** Companies of the account named `name`, ignoring case. */
export function companiesNamed(
  eb: ExpressionBuilder<Database, 'companies'>,
  accountId: string,
  name: string,
) {
  return eb
    .selectFrom('companies as named')
    .select('named.id')
    .where('named.account_id', '=', accountId)
    .where((inner) => inner(inner.fn('lower', ['named.name']), '=', name.trim().toLowerCase()));
}

/**
 * The account's tickets, newest first, filtered and paged.
 *
 * @throws InvalidCursorError for a cursor this list did not give.
 */
export async function listTicketViews(
  db: Kysely<Database>,
  accountId: string,
  filter: TicketFilter = {},
): Promise<{ tickets: TicketView[]; nextCursor: string | null }> {
  const limit = limitOf(filter);
  let query = baseQuery(db, accountId)
    .orderBy('tickets.id', 'desc')
    .limit(limit + 1);
  if (filter.cursor !== undefined) {
    query = query.where('tickets.id', '<', idOfCursor(filter.cursor));
  } else if (filter.offset !== undefined && filter.offset > 0) {
    query = query.offset(filter.offset);
  }
  if (filter.company !== undefined) {
    const name = filter.company;
    query = query.where('tickets.company_id', 'in', (eb) => companiesNamed(eb, accountId, name));
  }
  if (filter.status !== undefined) {
    const status = filter.status.trim().toLowerCase();
    query = query.where((eb) => eb(eb.fn('lower', ['tickets.cw_status_name']), '=', status));
  }
  if (filter.state === 'open') {
    query = query
      .where('tickets.closed', '=', toFlag(false))
      .where('tickets.deleted_at', 'is', null);
  } else if (filter.state === 'closed') {
    query = query.where((eb) =>
      eb.or([eb('tickets.closed', '=', toFlag(true)), eb('tickets.deleted_at', 'is not', null)]),
    );
  }
  const rows = await query.execute();
  const link = await ticketLinker(db, accountId);
  const page = pageOf(rows, limit);
  return { tickets: page.items.map((row) => viewOf(row, link)), nextCursor: page.nextCursor };
}

/** The account's ticket with ConnectWise id `ticketId` (the newest record of it), or undefined. */
export async function getTicketView(
  db: Kysely<Database>,
  accountId: string,
  ticketId: number,
): Promise<TicketView | undefined> {
  const row = await baseQuery(db, accountId)
    .where('tickets.cw_ticket_id', '=', ticketId)
    .orderBy('tickets.id', 'desc')
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return viewOf(row, await ticketLinker(db, accountId));
}

/** Every ticket of one incident (one per generation), oldest first. */
export async function ticketViewsOfIncident(
  db: Kysely<Database>,
  accountId: string,
  incidentKey: string,
): Promise<TicketView[]> {
  const rows = await baseQuery(db, accountId)
    .where('tickets.incident_key', '=', incidentKey)
    .orderBy('tickets.id')
    .execute();
  const link = await ticketLinker(db, accountId);
  return rows.map((row) => viewOf(row, link));
}

function viewOf(row: Row, link: (ticketId: number | null) => string | null): TicketView {
  return {
    id: row.id,
    ticketId: row.cw_ticket_id,
    summary: row.summary,
    company: { id: row.company_id, name: row.company_name },
    incidentKey: row.incident_key,
    externalXRef: row.external_xref,
    status: row.cw_status_name,
    closed: fromFlag(row.closed),
    closedAt: row.closed_at,
    mergedIntoTicketId: row.merged_into_ticket_id,
    recordType: row.record_type,
    board: row.board_name,
    deletedAt: row.deleted_at,
    createdAt: row.created_at,
    lastCheckedAt: row.last_checked_at,
    url: link(row.cw_ticket_id),
    mergedIntoUrl: link(row.merged_into_ticket_id),
  };
}
