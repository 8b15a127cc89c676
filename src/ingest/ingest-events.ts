/**
 * Storing accepted events: the write side of `POST /api/v1/events`.
 *
 * Everything one request causes is committed in one transaction, so the answer `202` means all
 * of it is durable and a failure leaves none of it: the companies and devices the events name,
 * the events, and one queued job per new event for the worker. ConnectWise is never called here
 * (ingestion only stores; the worker delivers), so a slow or broken ConnectWise never slows it.
 *
 * Speed comes from doing each step for the whole request at once: one multi-row statement per
 * table (split only beyond the parameter limits), no per-event round trips, and the two big
 * inserts written as SQL text directly (see `bulk-insert.ts`).
 */
import type { Kysely } from 'kysely';
import { registerCompanies } from '../companies/index.js';
import { toIso, toJsonText } from '../storage/columns.js';
import type { Database, EventsTable, JobsTable } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { bulkInsert, type BulkInsertShape } from './bulk-insert.js';
import { deviceKeyOf, registerDevices } from './devices.js';
import type { BackupEvent } from './event-schema.js';
import { orderedIds } from './ordered-ids.js';
import { statementChunks } from './statement-chunks.js';

/** What {@link ingestEvents} needs. */
export interface IngestDeps {
  readonly db: Kysely<Database>;
}

/** The outcome of one request. */
export interface IngestResult {
  /** Events stored now, each with one queued job. */
  readonly accepted: number;
  /** Events whose `id` was already stored for the account, or repeated earlier in the request. */
  readonly duplicates: number;
  /** `events.id` of the accepted events, in request order. */
  readonly eventIds: string[];
}

/** The job kind the worker runs for each accepted event. */
export const EVENT_JOB_KIND = 'event';

/** The ordering key of an event's job: one company's events are acted on one at a time. */
export function eventOrderingKey(companyId: string): string {
  return `company:${companyId}`;
}

/** A new job: queued, never attempted, not locked. */
type JobRow = Omit<JobsTable, 'locked_by' | 'locked_until' | 'last_error'>;

// A repeated client id is skipped by the unique index, race-safe on both databases; the ids
// returned are the events stored now.
const EVENT_INSERT: BulkInsertShape<'events', keyof EventsTable> = {
  table: 'events',
  columns: [
    'id',
    'account_id',
    'client_event_id',
    'type',
    'company_id',
    'device_id',
    'occurred_at',
    'received_at',
    'payload',
  ],
  suffix: 'on conflict ("account_id", "client_event_id") do nothing returning "id"',
};

const JOB_INSERT: BulkInsertShape<'jobs', keyof JobRow> = {
  table: 'jobs',
  columns: [
    'id',
    'account_id',
    'kind',
    'ordering_key',
    'event_id',
    'payload',
    'state',
    'attempts',
    'run_after',
    'created_at',
    'updated_at',
  ],
};

// Event and job ids sort in the order this process stored them, so the jobs of one company run
// in request order (see `ordered-ids.ts`).
const nextEventId = orderedIds('evt');
const nextJobId = orderedIds('job');

/**
 * Stores validated `events` for `accountId` in one transaction (joining the caller's, when `db`
 * is one): registers their companies (`registered_by` `event`) and devices, inserts each event
 * whose `id` the account has not stored yet, and queues one `event` job per inserted event.
 *
 * A repeated `id` (in this call, or already stored, or stored meanwhile by a concurrent request)
 * counts as a duplicate and queues nothing: the unique index on (`account_id`,
 * `client_event_id`) decides, with `on conflict do nothing`, so no race can store it twice.
 *
 * @param now the time of receipt. Default `new Date()`.
 * @example
 * const { accepted, duplicates } = await ingestEvents({ db }, accountId, parsed.events);
 */
export async function ingestEvents(
  deps: IngestDeps,
  accountId: string,
  events: readonly BackupEvent[],
  now: Date = new Date(),
): Promise<IngestResult> {
  // Repeats within the call are duplicates of their first occurrence.
  const seen = new Set<string>();
  const unique: BackupEvent[] = [];
  for (const event of events) {
    if (event.id !== undefined) {
      if (seen.has(event.id)) continue;
      seen.add(event.id);
    }
    unique.push(event);
  }
  const repeats = events.length - unique.length;
  if (unique.length === 0) return { accepted: 0, duplicates: repeats, eventIds: [] };

  return inTransaction(deps.db, async (trx) => {
    const nowMs = now.getTime();
    const at = toIso(now);

    // Companies and devices, in name and key order so concurrent requests lock alike.
    const names = [...new Set(unique.map((event) => event.company))].sort();
    const companyIds = await registerCompanies(trx, accountId, names, 'event', now);
    const deviceIds = await registerDevices(trx, accountId, unique, companyIds, now);

    // Events: ids in request order, inserted in client-id order (again for lock order).
    const rows = unique.map((event): EventsTable => {
      const companyId = companyIds.get(event.company) ?? missing('company', event.company);
      const deviceKey = deviceKeyOf(companyId, event.device.id);
      return {
        id: nextEventId(nowMs),
        account_id: accountId,
        client_event_id: event.id ?? null,
        type: event.type,
        company_id: companyId,
        device_id: deviceIds.get(deviceKey) ?? missing('device', event.device.id),
        occurred_at: event.occurredAt,
        received_at: at,
        payload: toJsonText(event),
      };
    });
    const inserted = new Set<string>();
    for (const chunk of statementChunks([...rows].sort(byClientId), EVENT_INSERT.columns.length)) {
      const stored = await bulkInsert<'events', keyof EventsTable, { id: string }>(
        trx,
        EVENT_INSERT,
        chunk,
      );
      for (const row of stored) inserted.add(row.id);
    }
    const accepted = rows.filter((row) => inserted.has(row.id));

    // One queued job per new event, for the worker.
    const jobs = accepted.map((row): JobRow => ({
      id: nextJobId(nowMs),
      account_id: accountId,
      kind: EVENT_JOB_KIND,
      ordering_key: eventOrderingKey(row.company_id),
      event_id: row.id,
      payload: '{}',
      state: 'queued',
      attempts: 0,
      run_after: at,
      created_at: at,
      updated_at: at,
    }));
    for (const chunk of statementChunks(jobs, JOB_INSERT.columns.length)) {
      await bulkInsert(trx, JOB_INSERT, chunk);
    }

    return {
      accepted: accepted.length,
      duplicates: repeats + rows.length - accepted.length,
      eventIds: accepted.map((row) => row.id),
    };
  });
}

/** Rows with a client id first, by it; the rest keep their order (they cannot conflict). */
function byClientId(a: EventsTable, b: EventsTable): number {
  if (a.client_event_id === null || b.client_event_id === null) {
    return (a.client_event_id === null ? 1 : 0) - (b.client_event_id === null ? 1 : 0);
  }
  return a.client_event_id < b.client_event_id ? -1 : a.client_event_id > b.client_event_id ? 1 : 0;
}

function missing(what: string, name: string): never {
  // registerCompanies and registerDevices return every name they are given; this is a bug.
  throw new Error(`ingestEvents: the ${what} ${JSON.stringify(name)} was registered without an id`);
}
