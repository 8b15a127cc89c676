/**
 * Persistence of the domain's incidents. The domain works on plain `Incident` objects; this
 * module stores each as JSON with the columns queries filter on (state, ticket, blocked reason)
 * beside it, and reads them back for the worker.
 *
 * Every write of an incident happens inside a transaction that first read it with
 * `lock: true` (a row lock on PostgreSQL; SQLite's write transactions are serial anyway), so an
 * event and a ticket observation applied at the same time never overwrite each other.
 */
import type { Kysely } from 'kysely';

import type { Condition, Incident } from '../domain/index.js';
import { fromJsonText, toIso, toJsonText } from '../storage/columns.js';
import { newId } from '../storage/ids.js';
import type { Database } from '../storage/schema.js';
import { StoredIncidentError } from './errors.js';

/** An incident as stored: the domain object and the bridge's own columns. */
export interface StoredIncident {
  readonly id: string;
  readonly incidentKey: string;
  /** `companies.id`. */
  readonly companyId: string;
  /** `devices.id`; null for a storm. */
  readonly deviceId: string | null;
  readonly incident: Incident;
  readonly nextDueAt: string | null;
  readonly blockedReason: string | null;
  readonly blockedFix: string | null;
  readonly updatedAt: string;
}

/** Options of the readers. */
export interface ReadOptions {
  /**
   * Lock the rows until the surrounding transaction ends (`FOR UPDATE`, PostgreSQL only; pass
   * `dialect === 'postgres'`). Default false.
   */
  readonly lock?: boolean;
}

type IncidentRow = Database['incidents'];

function toStored(row: IncidentRow): StoredIncident {
  const incident = fromJsonText(row.data) as Incident;
  if (incident === null || typeof incident !== 'object' || incident.schema !== 1) {
    throw new StoredIncidentError(row.incident_key);
  }
  return {
    id: row.id,
    incidentKey: row.incident_key,
    companyId: row.company_id,
    deviceId: row.device_id,
    incident,
    nextDueAt: row.next_due_at,
    blockedReason: row.blocked_reason,
    blockedFix: row.blocked_fix,
    updatedAt: row.updated_at,
  };
}

/**
 * What `planStorm` needs for one event: the company's incidents of `condition` that are not
 * `resolved`, plus the incidents named in `keys` (the event's device and storm keys) whatever
 * their state.
 *
 * @example
 * const incidents = await loadCompanyIncidents(trx, accountId, companyId, 'backup',
 *   [deviceKey, stormKey], { lock: dialect === 'postgres' });
 */
export async function loadCompanyIncidents(
  db: Kysely<Database>,
  accountId: string,
  companyId: string,
  condition: Condition,
  keys: readonly string[],
  options: ReadOptions = {},
): Promise<StoredIncident[]> {
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('company_id', '=', companyId)
    .where('condition', '=', condition)
    .where((eb) =>
      keys.length === 0
        ? eb('state', '!=', 'resolved')
        : eb.or([eb('state', '!=', 'resolved'), eb('incident_key', 'in', [...keys])]),
    )
    .orderBy('id');
  if (options.lock === true) query = query.forUpdate();
  const rows = await query.execute();
  return rows.map(toStored);
}

/** One incident by key, or undefined. */
export async function loadIncident(
  db: Kysely<Database>,
  accountId: string,
  incidentKey: string,
  options: ReadOptions = {},
): Promise<StoredIncident | undefined> {
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('incident_key', '=', incidentKey);
  if (options.lock === true) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : toStored(row);
}

/** What {@link saveIncident} writes. */
export interface IncidentWrite {
  readonly incident: Incident;
  /** `companies.id` of the incident's company. */
  readonly companyId: string;
  /** `devices.id`; null for a storm. Kept as stored when the incident exists. */
  readonly deviceId: string | null;
  readonly nextDueAt: string | null;
}

/**
 * Inserts or updates an incident (by account and key). Call it in the transaction that read the
 * incident with `lock: true`.
 *
 * @param now the time recorded as `updated_at`. Default: the current time.
 */
export async function saveIncident(
  db: Kysely<Database>,
  accountId: string,
  write: IncidentWrite,
  now: Date = new Date(),
): Promise<void> {
  const { incident } = write;
  const at = toIso(now);
  const columns = {
    state: incident.state,
    data: toJsonText(incident),
    ticket_id: incident.ticket?.ticketId ?? null,
    external_xref: incident.ticket?.externalXRef ?? null,
    next_due_at: write.nextDueAt,
    updated_at: at,
  };
  await db
    .insertInto('incidents')
    .values({
      id: newId('inc'),
      account_id: accountId,
      incident_key: incident.incidentKey,
      company_id: write.companyId,
      device_id: write.deviceId,
      condition: incident.condition,
      blocked_reason: null,
      blocked_fix: null,
      created_at: at,
      ...columns,
    })
    .onConflict((oc) => oc.columns(['account_id', 'incident_key']).doUpdateSet(columns))
    .execute();
}

/**
 * Records why the incident's delivery is blocked and what fixes it (`reason` null clears it).
 * Touches only those two columns, so it never races with a write of the incident itself.
 */
export async function setIncidentBlocked(
  db: Kysely<Database>,
  accountId: string,
  incidentKey: string,
  blocked: { readonly reason: string; readonly fix: string } | null,
): Promise<void> {
  await db
    .updateTable('incidents')
    .set({ blocked_reason: blocked?.reason ?? null, blocked_fix: blocked?.fix ?? null })
    .where('account_id', '=', accountId)
    .where('incident_key', '=', incidentKey)
    .execute();
}

/** Options of {@link listIncidents}. */
export interface ListIncidentsOptions {
  /** Only incidents in these states. Default: all. */
  readonly states?: readonly string[];
  /** Only incidents of this company (`companies.id`). */
  readonly companyId?: string;
  /** Only incidents whose delivery is blocked. Default false. */
  readonly blockedOnly?: boolean;
  /** At most this many, most recently updated first. Default 100. */
  readonly limit?: number;
}

/** The account's incidents, most recently updated first. */
export async function listIncidents(
  db: Kysely<Database>,
  accountId: string,
  options: ListIncidentsOptions = {},
): Promise<StoredIncident[]> {
  let query = db
    .selectFrom('incidents')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit ?? 100);
  if (options.states !== undefined && options.states.length > 0) {
    query = query.where('state', 'in', [...options.states]);
  }
  if (options.companyId !== undefined) query = query.where('company_id', '=', options.companyId);
  if (options.blockedOnly === true) query = query.where('blocked_reason', 'is not', null);
  const rows = await query.execute();
  return rows.map(toStored);
}
