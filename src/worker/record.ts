/**
 * Recording the outcome of a run, as named SQL functions. Every state change goes through
 * {@link moveJob}, which checks the transition table and changes the row only while it is still
 * in the expected state (and, for a running job, still this worker's), so a worker whose lease
 * expired can never overwrite the outcome of the worker that took over.
 */
import type { Kysely } from 'kysely';

import { toIso, toJsonText } from '../storage/columns.js';
import type { Database, JobState } from '../storage/schema.js';
import { assertJobTransition } from './job-states.js';
import { incidentOrderingKey, type Job } from './jobs.js';

/** Why a job last failed, as kept in `jobs.last_error` (JSON text). */
export interface JobFailure {
  readonly reason: string;
  /** Set for a blocked job: what an administrator does about it. */
  readonly fix?: string;
  /** Set for a blocked job: a stable code, e.g. `permission_missing`. */
  readonly code?: string;
}

/** Reads `jobs.last_error` (JSON, or plain text from elsewhere). */
export function parseJobFailure(text: string | null): JobFailure | null {
  if (text === null) return null;
  try {
    const value = JSON.parse(text) as Partial<JobFailure> | null;
    if (value !== null && typeof value === 'object' && typeof value.reason === 'string') {
      return {
        reason: value.reason,
        ...(typeof value.fix === 'string' && { fix: value.fix }),
        ...(typeof value.code === 'string' && { code: value.code }),
      };
    }
  } catch {
    // Plain text written by another part.
  }
  return { reason: text };
}

type JobChanges = Partial<
  Pick<
    Database['jobs'],
    'run_after' | 'locked_by' | 'locked_until' | 'last_error' | 'attempts' | 'payload'
  >
>;

/**
 * Moves a job from `from` to `to` (checked against `JOB_TRANSITIONS`) with `changes`, only if it
 * is still in `from` and, when `from` is `running`, still locked by `workerId`.
 *
 * @returns whether the row changed (false: another worker owns it now, or it moved on).
 */
export async function moveJob(
  db: Kysely<Database>,
  job: Pick<Job, 'id'>,
  from: JobState,
  to: JobState,
  options: { readonly workerId?: string; readonly changes?: JobChanges; readonly now: Date },
): Promise<boolean> {
  assertJobTransition(from, to, job.id);
  let query = db
    .updateTable('jobs')
    .set({ ...options.changes, state: to, updated_at: toIso(options.now) })
    .where('id', '=', job.id)
    .where('state', '=', from);
  if (from === 'running' && options.workerId !== undefined) {
    query = query.where('locked_by', '=', options.workerId);
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

const UNLOCKED = { locked_by: null, locked_until: null } as const;

/** The run succeeded: `running → done`. */
export function recordDone(
  db: Kysely<Database>,
  job: Pick<Job, 'id'>,
  workerId: string,
  now: Date,
): Promise<boolean> {
  return moveJob(db, job, 'running', 'done', {
    workerId,
    now,
    changes: { ...UNLOCKED, last_error: null },
  });
}

/** A transient failure: `running → queued`, due again at `runAfter`. */
export function recordRetry(
  db: Kysely<Database>,
  job: Pick<Job, 'id'>,
  workerId: string,
  retry: { readonly runAfter: Date; readonly reason: string },
  now: Date,
): Promise<boolean> {
  return moveJob(db, job, 'running', 'queued', {
    workerId,
    now,
    changes: {
      ...UNLOCKED,
      run_after: toIso(retry.runAfter),
      last_error: toJsonText({ reason: retry.reason } satisfies JobFailure),
    },
  });
}

/** A cause only an administrator can fix: `running → blocked`, with the reason and the fix. */
export function recordBlocked(
  db: Kysely<Database>,
  job: Pick<Job, 'id'>,
  workerId: string,
  failure: Required<JobFailure>,
  now: Date,
): Promise<boolean> {
  return moveJob(db, job, 'running', 'blocked', {
    workerId,
    now,
    changes: { ...UNLOCKED, last_error: toJsonText(failure) },
  });
}

/**
 * The worker is stopping: `running → queued`, due at once. A job whose run never started gets
 * its attempt back; one interrupted mid-run keeps it, so the next run reconciles first.
 */
export function recordReleased(
  db: Kysely<Database>,
  job: Pick<Job, 'id' | 'attempts'>,
  workerId: string,
  started: boolean,
  now: Date,
): Promise<boolean> {
  return moveJob(db, job, 'running', 'queued', {
    workerId,
    now,
    changes: {
      ...UNLOCKED,
      run_after: toIso(now),
      ...(!started && { attempts: Math.max(0, job.attempts - 1) }),
    },
  });
}

/** Saves an action's progress (its payload) while the job is still this worker's. */
export async function recordProgress(
  db: Kysely<Database>,
  job: Pick<Job, 'id'>,
  workerId: string,
  payload: unknown,
  now: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('jobs')
    .set({ payload: toJsonText(payload), updated_at: toIso(now) })
    .where('id', '=', job.id)
    .where('state', '=', 'running')
    .where('locked_by', '=', workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Which blocked jobs {@link requeueBlocked} puts back. */
export interface RequeueFilter {
  /** Only this account's. Default: every account (the periodic re-check). */
  readonly accountId?: string;
  /** Only jobs blocked at or before this time (ISO-8601): the re-check interval has passed. */
  readonly blockedBefore?: string;
  /** Only this job. */
  readonly jobId?: string;
  /** Only the actions of this incident. */
  readonly incidentKey?: string;
}

/**
 * Puts blocked jobs back in the queue (`blocked → queued`, due now): they run again, and block
 * again if the cause is still there. Used by the periodic re-check and the admin's retry.
 *
 * @returns how many jobs were requeued.
 */
export async function requeueBlocked(
  db: Kysely<Database>,
  filter: RequeueFilter,
  now: Date,
): Promise<number> {
  assertJobTransition('blocked', 'queued', filter.jobId ?? '(blocked jobs)');
  let query = db
    .updateTable('jobs')
    .set({ state: 'queued', run_after: toIso(now), updated_at: toIso(now) })
    .where('state', '=', 'blocked');
  if (filter.accountId !== undefined) query = query.where('account_id', '=', filter.accountId);
  if (filter.blockedBefore !== undefined) {
    query = query.where('updated_at', '<=', filter.blockedBefore);
  }
  if (filter.jobId !== undefined) query = query.where('id', '=', filter.jobId);
  if (filter.incidentKey !== undefined) {
    query = query.where('ordering_key', '=', incidentOrderingKey(filter.incidentKey));
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
