/**
 * The integration's health for one account, as `GET /api/v1/health` shows it: the connection
 * (ok or broken, with each problem and its fix), the service board, the current alarm, the
 * delivery queue, the last company sync and how far behind ticket tracking is.
 */
import type { Kysely } from 'kysely';

import { getCompanySyncState, type CompanySyncState } from '../companies/index.js';
import { findConnection, getBoardSettings, type Problem } from '../connection/index.js';
import { toFlag } from '../storage/columns.js';
import type { Database } from '../storage/schema.js';
import { deliveryStatus, type DeliveryStatus } from '../worker/status.js';
import { getHealthRecord } from './health-store.js';
import type { BoardHealthState } from './tables.js';

/** The account's integration health. */
export interface IntegrationHealth {
  /**
   * The connection works, a board is chosen and its last check found no problem (a board not
   * checked yet counts as working: it was checked when it was saved), and no delivery is blocked
   * or dead.
   */
  readonly ok: boolean;
  /** The last health check. */
  readonly checkedAt: string | null;
  /** Raised by a check that found the integration broken; null when all is well. */
  readonly alarm: { readonly since: string; readonly codes: string[] } | null;
  readonly connection: {
    /** `none`: no connection saved yet. */
    readonly status: 'ok' | 'broken' | 'none';
    readonly checkedAt: string | null;
    readonly problems: Problem[];
  };
  readonly board: {
    /** `none`: no board chosen; `unknown`: not checked yet (or the connection failed first). */
    readonly status: BoardHealthState;
    readonly name: string | null;
    readonly problems: Problem[];
  };
  readonly delivery: DeliveryStatus;
  readonly companySync: CompanySyncState | null;
  readonly tracking: {
    /** Open tickets tracking follows (closed ones still watched for a reopen not counted). */
    readonly openTickets: number;
    /** When the account's tickets were last polled. */
    readonly lastPolledAt: string | null;
    /** Age of the stalest open ticket's last look, in seconds; null without open tickets. */
    readonly lagSeconds: number | null;
    /** Why the last poll failed; null when it worked. */
    readonly lastError: string | null;
  };
}

/**
 * The account's health now.
 *
 * @param now the time the tracking lag is measured at. Default: the current time.
 */
export async function integrationHealth(
  db: Kysely<Database>,
  accountId: string,
  now: Date = new Date(),
): Promise<IntegrationHealth> {
  const [connection, settings, record, delivery, companySync, open] = await Promise.all([
    findConnection(db, accountId),
    getBoardSettings(db, accountId),
    getHealthRecord(db, accountId),
    deliveryStatus(db, accountId),
    getCompanySyncState(db, accountId),
    db
      .selectFrom('tickets')
      .select((eb) => [
        eb.fn.countAll<number>().as('count'),
        eb.fn.min(eb.fn.coalesce('last_checked_at', 'created_at')).as('stalest'),
      ])
      .where('account_id', '=', accountId)
      .where('closed', '=', toFlag(false))
      .where('deleted_at', 'is', null)
      .executeTakeFirst(),
  ]);

  const connectionProblems: Problem[] =
    connection?.status === 'broken'
      ? (connection.lastCheck?.problems ?? []).map(({ code, message, fix }) => ({
          code,
          message,
          fix,
        }))
      : [];
  const boardStatus: BoardHealthState =
    settings === null ? 'none' : (record?.boardState ?? 'unknown');
  const boardProblems = boardStatus === 'problems' ? [...(record?.boardProblems ?? [])] : [];
  const stalest = open?.stalest ?? null;
  const openTickets = Number(open?.count ?? 0);
  const connectionStatus = connection === null ? 'none' : connection.status;
  return {
    ok:
      connectionStatus === 'ok' &&
      (boardStatus === 'ok' || boardStatus === 'unknown') &&
      delivery.blocked === 0 &&
      delivery.dead === 0,
    checkedAt: record?.checkedAt ?? null,
    alarm:
      record?.alarmSince == null
        ? null
        : { since: record.alarmSince, codes: [...record.alarmCodes] },
    connection: {
      status: connectionStatus,
      checkedAt: connection?.checkedAt ?? null,
      problems: connectionProblems,
    },
    board: { status: boardStatus, name: settings?.board.name ?? null, problems: boardProblems },
    delivery,
    companySync: companySync ?? null,
    tracking: {
      openTickets,
      lastPolledAt: record?.polledAt ?? null,
      lagSeconds:
        openTickets === 0 || stalest === null
          ? null
          : Math.max(0, Math.round((now.getTime() - Date.parse(String(stalest))) / 1000)),
      lastError: record?.pollError ?? null,
    },
  };
}
