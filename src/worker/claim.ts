/**
 * Claiming work from the `jobs` table, as named SQL functions.
 *
 * A job is claimable when it is `queued` and due (`run_after <= now`), or `running` with an
 * expired lease (its worker died), and no other job of its ordering key stands before it: an
 * older job still `queued`, `running` or `blocked`, or any job `running` under a live lease. So
 * jobs of one key run one at a time, oldest first, and different keys run in parallel.
 *
 * On PostgreSQL the candidates are locked with `FOR UPDATE SKIP LOCKED`, so several worker
 * processes claim side by side without waiting on each other or taking the same job. On SQLite
 * the claim is one `BEGIN IMMEDIATE` transaction (see `inTransaction`): SQLite has one writer,
 * so claims are serial anyway.
 */
import { sql, type Kysely } from 'kysely';

import { toIso } from '../storage/columns.js';
import type { Dialect } from '../storage/migrate.js';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { toJob, type Job } from './jobs.js';

/** Options of {@link claimJobs}. */
export interface ClaimOptions {
  /** Written to `locked_by`; names the worker in the table and in events. */
  readonly workerId: string;
  /** At most this many jobs. */
  readonly limit: number;
  /** The lease: the job is this worker's until now + `leaseMs`, unless extended. */
  readonly leaseMs: number;
  readonly now: Date;
  /** Accounts whose jobs are not wanted now (their per-account limit is reached). */
  readonly excludeAccounts?: readonly string[];
}

/**
 * The ids of up to `limit` claimable jobs, oldest first. Locks them on PostgreSQL (call it in a
 * transaction).
 */
export async function selectClaimableJobIds(
  db: Kysely<Database>,
  dialect: Dialect,
  options: Pick<ClaimOptions, 'limit' | 'now' | 'excludeAccounts'>,
): Promise<string[]> {
  const now = toIso(options.now);
  let query = db
    .selectFrom('jobs as j')
    .select('j.id')
    .where((eb) =>
      eb.or([
        eb.and([eb('j.state', '=', 'queued'), eb('j.run_after', '<=', now)]),
        eb.and([eb('j.state', '=', 'running'), eb('j.locked_until', '<=', now)]),
      ]),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('jobs as o')
            .select(sql.lit(1).as('one'))
            .whereRef('o.ordering_key', '=', 'j.ordering_key')
            .whereRef('o.id', '!=', 'j.id')
            .where((eb) =>
              eb.or([
                eb.and([
                  eb('o.id', '<', eb.ref('j.id')),
                  eb('o.state', 'in', ['queued', 'running', 'blocked']),
                ]),
                eb.and([eb('o.state', '=', 'running'), eb('o.locked_until', '>', now)]),
              ]),
            ),
        ),
      ),
    )
    .orderBy('j.id')
    .limit(options.limit);
  const excluded = options.excludeAccounts ?? [];
  if (excluded.length > 0) query = query.where('j.account_id', 'not in', [...excluded]);
  if (dialect === 'postgres') query = query.forUpdate('j').skipLocked();
  const rows = await query.execute();
  return rows.map((row) => row.id);
}

/**
 * Claims up to `limit` jobs for `workerId`: each becomes `running`, locked until now +
 * `leaseMs`, its `attempts` counted up (so a run that died is visible as an attempt).
 *
 * @returns the claimed jobs, oldest first (empty when nothing is claimable).
 * @example
 * const jobs = await claimJobs(db, 'postgres', { workerId, limit: 8, leaseMs: 60_000, now: new Date() });
 */
export async function claimJobs(
  db: Kysely<Database>,
  dialect: Dialect,
  options: ClaimOptions,
): Promise<Job[]> {
  if (options.limit <= 0) return [];
  return inTransaction(db, async (trx) => {
    const ids = await selectClaimableJobIds(trx, dialect, options);
    if (ids.length === 0) return [];
    const now = toIso(options.now);
    const rows = await trx
      .updateTable('jobs')
      .set((eb) => ({
        state: 'running',
        locked_by: options.workerId,
        locked_until: toIso(new Date(options.now.getTime() + options.leaseMs)),
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where('id', 'in', ids)
      .returningAll()
      .execute();
    return rows.map(toJob).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  });
}

/**
 * Extends the lease of the worker's running jobs to `until`, so a long ConnectWise call (or a
 * wait behind a `Retry-After`) is not mistaken for a dead worker.
 *
 * @returns how many jobs are still this worker's.
 */
export async function extendLeases(
  db: Kysely<Database>,
  workerId: string,
  jobIds: readonly string[],
  until: Date,
): Promise<number> {
  if (jobIds.length === 0) return 0;
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: toIso(until) })
    .where('locked_by', '=', workerId)
    .where('state', '=', 'running')
    .where('id', 'in', [...jobIds])
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
