/**
 * The activity log: one line per event handled, ticket action taken and failure (with its reason
 * and fix), for the console's Activity tab. Lines are written in the same transaction as what
 * they describe, so the log never claims something that did not happen.
 */
import type { Kysely } from 'kysely';

import { toIso } from '../storage/columns.js';
import { newId } from '../storage/ids.js';
import type { Database } from '../storage/schema.js';
import type { ActivityLevel } from './tables.js';

/** One line to write. */
export interface ActivityInput {
  readonly accountId: string;
  /** e.g. `event`, `ticket.created`, `ticket.noted`, `delivery.blocked`. */
  readonly kind: string;
  readonly level: ActivityLevel;
  readonly message: string;
  readonly companyId?: string | null;
  readonly incidentKey?: string | null;
  readonly ticketId?: number | null;
  readonly eventId?: string | null;
  readonly jobId?: string | null;
}

/** One line as read. */
export interface ActivityEntry {
  readonly id: string;
  readonly at: string;
  readonly kind: string;
  readonly level: ActivityLevel;
  readonly message: string;
  readonly companyId: string | null;
  readonly incidentKey: string | null;
  readonly ticketId: number | null;
  readonly eventId: string | null;
  readonly jobId: string | null;
}

/**
 * Appends a line.
 *
 * @param now the line's time. Default: the current time.
 */
export async function recordActivity(
  db: Kysely<Database>,
  input: ActivityInput,
  now: Date = new Date(),
): Promise<void> {
  await db
    .insertInto('activity')
    .values({
      id: newId('act', now.getTime()),
      account_id: input.accountId,
      at: toIso(now),
      kind: input.kind,
      level: input.level,
      message: input.message,
      company_id: input.companyId ?? null,
      incident_key: input.incidentKey ?? null,
      ticket_id: input.ticketId ?? null,
      event_id: input.eventId ?? null,
      job_id: input.jobId ?? null,
    })
    .execute();
}

/** Options of {@link listActivity}. */
export interface ListActivityOptions {
  /** Lines before this id (for paging back). Default: from the newest. */
  readonly before?: string;
  readonly level?: ActivityLevel;
  readonly kind?: string;
  readonly incidentKey?: string;
  readonly companyId?: string;
  /** Default 100. */
  readonly limit?: number;
}

/** The account's activity, newest first. */
export async function listActivity(
  db: Kysely<Database>,
  accountId: string,
  options: ListActivityOptions = {},
): Promise<ActivityEntry[]> {
  let query = db
    .selectFrom('activity')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(options.limit ?? 100);
  if (options.before !== undefined) query = query.where('id', '<', options.before);
  if (options.level !== undefined) query = query.where('level', '=', options.level);
  if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
  if (options.incidentKey !== undefined) {
    query = query.where('incident_key', '=', options.incidentKey);
  }
  if (options.companyId !== undefined) query = query.where('company_id', '=', options.companyId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    kind: row.kind,
    level: row.level,
    message: row.message,
    companyId: row.company_id,
    incidentKey: row.incident_key,
    ticketId: row.ticket_id,
    eventId: row.event_id,
    jobId: row.job_id,
  }));
}
