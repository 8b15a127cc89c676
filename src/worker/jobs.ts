/**
 * Jobs as the worker sees them: the row mapped to camelCase, the payload of each kind, the
 * ordering keys, and enqueueing.
 *
 * Three kinds of job go through the `jobs` table:
 * - `event` (enqueued by ingestion with the event): apply the event to the company's incidents;
 * - `tick` (enqueued here): apply time passing to one incident at its `nextDueAt`;
 * - `action` (enqueued here): carry out one ticket action in ConnectWise.
 *
 * Everything that changes a company's incidents (`event`, `tick`) shares the ordering key
 * `company:<companies.id>`, so those jobs run one at a time in id order; the actions of one
 * incident share `incident:<incidentKey>`, so a note never overtakes the create it belongs to.
 */
import type { Kysely } from 'kysely';

import type { TicketAction } from '../domain/index.js';
import { fromJsonText, toIso, toJsonText } from '../storage/columns.js';
import { newId } from '../storage/ids.js';
import type { Database, JobState } from '../storage/schema.js';

/**
 * The job kinds the worker knows. `observe` (enqueued by ticket tracking, `src/tracking/`) feeds
 * what a technician did to a ticket in ConnectWise to its incident, on the incident's ordering
 * key.
 */
export const JOB_KINDS = ['event', 'tick', 'action', 'observe'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/** A job row, camelCase, payload parsed. */
export interface Job {
  readonly id: string;
  readonly accountId: string;
  readonly kind: string;
  readonly orderingKey: string;
  readonly eventId: string | null;
  readonly payload: unknown;
  readonly state: JobState;
  /** Runs started, this one included once claimed. */
  readonly attempts: number;
  readonly runAfter: string;
  readonly lockedBy: string | null;
  readonly lockedUntil: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Steps of a two-call action already carried out, so a retry does not repeat them. */
export interface ActionProgress {
  /**
   * When a run last sent this create (ISO). A later run waits until the request has certainly
   * ended (the client's timeout and a margin) before it looks for the ticket by correlation key.
   */
  readonly createSentAt?: string;
  /** The action's note was added (close: the resolution note; reopen: the reopen note). */
  readonly noteDone?: boolean;
  /** The ticket's status was set (close: closed status; reopen: new status). */
  readonly statusDone?: boolean;
}

/** Payload of an `action` job. */
export interface ActionPayload {
  readonly action: TicketAction;
  /** `companies.id` of the incident's company. */
  readonly companyId: string;
  readonly progress?: ActionProgress;
}

/** Payload of a `tick` job. */
export interface TickPayload {
  readonly incidentKey: string;
  /** The `nextDueAt` this tick was scheduled for. */
  readonly dueAt: string;
}

/** The ordering key of everything that changes one company's incidents. */
export function companyOrderingKey(companyId: string): string {
  return `company:${companyId}`;
}

/** The ordering key of one incident's ticket actions. */
export function incidentOrderingKey(incidentKey: string): string {
  return `incident:${incidentKey}`;
}

/** Maps a `jobs` row. */
export function toJob(row: Database['jobs']): Job {
  return {
    id: row.id,
    accountId: row.account_id,
    kind: row.kind,
    orderingKey: row.ordering_key,
    eventId: row.event_id,
    payload: fromJsonText(row.payload),
    state: row.state,
    attempts: row.attempts,
    runAfter: row.run_after,
    lockedBy: row.locked_by,
    lockedUntil: row.locked_until,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The millisecond time encoded in an id made by `newId` (its 10 characters after `_`). */
export function idTimeMs(id: string): number {
  const time = id.slice(id.indexOf('_') + 1, id.indexOf('_') + 11);
  let ms = 0;
  for (const char of time) ms = ms * 32 + CROCKFORD.indexOf(char);
  return ms;
}

/** Where a new job goes among the jobs of its ordering key. */
export type JobPlacement =
  /** After every job of the key, even one made by a process whose clock runs ahead. */
  | { readonly after: 'all' }
  /** At this time: a tick sorts by when it is due, so jobs arriving before then pass it. */
  | { readonly atMs: number };

/** What {@link enqueueJob} writes. */
export interface NewJob {
  readonly accountId: string;
  readonly kind: JobKind;
  readonly orderingKey: string;
  readonly payload: unknown;
  /** ISO-8601; the job is not claimed before. */
  readonly runAfter: string;
  readonly eventId?: string | null;
  /** Default `{ after: 'all' }`. */
  readonly placement?: JobPlacement;
}

/**
 * Adds a job. Its id decides its order within the ordering key (ids are time-ordered), so the id
 * is made at the placement's time; with `after: 'all'` it is made later than the key's newest
 * job, which keeps the order of one incident's actions even when two processes' clocks differ.
 *
 * @param now the current time. Default: the current time.
 * @returns the new job's id.
 */
export async function enqueueJob(
  db: Kysely<Database>,
  job: NewJob,
  now: Date = new Date(),
): Promise<string> {
  const placement = job.placement ?? { after: 'all' };
  let timeMs = now.getTime();
  if ('atMs' in placement) {
    timeMs = Math.max(timeMs, placement.atMs);
  } else {
    const newest = await db
      .selectFrom('jobs')
      .select((eb) => eb.fn.max('id').as('id'))
      .where('ordering_key', '=', job.orderingKey)
      .executeTakeFirst();
    if (newest?.id != null) timeMs = Math.max(timeMs, idTimeMs(newest.id) + 1);
  }
  const id = newId('job', timeMs);
  const at = toIso(now);
  await db
    .insertInto('jobs')
    .values({
      id,
      account_id: job.accountId,
      kind: job.kind,
      ordering_key: job.orderingKey,
      event_id: job.eventId ?? null,
      payload: toJsonText(job.payload),
      state: 'queued',
      attempts: 0,
      run_after: job.runAfter,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}
