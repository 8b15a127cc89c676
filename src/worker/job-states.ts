/**
 * The job state machine as data: which state a job may move to from which, checked in one
 * place ({@link assertJobTransition}) by every function that changes a job's state.
 *
 * - `queued`: waiting for `run_after`, and for older jobs of its ordering key.
 * - `running`: claimed by a worker until `locked_until`; an expired lease makes it claimable
 *   again (its worker died).
 * - `done`: acted on; never touched again.
 * - `blocked`: failed for a cause an administrator must fix (permission, board, company); later
 *   jobs of its ordering key wait behind it. Re-checked periodically and on an admin's retry.
 * - `dead`: given up. The worker never moves a job here on its own (nothing is dropped for a
 *   transient cause); the state exists for an operator's deliberate decision.
 */
import type { JobState } from '../storage/schema.js';

/** Every job state, in the order a job usually passes them. */
export const JOB_STATES = [
  'queued',
  'running',
  'done',
  'blocked',
  'dead',
] as const satisfies readonly JobState[];

/** Allowed state changes, source → targets. */
export const JOB_TRANSITIONS: Readonly<Record<JobState, readonly JobState[]>> = {
  // Claimed by a worker.
  queued: ['running'],
  // Finished, retried later, blocked, given up, released on shutdown, or re-claimed after the
  // lease expired (running → running with a new owner).
  running: ['done', 'queued', 'blocked', 'dead', 'running'],
  // Re-checked (periodically or by an admin's retry).
  blocked: ['queued'],
  done: [],
  // Only an operator revives a dead job.
  dead: ['queued'],
};

/** A state change the table does not allow: a bug in the caller, never a runtime condition. */
export class JobTransitionError extends Error {
  override name = 'JobTransitionError';

  constructor(
    readonly from: JobState,
    readonly to: JobState,
    readonly jobId: string,
  ) {
    super(
      `Job ${jobId} cannot go from "${from}" to "${to}"; see JOB_TRANSITIONS for the allowed moves`,
    );
  }
}

/** Throws {@link JobTransitionError} unless `JOB_TRANSITIONS` allows `from → to`. */
export function assertJobTransition(from: JobState, to: JobState, jobId: string): void {
  if (!JOB_TRANSITIONS[from].includes(to)) throw new JobTransitionError(from, to, jobId);
}
