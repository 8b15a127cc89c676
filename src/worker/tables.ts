/**
 * The delivery tables as kysely sees them (migration `0006_delivery`): the tickets the bridge
 * made and the activity log. Listed in `Database` (`src/storage/schema.ts`).
 */

/** Which ConnectWise resource a ticket lives in (reference §3.5, §3.9). */
export type TicketRecordType = 'service' | 'project';

/**
 * A ConnectWise ticket the bridge created (or found again by its `externalXRef`). One row per
 * correlation key: the unique index is what makes a second create for one key impossible to
 * record.
 */
export interface TicketsTable {
  id: string;
  account_id: string;
  cw_ticket_id: number;
  incident_key: string;
  external_xref: string;
  company_id: string;
  summary: string;
  cw_status_name: string | null;
  /** 0/1 */
  closed: number;
  /** Set when a technician merged the ticket into another (reference §3.5 `mergedParentTicket`). */
  merged_into_ticket_id: number | null;
  record_type: TicketRecordType;
  created_at: string;
  last_checked_at: string | null;
}

/** How an activity line reads in the console. */
export type ActivityLevel = 'info' | 'warn' | 'error';

/**
 * What happened, in order: every event handled, every ticket action taken, every failure with
 * its reason and fix. Append-only.
 */
export interface ActivityTable {
  id: string;
  account_id: string;
  at: string;
  /** e.g. `event`, `ticket.created`, `ticket.noted`, `delivery.retry`, `delivery.blocked`. */
  kind: string;
  level: ActivityLevel;
  message: string;
  company_id: string | null;
  incident_key: string | null;
  /** The ConnectWise ticket id the line is about. */
  ticket_id: number | null;
  event_id: string | null;
  job_id: string | null;
}
