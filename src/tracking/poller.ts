/**
 * The tracking poll: every ticket the bridge made is compared with ConnectWise, in batches of
 * one list call each, and whatever a technician changed is handed to the worker.
 *
 * One round, per account with a working connection:
 * 1. **Claim** the tickets that are due (open ones every `intervalMs`, closed ones still watched
 *    every `closedIntervalMs`), at most `maxTicketsPerRound`, so two processes never poll the
 *    same ticket and one account cannot take the whole round.
 * 2. **Read** them from ConnectWise: `conditions=id in (…)` with a partial response, batches
 *    sized so each URL stays under `maxUrlLength` (`ticket-state.ts`).
 * 3. **Compare** each with its record (`ticket-changes.ts`). A change the incident must hear of
 *    becomes an `observe` job on the incident's ordering key (`observe-job.ts` says why); a
 *    ticket that only gained details (its board, when it closed) is updated here.
 * 4. **Schedule** the next look. A failed read puts the tickets back for the next round; keys or
 *    permissions refused ask for a health check at once.
 */
import {
  ManageAuthenticationError,
  ManageClientIdError,
  ManagePermissionError,
} from '../connectwise/client/index.js';
import { openManageClient } from '../connection/index.js';
import { toIso } from '../storage/columns.js';
import { inTransaction } from '../storage/transaction.js';
import { recordPoll } from './health-store.js';
import { enqueueObservation } from './observe-job.js';
import type { TrackingContext } from './settings.js';
import { compareTicket } from './ticket-changes.js';
import { lookUpTickets } from './ticket-state.js';
import {
  claimDueTickets,
  currentTicketId,
  recordTicketChecked,
  rescheduleTickets,
} from './tracked-tickets.js';

/** What one account's poll did. */
export interface PollOutcome {
  readonly tickets: number;
  /** ConnectWise calls made. */
  readonly calls: number;
  /** Tickets handed to the worker as `observe` jobs. */
  readonly changed: number;
}

/**
 * Polls the account's due tickets once.
 *
 * @param onRefused called when ConnectWise refused the keys, the clientId or a permission, so
 *   the account's health is checked at once.
 * @throws what the database throws; ConnectWise failures are recorded (`poll_error`), not thrown.
 */
export async function pollAccountTickets(
  ctx: TrackingContext,
  accountId: string,
  onRefused: (accountId: string) => void = () => undefined,
): Promise<PollOutcome> {
  const { db, settings } = ctx;
  const now = ctx.now();
  const after = (ms: number): Date => new Date(now.getTime() + ms);

  // Claim: the due tickets, the lease keeping other processes off them meanwhile.
  const tickets = await claimDueTickets(db, accountId, {
    now,
    limit: settings.maxTicketsPerRound,
    leaseUntil: after(settings.leaseMs),
    closedWatchSince: after(-settings.closedWatchMs),
  });
  if (tickets.length === 0) return { tickets: 0, calls: 0, changed: 0 };

  // Read: one list call per batch, where each ticket was last seen.
  let lookup: Awaited<ReturnType<typeof lookUpTickets>>;
  try {
    const client = await openManageClient(ctx.connection, accountId, {
      signal: ctx.signal,
      onEvent: (event) => ctx.emit({ type: 'tracking.manage', accountId, event }),
    });
    const ids = (type: 'service' | 'project'): number[] =>
      tickets.filter((t) => t.recordType === type).map(currentTicketId);
    lookup = await lookUpTickets(
      client,
      { service: ids('service'), project: ids('project') },
      { maxUrlLength: settings.maxUrlLength, signal: ctx.signal },
    );
  } catch (error) {
    // Stopping: the tickets are due again at once for the next process. Else next round.
    const retryAt = ctx.signal.aborted ? now : after(settings.intervalMs);
    const ids = tickets.map((t) => t.id);
    await rescheduleTickets(db, accountId, ids, retryAt);
    if (ctx.signal.aborted) throw error;
    await recordPoll(db, accountId, { at: now, error: errorText(error) });
    if (
      error instanceof ManageAuthenticationError ||
      error instanceof ManagePermissionError ||
      error instanceof ManageClientIdError
    ) {
      onRefused(accountId);
    }
    ctx.emit({ type: 'tracking.error', phase: 'poll', accountId, error });
    return { tickets: tickets.length, calls: 0, changed: 0 };
  }

  // Compare and schedule, in one transaction for the account's round.
  const nowIso = toIso(now);
  let changed = 0;
  await inTransaction(db, async (trx) => {
    for (const ticket of tickets) {
      const change = compareTicket(ticket, lookup.states, nowIso);
      const dueAt = after(change.update.closed ? settings.closedIntervalMs : settings.intervalMs);
      if (change.significant) {
        await enqueueObservation(trx, ticket, change.observations, now);
        await rescheduleTickets(trx, accountId, [ticket.id], dueAt, now);
        changed += 1;
      } else {
        await recordTicketChecked(
          trx,
          accountId,
          ticket.id,
          {
            boardId: change.update.boardId,
            boardName: change.update.boardName,
            closedAt: change.update.closedAt ?? nowIso,
          },
          { now, dueAt },
        );
      }
    }
    await recordPoll(trx, accountId, { at: now, error: null });
  });
  const outcome = { tickets: tickets.length, calls: lookup.calls, changed };
  ctx.emit({ type: 'tracking.polled', accountId, ...outcome });
  return outcome;
}

/**
 * Accounts whose tickets tracking polls: those with a saved connection that the last check found
 * working. A broken one is left to the health check, which re-checks it and lets polling resume.
 */
export async function accountsToPoll(ctx: Pick<TrackingContext, 'db'>): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('cw_connections')
    .select('account_id')
    .where('status', '=', 'ok')
    .orderBy('account_id')
    .execute();
  return rows.map((row) => row.account_id);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
