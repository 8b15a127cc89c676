/**
 * `event` jobs: one stored event applied to its company's incidents with storm roll-up
 * (`planStorm`), and everything the domain decided written in one transaction with the job's
 * `done`: the incidents, their ticket actions as `action` jobs, their next ticks, an activity
 * line. Applying an event twice changes nothing (the domain remembers applied event ids), and
 * the transaction makes the job's effect all or nothing.
 */
import type { Kysely } from 'kysely';

import {
  EVENT_TYPE_INFO,
  incidentKeyOfEvent,
  isEventType,
  planStorm,
  stormKeyOf,
  type DomainEvent,
  type EventJob,
  type Incident,
  type StormPlan,
} from '../../domain/index.js';
import { loadCompanyIncidents } from '../../incidents/index.js';
import { fromJsonText, toIso } from '../../storage/columns.js';
import type { Database } from '../../storage/schema.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordActivity } from '../activity.js';
import { DeliveryBlockedError, LeaseLostError } from '../errors.js';
import { recordDone } from '../record.js';
import { loadCompany, rulesForCompany } from './company-rules.js';
import type { HandlerContext, JobHandler, JobOutcome } from './context.js';
import { writePlan } from './plan-writer.js';

/** A stored event with what the domain needs from its company and device rows. */
interface LoadedEvent {
  readonly event: DomainEvent;
  readonly companyId: string;
  readonly deviceId: string;
}

export const handleEventJob: JobHandler = async (ctx, job) => {
  if (job.eventId === null) {
    throw new DeliveryBlockedError(
      'job_malformed',
      `Job ${job.id} is an event job without an event.`,
      'Nothing can be done with it; it stays blocked for inspection.',
    );
  }
  const now = ctx.now();
  const loaded = await loadEvent(ctx.db, job.accountId, job.eventId);
  if (loaded === undefined) return finishWithoutEvent(ctx, job.id, job.accountId, job.eventId, now);
  const { event, companyId } = loaded;
  const company = await loadCompany(ctx.db, job.accountId, companyId);
  const rules = await rulesForCompany(ctx.db, job.accountId, company);

  const condition = EVENT_TYPE_INFO[event.type].condition;
  const deviceKey = incidentKeyOfEvent(event);
  const stormKey = stormKeyOf({ accountId: event.accountId, company: event.company, condition });
  return inTransaction(ctx.db, async (trx) => {
    // Load, decide, write: one transaction, the rows locked on PostgreSQL, so a ticket
    // observation landing meanwhile waits instead of being overwritten.
    const stored = await loadCompanyIncidents(
      trx,
      job.accountId,
      companyId,
      condition,
      [deviceKey, stormKey],
      { lock: ctx.dialect === 'postgres' },
    );
    const plan = planStorm(
      stored.map((row) => row.incident),
      event,
      rules,
      toIso(now),
    );
    await writePlan(
      trx,
      {
        accountId: job.accountId,
        companyId,
        before: new Map(stored.map((row) => [row.incidentKey, row])),
        incidents: plan.incidents,
        actions: plan.actions,
        rules,
        deviceIdOf: (incident: Incident) =>
          incident.kind === 'device' && incident.incidentKey === deviceKey ? loaded.deviceId : null,
      },
      now,
    );

    const summary = describePlan(event, plan, deviceKey);
    await recordActivity(
      trx,
      {
        accountId: job.accountId,
        kind: 'event',
        level: 'info',
        message: summary,
        companyId,
        incidentKey: deviceKey,
        eventId: event.eventId,
        jobId: job.id,
      },
      now,
    );
    if (!(await recordDone(trx, job, ctx.workerId, now))) throw new LeaseLostError(job.id);
    return { summary, incidentKey: deviceKey } satisfies JobOutcome;
  });
};

/** Reads the event with its company's name, as the domain's `DomainEvent`. */
async function loadEvent(
  db: Kysely<Database>,
  accountId: string,
  eventId: string,
): Promise<LoadedEvent | undefined> {
  const row = await db
    .selectFrom('events')
    .innerJoin('companies', 'companies.id', 'events.company_id')
    .select([
      'events.id',
      'events.type',
      'events.occurred_at',
      'events.received_at',
      'events.payload',
      'events.company_id',
      'events.device_id',
      'companies.name as company_name',
    ])
    .where('events.account_id', '=', accountId)
    .where('events.id', '=', eventId)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  if (!isEventType(row.type)) {
    throw new DeliveryBlockedError(
      'event_unknown_type',
      `Event ${eventId} has type "${row.type}", which this version does not know.`,
      'Upgrade the worker to the version that stored the event, then retry.',
    );
  }
  const body = asRecord(fromJsonText(row.payload));
  const device = asRecord(body.device);
  const message = text(body.message);
  const job = jobOf(body.job);
  const event: DomainEvent = {
    type: row.type,
    occurredAt: row.occurred_at,
    // The registered name, not the event's spelling: one company, one set of incidents.
    company: row.company_name,
    device: {
      id: text(device.id) ?? row.device_id,
      ...optional('name', text(device.name)),
      ...optional('os', text(device.os)),
    },
    ...optional('id', text(body.id)),
    ...optional('job', job),
    ...optional('message', message),
    eventId: row.id,
    receivedAt: row.received_at,
    accountId,
  };
  return { event, companyId: row.company_id, deviceId: row.device_id };
}

// Stored payloads are the validated event; absent and null fields both mean "not given".
function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

function jobOf(value: unknown): EventJob | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const raw = value as Record<string, unknown>;
  const job: EventJob = {
    ...optional('id', text(raw.id)),
    ...optional('name', text(raw.name)),
    ...optional('errorCode', text(raw.errorCode)),
    ...optional('startedAt', text(raw.startedAt)),
    ...optional('finishedAt', text(raw.finishedAt)),
    ...optional('bytes', typeof raw.bytes === 'number' ? raw.bytes : undefined),
    ...optional('files', typeof raw.files === 'number' ? raw.files : undefined),
  };
  return Object.keys(job).length === 0 ? undefined : job;
}

async function finishWithoutEvent(
  ctx: HandlerContext,
  jobId: string,
  accountId: string,
  eventId: string,
  now: Date,
): Promise<JobOutcome> {
  const summary = `Event ${eventId} is no longer stored (its account or company was deleted); nothing to do.`;
  await inTransaction(ctx.db, async (trx) => {
    await recordActivity(
      trx,
      { accountId, kind: 'event', level: 'warn', message: summary, eventId: null, jobId },
      now,
    );
    if (!(await recordDone(trx, { id: jobId }, ctx.workerId, now))) throw new LeaseLostError(jobId);
  });
  return { summary };
}

/** One line for the activity log: what the event was and what it led to. */
export function describePlan(event: DomainEvent, plan: StormPlan, deviceKey: string): string {
  const device = event.device.name ?? event.device.id;
  const head = `${event.type} for ${device} (${event.company})`;
  switch (plan.effect) {
    case 'duplicate':
      return `${head}: already applied; nothing to do.`;
    case 'ignored':
      return `${head}: makes no ticket (the rules ignore this type, or nothing was open).`;
    case 'late':
      return `${head}: older than what the incident has seen; kept as evidence only.`;
    case 'applied':
      break;
  }
  if (plan.actions.length > 0) {
    const kinds = plan.actions.map((action) => ACTION_WORDS[action.kind]);
    return `${head}: ${[...new Set(kinds)].join(', ')} queued.`;
  }
  const incident = plan.incidents.find((candidate) => candidate.incidentKey === deviceKey);
  return `${head}: ${STATE_WORDS[incident?.state ?? 'pending']}.`;
}

const ACTION_WORDS = {
  create: 'ticket create',
  note: 'note',
  close: 'close with the resolution note',
  reopen: 'reopen',
} as const;

const STATE_WORDS: Readonly<Record<Incident['state'], string>> = {
  pending: 'counted; no ticket yet (below the threshold, or held for a possible storm)',
  open: 'counted into the next note on the open ticket',
  recovering: 'recovery counted; the ticket closes after enough successes in a row',
  resolved: 'the problem is over',
  closedExternally: 'the ticket was closed by a technician; counted',
  suppressed: 'no ticket (ticketing is off for the company, or quiet after a technician closed it)',
  rolledUp: "carried by the company's storm ticket",
};
