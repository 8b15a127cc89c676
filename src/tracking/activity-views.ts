/**
 * The Activity tab: what the bridge received, did and failed at, with reasons, newest first.
 * Every query is scoped by account.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../storage/schema.js';
import type { ActivityLevel } from '../worker/tables.js';
import { idOfCursor, limitOf, pageOf, type PageOptions } from './paging.js';
import { companiesNamed } from './ticket-views.js';

/** One activity line as the API shows it. */
export interface ActivityView {
  readonly id: string;
  readonly at: string;
  /** e.g. `event`, `ticket.created`, `tracking.closed`, `health.alarm`, `delivery.blocked`. */
  readonly kind: string;
  readonly level: ActivityLevel;
  readonly message: string;
  readonly company: { readonly id: string; readonly name: string } | null;
  readonly incidentKey: string | null;
  readonly ticketId: number | null;
  readonly eventId: string | null;
  readonly jobId: string | null;
}

/** Filters of {@link listActivityViews}. */
export interface ActivityFilter extends PageOptions {
  readonly level?: ActivityLevel;
  /** A kind (`ticket.created`), or every kind of a family (`tracking.*`). */
  readonly kind?: string;
  /** The console company's name (case-insensitive). */
  readonly company?: string;
  /** Only lines at or after this time (ISO-8601). */
  readonly since?: string;
}

/**
 * The account's activity, newest first, filtered and paged.
 *
 * @throws InvalidCursorError for a cursor this list did not give.
 */
export async function listActivityViews(
  db: Kysely<Database>,
  accountId: string,
  filter: ActivityFilter = {},
): Promise<{ activity: ActivityView[]; nextCursor: string | null }> {
  const limit = limitOf(filter);
  let query = db
    .selectFrom('activity')
    .leftJoin('companies', 'companies.id', 'activity.company_id')
    .selectAll('activity')
    .select('companies.name as company_name')
    .where('activity.account_id', '=', accountId)
    .orderBy('activity.id', 'desc')
    .limit(limit + 1);
  if (filter.cursor !== undefined) {
    query = query.where('activity.id', '<', idOfCursor(filter.cursor));
  } else if (filter.offset !== undefined && filter.offset > 0) {
    query = query.offset(filter.offset);
  }
  if (filter.level !== undefined) query = query.where('activity.level', '=', filter.level);
  if (filter.kind !== undefined) {
    const kind = filter.kind;
    if (kind.endsWith('.*')) {
      // A family: every kind starting with `family.`; `/` is the character after `.`.
      const family = kind.slice(0, -1);
      query = query
        .where('activity.kind', '>=', family)
        .where('activity.kind', '<', `${family.slice(0, -1)}/`);
    } else {
      query = query.where('activity.kind', '=', kind);
    }
  }
  if (filter.company !== undefined) {
    const name = filter.company;
    query = query.where('activity.company_id', 'in', (eb) => companiesNamed(eb, accountId, name));
  }
  if (filter.since !== undefined) {
    query = query.where('activity.at', '>=', new Date(filter.since).toISOString());
  }
  const rows = await query.execute();
  const page = pageOf(rows, limit);
  return {
    activity: page.items.map((row) => ({
      id: row.id,
      at: row.at,
      kind: row.kind,
      level: row.level,
      message: row.message,
      company:
        row.company_id === null || row.company_name === null
          ? null
          : { id: row.company_id, name: row.company_name },
      incidentKey: row.incident_key,
      ticketId: row.ticket_id,
      eventId: row.event_id,
      jobId: row.job_id,
    })),
    nextCursor: page.nextCursor,
  };
}
