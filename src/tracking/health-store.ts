/**
 * The `integration_health` rows: one per account, holding the last health check's verdict on the
 * board, the alarm it raised, when the next check is due, and the lease of the process checking
 * it. The connection's own verdict stays where the connection part keeps it (`cw_connections`).
 *
 * Claiming works as for jobs: one conditional UPDATE takes the lease (the account's "watch":
 * its health check and company sync), so several processes sharing a database never check or
 * sync one account at once, and a lease left by a dead process runs out by itself. What is due
 * is decided after the lease is taken, on fresh data.
 */
import type { Kysely, Selectable } from 'kysely';

import type { Problem } from '../connection/index.js';
import { fromFlag, fromJsonText, toFlag, toIso, toJsonText } from '../storage/columns.js';
import type { Database } from '../storage/schema.js';
import type { BoardHealthState, IntegrationHealthTable } from './tables.js';

/** One account's health record. */
export interface HealthRecord {
  readonly accountId: string;
  readonly boardState: BoardHealthState;
  readonly boardProblems: readonly Problem[];
  readonly checkedAt: string | null;
  readonly alarmSince: string | null;
  readonly alarmCodes: readonly string[];
  readonly nextCheckAt: string | null;
  readonly checkRequested: boolean;
  readonly polledAt: string | null;
  readonly pollError: string | null;
}

function recordOf(row: Selectable<IntegrationHealthTable>): HealthRecord {
  return {
    accountId: row.account_id,
    boardState: row.board_state,
    boardProblems: fromJsonText(row.board_problems) as Problem[],
    checkedAt: row.checked_at,
    alarmSince: row.alarm_since,
    alarmCodes: fromJsonText(row.alarm_codes) as string[],
    nextCheckAt: row.next_check_at,
    checkRequested: fromFlag(row.check_requested),
    polledAt: row.polled_at,
    pollError: row.poll_error,
  };
}

/** The account's health record, or null before its first check or poll. */
export async function getHealthRecord(
  db: Kysely<Database>,
  accountId: string,
): Promise<HealthRecord | null> {
  const row = await db
    .selectFrom('integration_health')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row === undefined ? null : recordOf(row);
}

/** Makes sure the account has a row (a new one is due at once). */
async function ensureRow(db: Kysely<Database>, accountId: string): Promise<void> {
  await db
    .insertInto('integration_health')
    .values({
      account_id: accountId,
      board_state: 'unknown',
      board_problems: '[]',
      alarm_codes: '[]',
      check_requested: toFlag(false),
    })
    .onConflict((oc) => oc.column('account_id').doNothing())
    .execute();
}

/**
 * Asks for the account's next health check to run as soon as a process gets to it, e.g. after
 * the worker saw its keys or a permission refused. A check already running checks again after.
 */
export async function requestHealthCheck(db: Kysely<Database>, accountId: string): Promise<void> {
  await ensureRow(db, accountId);
  await db
    .updateTable('integration_health')
    .set({ check_requested: toFlag(true) })
    .where('account_id', '=', accountId)
    .execute();
}

/** What decides whether an account's check or company sync is due. */
export interface WatchCandidate {
  readonly accountId: string;
  /** When the connection was last checked (when it was saved, or by the last health check). */
  readonly connectionCheckedAt: string | null;
  readonly connectionOk: boolean;
  readonly nextCheckAt: string | null;
  readonly checkRequested: boolean;
  /** The last health check and the alarm it left. */
  readonly checkedAt: string | null;
  readonly alarmSince: string | null;
  readonly lockedUntil: string | null;
  /** When the last company sync started; null when the account was never synced. */
  readonly syncStartedAt: string | null;
}

/** Every account with a saved connection, with what its due times are computed from. */
export async function watchCandidates(
  db: Kysely<Database>,
  accountId?: string,
): Promise<WatchCandidate[]> {
  let query = db
    .selectFrom('cw_connections as c')
    .leftJoin('integration_health as h', 'h.account_id', 'c.account_id')
    .leftJoin('cw_company_syncs as s', 's.account_id', 'c.account_id')
    .select([
      'c.account_id',
      'c.checked_at',
      'c.status',
      'h.next_check_at',
      'h.check_requested',
      'h.checked_at as health_checked_at',
      'h.alarm_since',
      'h.locked_until',
      's.started_at',
    ])
    .orderBy('c.account_id');
  if (accountId !== undefined) query = query.where('c.account_id', '=', accountId);
  const rows = await query.execute();
  return rows.map((row) => ({
    accountId: row.account_id,
    connectionCheckedAt: row.checked_at,
    connectionOk: row.status === 'ok',
    nextCheckAt: row.next_check_at,
    checkRequested: row.check_requested !== null && fromFlag(row.check_requested),
    checkedAt: row.health_checked_at,
    alarmSince: row.alarm_since,
    lockedUntil: row.locked_until,
    syncStartedAt: row.started_at,
  }));
}

/**
 * Whether the account's health check is due at `now`: asked for, its next time passed, or an
 * alarm is up and the connection was checked again since (an administrator saved new keys). An
 * account never checked here is due `intervalMs` after its connection was last checked (it was
 * checked when it was saved), so a restart does not re-check every account at once.
 */
export function isHealthCheckDue(
  candidate: Pick<
    WatchCandidate,
    'checkRequested' | 'nextCheckAt' | 'connectionCheckedAt' | 'checkedAt' | 'alarmSince'
  >,
  now: Date,
  intervalMs: number,
): boolean {
  if (candidate.checkRequested) return true;
  if (
    candidate.alarmSince !== null &&
    candidate.connectionCheckedAt !== null &&
    candidate.checkedAt !== null &&
    candidate.connectionCheckedAt > candidate.checkedAt
  ) {
    return true;
  }
  if (candidate.nextCheckAt !== null) return Date.parse(candidate.nextCheckAt) <= now.getTime();
  return (
    candidate.connectionCheckedAt === null ||
    Date.parse(candidate.connectionCheckedAt) + intervalMs <= now.getTime()
  );
}

/**
 * Takes the account's watch (its health check and company sync) for `workerId` until
 * `leaseUntil`, unless another process holds it.
 *
 * @returns true when this process holds it now.
 */
export async function claimWatch(
  db: Kysely<Database>,
  accountId: string,
  claim: { readonly workerId: string; readonly now: Date; readonly leaseUntil: Date },
): Promise<boolean> {
  await ensureRow(db, accountId);
  const result = await db
    .updateTable('integration_health')
    .set({ locked_by: claim.workerId, locked_until: toIso(claim.leaseUntil) })
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', toIso(claim.now))]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * The account's record, read by the process holding its watch, with the request flag cleared:
 * a request arriving from now on sets it again, so the check it asks for is not lost.
 */
export async function startHealthCheck(
  db: Kysely<Database>,
  accountId: string,
  workerId: string,
): Promise<HealthRecord | null> {
  await db
    .updateTable('integration_health')
    .set({ check_requested: toFlag(false) })
    .where('account_id', '=', accountId)
    .where('locked_by', '=', workerId)
    .execute();
  return getHealthRecord(db, accountId);
}

/** What a finished check writes. */
export interface HealthCheckWrite {
  readonly boardState: BoardHealthState;
  readonly boardProblems: readonly Problem[];
  readonly checkedAt: Date;
  readonly alarmSince: string | null;
  readonly alarmCodes: readonly string[];
  readonly nextCheckAt: Date;
}

/** Records a finished check (only while `workerId` still holds the watch). */
export async function finishHealthCheck(
  db: Kysely<Database>,
  accountId: string,
  workerId: string,
  write: HealthCheckWrite,
): Promise<boolean> {
  const result = await db
    .updateTable('integration_health')
    .set({
      board_state: write.boardState,
      board_problems: toJsonText(write.boardProblems),
      checked_at: toIso(write.checkedAt),
      alarm_since: write.alarmSince,
      alarm_codes: toJsonText(write.alarmCodes),
      next_check_at: toIso(write.nextCheckAt),
    })
    .where('account_id', '=', accountId)
    .where('locked_by', '=', workerId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Gives the watch back; with `retryAt`, the check (which could not run) is due again then.
 */
export async function releaseWatch(
  db: Kysely<Database>,
  accountId: string,
  workerId: string,
  retryAt?: Date,
): Promise<void> {
  await db
    .updateTable('integration_health')
    .set({
      locked_by: null,
      locked_until: null,
      ...(retryAt !== undefined && { next_check_at: toIso(retryAt) }),
    })
    .where('account_id', '=', accountId)
    .where('locked_by', '=', workerId)
    .execute();
}

/** Records how the account's last ticket poll went (`error` null: it worked). */
export async function recordPoll(
  db: Kysely<Database>,
  accountId: string,
  poll: { readonly at: Date; readonly error: string | null },
): Promise<void> {
  await ensureRow(db, accountId);
  await db
    .updateTable('integration_health')
    .set({
      ...(poll.error === null && { polled_at: toIso(poll.at) }),
      poll_error: poll.error,
    })
    .where('account_id', '=', accountId)
    .execute();
}
