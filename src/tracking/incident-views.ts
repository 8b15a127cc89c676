/**
 * Incidents as the API shows them: one problem (company + device + condition, or a company's
 * storm), its state, how often it happened, its ticket with the live status, and why its
 * delivery is blocked with the fix. Every query is scoped by account.
 */
import type { Kysely, Selectable } from 'kysely';

import type { Condition, Incident, IncidentState, Severity } from '../domain/index.js';
import { fromFlag, fromJsonText } from '../storage/columns.js';
import type { Database } from '../storage/schema.js';
import { idOfCursor, limitOf, pageOf, type PageOptions } from './paging.js';
import {
  companiesNamed,
  ticketLinker,
  ticketViewsOfIncident,
  type TicketView,
} from './ticket-views.js';

/** One incident in a list. */
export interface IncidentView {
  readonly incidentKey: string;
  /** `device`: one device's problem; `storm`: many devices of a company failing together. */
  readonly kind: 'device' | 'storm';
  readonly company: { readonly id: string; readonly name: string };
  readonly condition: Condition;
  readonly device: { readonly id: string; readonly name: string | null } | null;
  readonly state: IncidentState;
  readonly stateSince: string;
  /** Why a `suppressed` incident gets no ticket: the company's switch, or the quiet policy. */
  readonly suppressedReason: 'companyOff' | 'quiet' | null;
  readonly priority: Severity | null;
  /** First and last problem of the current (or last) episode. */
  readonly firstSeenAt: string | null;
  readonly lastSeenAt: string | null;
  readonly counts: {
    /** Problem events of the current (or last) episode. */
    readonly problems: number;
    /** Recoveries in a row since the last problem. */
    readonly recoveries: number;
    /** Devices a storm carries. */
    readonly devices: number;
  };
  readonly lastProblemAt: string | null;
  readonly lastRecoveryAt: string | null;
  readonly resolvedAt: string | null;
  /** The current (or last) ticket. */
  readonly ticket: {
    readonly ticketId: number | null;
    readonly generation: number;
    /** The live ConnectWise status, as tracking last saw it. */
    readonly status: string | null;
    /** Closed in ConnectWise; null before the ticket was recorded. */
    readonly closed: boolean | null;
    readonly closedBy: 'bridge' | 'technician' | null;
    readonly closedAt: string | null;
    readonly deleted: boolean;
    readonly url: string | null;
  } | null;
  /** Why delivery is blocked and what fixes it; null when it is not. */
  readonly blocked: { readonly reason: string; readonly fix: string | null } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One incident in full. */
export interface IncidentDetailView extends IncidentView {
  /** Every ticket the incident had, oldest first, with its live status. */
  readonly tickets: TicketView[];
  /** The last problem seen. */
  readonly lastProblem: {
    readonly type: string;
    readonly occurredAt: string;
    readonly errorCode: string | null;
    readonly message: string | null;
  } | null;
  /** Storms: the devices carried. */
  readonly members: {
    readonly deviceId: string;
    readonly deviceName: string | null;
    readonly joinedAt: string;
    readonly recoveredAt: string | null;
  }[];
}

/** Filters of {@link listIncidentViews}. */
export interface IncidentFilter extends PageOptions {
  /** The console company's name (case-insensitive). */
  readonly company?: string;
  readonly state?: IncidentState;
  readonly condition?: Condition;
  /** true: only incidents whose delivery is blocked; false: only those not blocked. */
  readonly blocked?: boolean;
}

type Row = Selectable<Database['incidents']> & {
  readonly company_name: string;
  readonly ticket_status: string | null;
  readonly ticket_closed: number | null;
};

// The current ticket's row gives its live status, as tracking last saw it.
function baseQuery(db: Kysely<Database>, accountId: string) {
  return db
    .selectFrom('incidents')
    .innerJoin('companies', 'companies.id', 'incidents.company_id')
    .leftJoin('tickets', (join) =>
      join
        .onRef('tickets.account_id', '=', 'incidents.account_id')
        .onRef('tickets.external_xref', '=', 'incidents.external_xref'),
    )
    .selectAll('incidents')
    .select([
      'companies.name as company_name',
      'tickets.cw_status_name as ticket_status',
      'tickets.closed as ticket_closed',
    ])
    .where('incidents.account_id', '=', accountId);
}

/**
 * The account's incidents, newest first, filtered and paged.
 *
 * @throws InvalidCursorError for a cursor this list did not give.
 */
export async function listIncidentViews(
  db: Kysely<Database>,
  accountId: string,
  filter: IncidentFilter = {},
): Promise<{ incidents: IncidentView[]; nextCursor: string | null }> {
  const limit = limitOf(filter);
  let query = baseQuery(db, accountId)
    .orderBy('incidents.id', 'desc')
    .limit(limit + 1);
  if (filter.cursor !== undefined) {
    query = query.where('incidents.id', '<', idOfCursor(filter.cursor));
  } else if (filter.offset !== undefined && filter.offset > 0) {
    query = query.offset(filter.offset);
  }
  if (filter.company !== undefined) {
    const name = filter.company;
    query = query.where('incidents.company_id', 'in', (eb) => companiesNamed(eb, accountId, name));
  }
  if (filter.state !== undefined) query = query.where('incidents.state', '=', filter.state);
  if (filter.condition !== undefined) {
    query = query.where('incidents.condition', '=', filter.condition);
  }
  if (filter.blocked !== undefined) {
    query = query.where('incidents.blocked_reason', filter.blocked ? 'is not' : 'is', null);
  }
  const rows = await query.execute();
  const link = await ticketLinker(db, accountId);
  const page = pageOf(rows, limit);
  return {
    incidents: page.items.map((row) => viewOf(row, incidentOf(row), link)),
    nextCursor: page.nextCursor,
  };
}

/** One incident of the account with its tickets, or undefined. */
export async function getIncidentView(
  db: Kysely<Database>,
  accountId: string,
  incidentKey: string,
): Promise<IncidentDetailView | undefined> {
  const row = await baseQuery(db, accountId)
    .where('incidents.incident_key', '=', incidentKey)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  const incident = incidentOf(row);
  const link = await ticketLinker(db, accountId);
  const last = incident.episode?.last;
  return {
    ...viewOf(row, incident, link),
    tickets: await ticketViewsOfIncident(db, accountId, incidentKey),
    lastProblem:
      last === undefined
        ? null
        : {
            type: last.type,
            occurredAt: last.occurredAt,
            errorCode: last.job?.errorCode ?? null,
            message: last.message,
          },
    members: incident.members.map((member) => ({
      deviceId: member.deviceId,
      deviceName: member.deviceName,
      joinedAt: member.joinedAt,
      recoveredAt: member.recoveredAt,
    })),
  };
}

function incidentOf(row: Row): Incident {
  return fromJsonText(row.data) as Incident;
}

function viewOf(
  row: Row,
  incident: Incident,
  link: (ticketId: number | null) => string | null,
): IncidentView {
  const ticket = incident.ticket;
  return {
    incidentKey: row.incident_key,
    kind: incident.kind,
    company: { id: row.company_id, name: row.company_name },
    condition: incident.condition,
    device:
      incident.device === null ? null : { id: incident.device.id, name: incident.device.name },
    state: incident.state,
    stateSince: incident.stateSince,
    suppressedReason: incident.suppressedReason,
    priority: incident.priority,
    firstSeenAt: incident.episode?.firstSeenAt ?? null,
    lastSeenAt: incident.episode?.lastSeenAt ?? null,
    counts: {
      problems: incident.episode?.problemCount ?? 0,
      recoveries: incident.successes.length,
      devices: incident.members.filter((member) => member.recoveredAt === null).length,
    },
    lastProblemAt: incident.lastProblemAt,
    lastRecoveryAt: incident.lastRecoveryAt,
    resolvedAt: incident.resolvedAt,
    ticket:
      ticket === null
        ? null
        : {
            ticketId: ticket.ticketId,
            generation: ticket.generation,
            status: row.ticket_status ?? ticket.status,
            closed: row.ticket_closed === null ? null : fromFlag(row.ticket_closed),
            closedBy: ticket.closedBy,
            closedAt: ticket.closedAt,
            deleted: ticket.deleted,
            url: link(ticket.ticketId),
          },
    blocked:
      row.blocked_reason === null ? null : { reason: row.blocked_reason, fix: row.blocked_fix },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
