/**
 * `observe` jobs: what a technician did to a ticket in ConnectWise (closed, reopened, changed
 * its status, moved, merged or deleted it), fed to the ticket's incident.
 *
 * Why a job, and not a write straight from the poll: the bridge changes tickets too (its close
 * and reopen actions), and a poll that read ConnectWise just before such an action and records
 * it just after would take the bridge's own change for a technician's, or undo it. The job runs
 * on the incident's ordering key (`incident:<key>`), so it runs only when no action of the
 * incident is in flight or queued before it; it then reads the ticket again (one list call) and
 * compares with the record, which at that moment holds the bridge's last write. The incident
 * itself is updated under its row lock in the same transaction, as every incident write is, so
 * events and ticks applied meanwhile wait instead of being overwritten.
 */
import type { Kysely } from 'kysely';

import {
  applyTicketObservation,
  type Incident,
  type Rules,
  type TicketAction,
  type TicketObservation,
} from '../domain/index.js';
import { loadIncident, setIncidentBlocked } from '../incidents/index.js';
import { getRules } from '../rules/index.js';
import { fromJsonText, toIso } from '../storage/columns.js';
import type { Database } from '../storage/schema.js';
import { inTransaction } from '../storage/transaction.js';
import { recordActivity, type ActivityInput } from '../worker/activity.js';
import { DeliveryBlockedError, LeaseLostError } from '../worker/errors.js';
import type { JobHandler, JobOutcome } from '../worker/handlers/context.js';
import { writePlan } from '../worker/handlers/plan-writer.js';
import { enqueueJob, incidentOrderingKey } from '../worker/jobs.js';
import { recordDone } from '../worker/record.js';
import { compareTicket, type TicketChange } from './ticket-changes.js';
import { lookUpTickets } from './ticket-state.js';
import {
  currentTicketId,
  findTrackedTicket,
  recordTicketSeen,
  type TrackedTicket,
} from './tracked-tickets.js';

/** The payload of an `observe` job. */
export interface ObservePayload {
  readonly incidentKey: string;
  /** The ticket row's correlation key. */
  readonly externalXRef: string;
  /** The bridge's ticket (the row's `cw_ticket_id`). */
  readonly ticketId: number;
  /** What the poll saw, for the record: the job reads the ticket again before acting. */
  readonly observations: readonly TicketObservation[];
}

/**
 * Hands what a poll saw about `ticket` to the worker, unless a job for the same ticket already
 * waits (it will read the ticket afresh anyway).
 *
 * @returns the new job's id, or null when one was already waiting.
 */
export async function enqueueObservation(
  db: Kysely<Database>,
  ticket: TrackedTicket,
  observations: readonly TicketObservation[],
  now: Date,
): Promise<string | null> {
  const orderingKey = incidentOrderingKey(ticket.incidentKey);
  const waiting = await db
    .selectFrom('jobs')
    .select('payload')
    .where('account_id', '=', ticket.accountId)
    .where('ordering_key', '=', orderingKey)
    .where('kind', '=', 'observe')
    .where('state', 'in', ['queued', 'running', 'blocked'])
    .execute();
  const same = waiting.some(
    (job) =>
      (fromJsonText(job.payload) as Partial<ObservePayload>).externalXRef === ticket.externalXRef,
  );
  if (same) return null;
  const payload: ObservePayload = {
    incidentKey: ticket.incidentKey,
    externalXRef: ticket.externalXRef,
    ticketId: ticket.cwTicketId,
    observations,
  };
  return enqueueJob(
    db,
    {
      accountId: ticket.accountId,
      kind: 'observe',
      orderingKey,
      payload,
      runAfter: toIso(now),
    },
    now,
  );
}

export const handleObserveJob: JobHandler = async (ctx, job) => {
  const payload = parsePayload(job.payload, job.id);
  const ticket = await findTrackedTicket(ctx.db, job.accountId, payload.externalXRef);
  if (ticket === undefined || ticket.deletedAt !== null) {
    const summary = `Ticket ${payload.externalXRef} is no longer followed; nothing to observe.`;
    if (!(await recordDone(ctx.db, job, ctx.workerId, ctx.now()))) {
      throw new LeaseLostError(job.id);
    }
    return { summary, incidentKey: payload.incidentKey };
  }

  // Read the ticket afresh: the record now holds the bridge's last write to it.
  ctx.signal.throwIfAborted();
  const client = await ctx.ports.openClient(job.accountId, {
    signal: ctx.signal,
    ...(ctx.onClientEvent !== undefined && { onEvent: ctx.onClientEvent }),
  });
  const id = currentTicketId(ticket);
  const lookup = await lookUpTickets(
    client,
    ticket.recordType === 'service'
      ? { service: [id], project: [] }
      : { service: [], project: [id] },
    { signal: ctx.signal },
  );
  const now = ctx.now();
  const change = compareTicket(ticket, lookup.states, toIso(now));

  return inTransaction(ctx.db, async (trx) => {
    const stored = await loadIncident(trx, job.accountId, ticket.incidentKey, {
      lock: ctx.dialect === 'postgres',
    });
    await recordTicketSeen(trx, job.accountId, ticket.id, change.update, { now });
    const rules = await getRules(trx, job.accountId);

    let before: Incident | undefined;
    let after: Incident | undefined;
    if (stored !== undefined) {
      before = stored.incident;
      after = before;
      const actions: TicketAction[] = [];
      for (const observation of change.observations) {
        // applyTicketObservation always returns an incident for an incident given.
        const result = applyTicketObservation(after, observation, rules, toIso(now));
        after = result.incident ?? after;
        actions.push(...result.actions);
      }
      if (after !== before || actions.length > 0) {
        await writePlan(
          trx,
          {
            accountId: job.accountId,
            companyId: stored.companyId,
            before: new Map([[stored.incidentKey, stored]]),
            incidents: [after],
            actions,
            rules,
            deviceIdOf: () => stored.deviceId,
          },
          now,
        );
      }
    }

    // As after a delivered action: the incident's ticket work got through, so a blocked mark
    // (from an earlier run of this job, or a job before it in its key) no longer holds.
    await setIncidentBlocked(trx, job.accountId, ticket.incidentKey, null);

    const lines = describeChange(ticket, change, {
      rules,
      ...(before !== undefined && { before }),
      ...(after !== undefined && { after }),
    });
    for (const line of lines) {
      await recordActivity(
        trx,
        {
          ...line,
          accountId: job.accountId,
          companyId: ticket.companyId,
          incidentKey: ticket.incidentKey,
          ticketId: ticket.cwTicketId,
          jobId: job.id,
        },
        now,
      );
    }
    if (!(await recordDone(trx, job, ctx.workerId, now))) throw new LeaseLostError(job.id);
    const summary =
      lines.length === 0
        ? `Ticket #${ticket.cwTicketId}: nothing changed in ConnectWise since the poll.`
        : lines.map((line) => line.message).join(' ');
    return {
      summary,
      incidentKey: ticket.incidentKey,
      ticketId: ticket.cwTicketId,
    } satisfies JobOutcome;
  });
};

/** One activity line, without what every line of the job shares. */
type ChangeLine = Pick<ActivityInput, 'kind' | 'level' | 'message'>;

/**
 * The activity lines of a change, saying what happened in ConnectWise and what the bridge does
 * about it (which the incident's state before and after tells).
 */
export function describeChange(
  ticket: TrackedTicket,
  change: TicketChange,
  context: { readonly before?: Incident; readonly after?: Incident; readonly rules: Rules },
): ChangeLine[] {
  const lines: ChangeLine[] = [];
  const { before, after } = context;
  const closeOrReopen = change.observations.some(
    (o) => o.kind === 'closed' || o.kind === 'reopened',
  );
  const status = change.update.statusName === null ? '' : ` (status "${change.update.statusName}")`;
  for (const observation of change.observations) {
    switch (observation.kind) {
      case 'merged':
        lines.push({
          kind: 'tracking.merged',
          level: 'info',
          message: `Ticket #${observation.ticketId} was merged into ticket #${observation.intoTicketId} in ConnectWise; the incident follows #${observation.intoTicketId} from now on.`,
        });
        break;
      case 'deleted':
        lines.push({
          kind: 'tracking.deleted',
          level: 'warn',
          message: `Ticket #${observation.ticketId} no longer exists in ConnectWise (neither a service nor a project ticket); the bridge stops following it, and a problem that goes on gets a new ticket.`,
        });
        break;
      case 'statusChanged':
        if (!closeOrReopen && !change.recordTypeChanged) {
          lines.push({
            kind: 'tracking.status',
            level: 'info',
            message: `Ticket #${observation.ticketId} is now in status "${observation.status}" in ConnectWise (was "${ticket.statusName ?? 'unknown'}").`,
          });
        }
        break;
      case 'closed':
        lines.push(closedLine(observation.ticketId, status, before, after, context.rules));
        break;
      case 'reopened': {
        const reopensIncident = after?.state === 'open' && before?.state !== 'open';
        lines.push({
          kind: 'tracking.reopened',
          level: 'info',
          message: reopensIncident
            ? `Ticket #${observation.ticketId} was reopened in ConnectWise${status}; the incident is open again and the bridge closes the ticket when the backups recover.`
            : `Ticket #${observation.ticketId} was reopened in ConnectWise${status}.`,
        });
        break;
      }
      case 'created':
        break;
    }
  }
  if (change.moved !== null) {
    lines.push({
      kind: 'tracking.moved',
      level: 'info',
      message: `Ticket #${currentTicketId(ticket)} was moved from board "${change.moved.from ?? 'unknown'}" to board "${change.moved.to ?? 'unknown'}" in ConnectWise.`,
    });
  }
  if (change.recordTypeChanged) {
    lines.push({
      kind: 'tracking.converted',
      level: 'info',
      message:
        change.update.recordType === 'project'
          ? `Ticket #${currentTicketId(ticket)} is now a project ticket in ConnectWise${where(change)}; the bridge follows it there.`
          : `Ticket #${currentTicketId(ticket)} is a service ticket again in ConnectWise${where(change)}.`,
    });
  }
  return lines;
}

/** ` (board "X", status "Y")` of the ticket as seen now. */
function where(change: TicketChange): string {
  const parts = [
    ...(change.update.boardName === null ? [] : [`board "${change.update.boardName}"`]),
    ...(change.update.statusName === null ? [] : [`status "${change.update.statusName}"`]),
  ];
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function closedLine(
  ticketId: number,
  status: string,
  before: Incident | undefined,
  after: Incident | undefined,
  rules: Rules,
): ChangeLine {
  if (after?.state === 'closedExternally' && before?.state !== 'closedExternally') {
    const rule = rules.conditions[after.condition];
    const policy =
      rule.closedWhileFailing === 'reopen'
        ? `the next problem within ${rule.reopenWindowHours} hours of the close reopens it; a later one gets a new ticket`
        : rule.closedWhileFailing === 'new'
          ? 'the next problem gets a new ticket'
          : 'the bridge stays quiet while the problem stays the same; a different problem gets a new ticket';
    return {
      kind: 'tracking.closed',
      level: 'warn',
      message: `Ticket #${ticketId} was closed in ConnectWise${status} while the problem goes on. Closed-while-failing policy "${rule.closedWhileFailing}": ${policy}.`,
    };
  }
  if (after?.state === 'resolved' && before?.state === 'recovering') {
    return {
      kind: 'tracking.closed',
      level: 'info',
      message: `Ticket #${ticketId} was closed in ConnectWise${status}; the backups had recovered, so the incident is resolved.`,
    };
  }
  return {
    kind: 'tracking.closed',
    level: 'info',
    message: `Ticket #${ticketId} was closed in ConnectWise${status}.`,
  };
}

function parsePayload(payload: unknown, jobId: string): ObservePayload {
  const value = payload as Partial<ObservePayload> | null;
  if (
    value === null ||
    typeof value !== 'object' ||
    typeof value.incidentKey !== 'string' ||
    typeof value.externalXRef !== 'string' ||
    typeof value.ticketId !== 'number'
  ) {
    throw new DeliveryBlockedError(
      'job_malformed',
      `Job ${jobId} is an observe job without a ticket to look at.`,
      'Nothing can be done with it; it stays blocked for inspection.',
    );
  }
  return { ...value, observations: value.observations ?? [] } as ObservePayload;
}
