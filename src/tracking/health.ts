/**
 * The integration watches itself: each account's ConnectWise connection (keys, clientId, every
 * required permission) and service-board settings (board, statuses, team, type, priorities) are
 * re-checked every `healthIntervalMs`, and at once when the worker sees its keys or a
 * permission refused. What stops tickets raises a visible alarm at once: the connection is marked
 * `broken`, an activity line says what is wrong and how to fix it, and `GET /api/v1/health`
 * shows it. Nothing is dropped meanwhile: deliveries wait, blocked, in the queue. Once a check
 * passes again the alarm clears and the blocked deliveries are requeued.
 *
 * The same round keeps the bridge's copy of the account's ConnectWise companies fresh (every
 * `companySyncIntervalMs`, and at once for an account never synced): ticket targets are resolved
 * from it without a ConnectWise call per ticket.
 */
import { isCompanySyncDue, getCompanySyncState, syncAccountCompanies } from '../companies/index.js';
import type { ManageClientEvent } from '../connectwise/client/index.js';
import {
  checkBoardSettings,
  ConnectionNotConfiguredError,
  getBoardSettings,
  openManageClient,
  recheckConnection,
  type ConnectionCheckReport,
  type Problem,
} from '../connection/index.js';
import { toIso } from '../storage/columns.js';
import { inTransaction } from '../storage/transaction.js';
import { recordActivity } from '../worker/activity.js';
import { requeueBlocked } from '../worker/record.js';
import {
  claimWatch,
  finishHealthCheck,
  isHealthCheckDue,
  releaseWatch,
  startHealthCheck,
  watchCandidates,
  type HealthRecord,
} from './health-store.js';
import type { TrackingContext } from './settings.js';
import type { BoardHealthState } from './tables.js';

/**
 * Problem codes that clear by themselves (ConnectWise down, slow or throttling): still an alarm,
 * since no ticket gets through, but a warning rather than an error for an administrator.
 */
export const TRANSIENT_PROBLEM_CODES: ReadonlySet<string> = new Set([
  'timeout',
  'connection_failed',
  'connection_refused',
  'host_unreachable',
  'rate_limited',
  'connectwise_unavailable',
]);

/**
 * Causes of a blocked delivery (the worker's `decideFailure` codes) that may mean the
 * connection or the board broke, so a health check runs at once.
 */
export const HEALTH_CHECK_CODES: ReadonlySet<string> = new Set([
  'wrong_keys',
  'permission_missing',
  'client_id_rejected',
  'record_missing',
  'endpoint_missing',
  'refused_by_connectwise',
  'site_invalid',
  'connection_invalid',
]);

/** What one check found. */
export interface HealthCheckOutcome {
  /** Connection and board both work. */
  readonly ok: boolean;
  readonly connection: ConnectionCheckReport;
  readonly boardState: BoardHealthState;
  /** Every problem found, connection's first. */
  readonly problems: readonly Problem[];
  /** What happened to the alarm. */
  readonly alarm: 'raised' | 'changed' | 'kept' | 'cleared' | 'none';
  /** Blocked deliveries requeued because the alarm cleared. */
  readonly requeued: number;
}

/** What one account's watch did; see {@link runAccountWatch}. */
export interface WatchOutcome {
  /** The health check, when it was due. */
  readonly check: HealthCheckOutcome | null;
  /** The companies were synced. */
  readonly synced: boolean;
}

/**
 * One account's watch, if no other process holds it: its health check when due (or asked
 * for), then its company sync when due (never synced, or the interval passed) and the
 * connection works.
 *
 * @returns what was done, or null when the watch was another process's or nothing was due
 *   (or the account has no connection any more).
 */
export async function runAccountWatch(
  ctx: TrackingContext,
  accountId: string,
): Promise<WatchOutcome | null> {
  const { db, settings } = ctx;
  const now = ctx.now();
  const claimed = await claimWatch(db, accountId, {
    workerId: ctx.workerId,
    now,
    leaseUntil: new Date(now.getTime() + settings.leaseMs),
  });
  if (!claimed) return null;
  let retryAt: Date | undefined;
  try {
    // What is due, decided on fresh data now that the watch is this process's.
    const [candidate] = await watchCandidates(db, accountId);
    if (candidate === undefined) return null;
    const checkDue = isHealthCheckDue(candidate, now, settings.healthIntervalMs);
    const syncDue = await isCompanySyncDue(db, accountId, settings.companySyncIntervalMs, now);
    if (!checkDue && !syncDue) return null;

    let check: HealthCheckOutcome | null = null;
    if (checkDue) {
      const record = await startHealthCheck(db, accountId, ctx.workerId);
      if (record === null) return null;
      check = await checkClaimed(ctx, accountId, record);
    }
    const connectionOk = check?.connection.ok ?? candidate.connectionOk;
    const synced = syncDue && connectionOk && (await syncCompanies(ctx, accountId));
    return { check, synced };
  } catch (error) {
    // A check that could not run is due again after the interval (at once after a stop).
    retryAt = ctx.signal.aborted ? now : new Date(ctx.now().getTime() + settings.healthIntervalMs);
    if (error instanceof ConnectionNotConfiguredError) return null;
    throw error;
  } finally {
    await releaseWatch(db, accountId, ctx.workerId, retryAt);
  }
}

async function checkClaimed(
  ctx: TrackingContext,
  accountId: string,
  previous: HealthRecord,
): Promise<HealthCheckOutcome> {
  const { db } = ctx;
  const onEvent = (event: ManageClientEvent): void =>
    ctx.emit({ type: 'tracking.manage', accountId, event });

  // Connection: site, keys, clientId and every required permission; recorded (status ok or
  // broken) with the connection by the connection part.
  const connection = await recheckConnection(ctx.connection, accountId, {
    signal: ctx.signal,
    onEvent,
  });

  // Board: only a working connection can tell; an outage is never taken for a removed board.
  let boardState: BoardHealthState = 'unknown';
  let boardProblems: Problem[] = [];
  const settings = await getBoardSettings(db, accountId);
  if (settings === null) {
    boardState = 'none';
  } else if (connection.ok) {
    try {
      const client = await openManageClient(ctx.connection, accountId, {
        signal: ctx.signal,
        onEvent,
      });
      boardProblems = await checkBoardSettings(client, settings, { signal: ctx.signal });
      boardState = boardProblems.length === 0 ? 'ok' : 'problems';
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      ctx.emit({ type: 'tracking.error', phase: 'health', accountId, error });
    }
  }

  // The alarm: raised at once, kept while the same problems last, cleared once all is well.
  const problems: Problem[] = [
    ...connection.problems.map(({ code, message, fix }) => ({ code, message, fix })),
    ...boardProblems,
  ];
  const codes = [...new Set(problems.map((p) => p.code))].sort();
  const broken = problems.length > 0;
  // A board that could not be checked (ConnectWise failed mid-check) neither raises nor clears.
  const healthy = connection.ok && (boardState === 'ok' || boardState === 'none');
  const now = ctx.now();
  const alarm: HealthCheckOutcome['alarm'] = broken
    ? previous.alarmSince === null
      ? 'raised'
      : sameCodes(previous.alarmCodes, codes)
        ? 'kept'
        : 'changed'
    : previous.alarmSince === null
      ? 'none'
      : healthy
        ? 'cleared'
        : 'kept';

  const requeued = await inTransaction(db, async (trx) => {
    let count = 0;
    if (alarm === 'raised' || alarm === 'changed') {
      await recordActivity(
        trx,
        {
          accountId,
          kind: 'health.alarm',
          level: problems.every((p) => TRANSIENT_PROBLEM_CODES.has(p.code)) ? 'warn' : 'error',
          message: alarmMessage(problems),
        },
        now,
      );
    } else if (alarm === 'cleared') {
      count = await requeueBlocked(trx, { accountId }, now);
      await recordActivity(
        trx,
        {
          accountId,
          kind: 'health.restored',
          level: 'info',
          message: `The ConnectWise integration works again: the connection and the service board passed their check${count > 0 ? `; ${count} blocked ${count === 1 ? 'delivery was' : 'deliveries were'} put back in the queue` : ''}.`,
        },
        now,
      );
    }
    const raisedNow = alarm === 'raised' || alarm === 'changed';
    await finishHealthCheck(trx, accountId, ctx.workerId, {
      boardState,
      boardProblems,
      checkedAt: now,
      alarmSince:
        alarm === 'cleared' ? null : (previous.alarmSince ?? (raisedNow ? toIso(now) : null)),
      alarmCodes: alarm === 'cleared' ? [] : raisedNow ? codes : previous.alarmCodes,
      nextCheckAt: new Date(now.getTime() + ctx.settings.healthIntervalMs),
    });
    return count;
  });

  ctx.emit({ type: 'health.checked', accountId, ok: healthy && !broken, codes });
  if (alarm === 'raised' || alarm === 'changed') {
    ctx.emit({ type: 'health.alarm', accountId, codes, message: alarmMessage(problems) });
  } else if (alarm === 'cleared') {
    ctx.emit({ type: 'health.restored', accountId, requeued });
  }
  return {
    ok: healthy && !broken,
    connection,
    boardState,
    problems,
    alarm,
    requeued,
  };
}

/**
 * Syncs the account's ConnectWise companies. A failure is recorded by the sync itself (for the
 * doctor and the health view), and logged as activity when it is new.
 *
 * @returns whether the sync worked.
 */
async function syncCompanies(ctx: TrackingContext, accountId: string): Promise<boolean> {
  const { db } = ctx;
  const before = await getCompanySyncState(db, accountId);
  try {
    const result = await syncAccountCompanies(ctx.connection, accountId, {
      signal: ctx.signal,
      onEvent: (event) => ctx.emit({ type: 'tracking.manage', accountId, event }),
    });
    ctx.emit({ type: 'companies.synced', accountId, companies: result.companies });
    return true;
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    ctx.emit({ type: 'tracking.error', phase: 'sync', accountId, error });
    if (before?.state !== 'failed') {
      await recordActivity(
        db,
        {
          accountId,
          kind: 'companies.sync_failed',
          level: 'warn',
          message: `The ConnectWise companies could not be synced: ${error instanceof Error ? error.message : String(error)} Tickets use the companies as last synced; the sync is tried again in ${Math.round(ctx.settings.companySyncIntervalMs / 60_000)} minutes.`,
        },
        ctx.now(),
      );
    }
    return false;
  }
}

function alarmMessage(problems: readonly Problem[]): string {
  const parts = problems.map((p) => `${p.message} Fix: ${p.fix}`);
  return `The ConnectWise integration is broken. ${parts.join(' ')} Deliveries wait in the queue (nothing is dropped) and resume once this is fixed.`;
}

function sameCodes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((code, i) => code === b[i]);
}
