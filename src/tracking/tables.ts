/**
 * Tracking's columns and table as kysely sees them (migration `0007_tracking`). The columns
 * extend the worker's `tickets` table; `integration_health` is tracking's own. Both are listed
 * in `Database` (`src/storage/schema.ts`).
 */

/**
 * What tracking adds to each `tickets` row: what it saw besides the status (which the worker's
 * columns hold), and when it should look again.
 */
export interface TicketTrackingColumns {
  /** When tracking found the ticket gone from ConnectWise (neither a service nor a project ticket). */
  deleted_at: string | null;
  /** The board the ticket is on, as last seen; a change means a technician moved it. */
  board_id: number | null;
  board_name: string | null;
  /** When the ticket closed (ConnectWise's `closedDate` when known); null while it is open. */
  closed_at: string | null;
  /** When tracking should next look at the ticket; null: as soon as possible. */
  check_due_at: string | null;
}

/** A health check's verdict on the account's service-board settings. */
export type BoardHealthState = 'ok' | 'problems' | 'unknown' | 'none';

/**
 * One row per account: the last health check (the connection's own verdict stays in
 * `cw_connections`), the alarm it raised, when the next check is due, the lease of the process
 * checking it, and how the last ticket poll went.
 */
export interface IntegrationHealthTable {
  account_id: string;
  /** `none`: no board settings saved; `unknown`: not checked (the connection failed first). */
  board_state: BoardHealthState;
  /** JSON text: `Problem[]` of the last board check. */
  board_problems: string;
  checked_at: string | null;
  /** When the current alarm was raised; null when there is none. */
  alarm_since: string | null;
  /** JSON text: the problem codes of the current alarm, to tell a new alarm from the same one. */
  alarm_codes: string;
  /** When the next check is due; null: at once. */
  next_check_at: string | null;
  /** 0/1: a check was asked for (the worker saw its keys or a permission refused). */
  check_requested: number;
  locked_by: string | null;
  locked_until: string | null;
  /** When tracking last finished polling the account's tickets. */
  polled_at: string | null;
  /** Why the last poll failed; null when it worked. */
  poll_error: string | null;
}
