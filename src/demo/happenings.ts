/**
 * What the demo tells while it runs: one line per notable happening (a ticket created, noted,
 * closed, reopened or gone; a delivery blocked or retried), from the in-process worker's events.
 * An event names the job and its incident; the details (the ticket's id and summary, the
 * company, the device) are read from what the worker recorded in the same transaction. No line
 * carries a key, token or password.
 */
import type { Kysely } from 'kysely';

import { loadIncident } from '../incidents/index.js';
import type { Database } from '../storage/schema.js';
import { listActivity, listTickets } from '../worker/index.js';
import type { WorkerEvent, WorkerEventListener } from '../worker/events.js';

/** The kinds of happening the demo prints. */
export type HappeningKind =
  'created' | 'noted' | 'closed' | 'reopened' | 'gone' | 'blocked' | 'retrying';

/** One notable happening. */
export interface Happening {
  readonly kind: HappeningKind;
  /** When it was seen, ms since the epoch. */
  readonly at: number;
  readonly ticketId: number | null;
  /** The console company name, as the incident has it. */
  readonly company: string;
  /** The device's name; null for a company's storm ticket. */
  readonly device: string | null;
  /** The ticket's summary, when there is a ticket. */
  readonly summary: string | null;
  /** Why delivery is blocked or retried, and what to do (`blocked`, `retrying`). */
  readonly reason: string | null;
  readonly fix: string | null;
}

/** Options of {@link watchHappenings}. */
export interface WatchHappeningsOptions {
  readonly db: Kysely<Database>;
  readonly onHappening: (happening: Happening) => void;
  /** Receives the events the watcher does not turn into happenings (to log them). */
  readonly onOtherEvent?: WorkerEventListener;
  /** The clock. Default `Date.now`. */
  readonly now?: () => number;
}

/** A running watcher. */
export interface HappeningsWatcher {
  /** Give it to the worker (`startBridge({ onWorkerEvent })`). */
  readonly listener: WorkerEventListener;
  /** Resolves once every event received so far is handled (call before the database closes). */
  settled(): Promise<void>;
}

const ACTIVITY_KINDS: Readonly<Record<string, HappeningKind>> = {
  'ticket.created': 'created',
  'ticket.reconciled': 'created',
  'ticket.noted': 'noted',
  'ticket.closed': 'closed',
  'ticket.reopened': 'reopened',
  'ticket.gone': 'gone',
};

/**
 * Turns worker events into happenings. Events are handled one at a time, in order; a lookup
 * that fails (the database closing at shutdown) drops that happening, never the worker's event.
 *
 * @example
 * const watcher = watchHappenings({ db, onHappening: (h) => print(formatHappening(h, start)) });
 * await startBridge({ …, onWorkerEvent: watcher.listener });
 */
export function watchHappenings(options: WatchHappeningsOptions): HappeningsWatcher {
  const { db } = options;
  const now = options.now ?? Date.now;
  const summaries = new Map<string, string>();
  const told = new Set<string>();
  let chain: Promise<void> = Promise.resolve();

  const ticketSummary = async (accountId: string, ticketId: number): Promise<string | null> => {
    const key = `${accountId}/${ticketId}`;
    if (!summaries.has(key)) {
      for (const ticket of await listTickets(db, accountId, { limit: 1000 })) {
        summaries.set(`${accountId}/${ticket.cwTicketId}`, ticket.summary);
      }
    }
    return summaries.get(key) ?? null;
  };

  const where = async (accountId: string, incidentKey: string) => {
    const stored = await loadIncident(db, accountId, incidentKey);
    const incident = stored?.incident;
    return {
      company: incident?.company ?? companyOfKey(incidentKey),
      device:
        incident?.kind === 'storm' ? null : (incident?.device?.name ?? deviceOfKey(incidentKey)),
    };
  };

  const handle = async (event: WorkerEvent): Promise<void> => {
    if (event.type === 'job.done' && event.kind === 'action' && event.incidentKey !== undefined) {
      const lines = await listActivity(db, event.accountId, {
        incidentKey: event.incidentKey,
        limit: 20,
      });
      const line = lines.find((entry) => entry.jobId === event.jobId);
      const kind = line === undefined ? undefined : ACTIVITY_KINDS[line.kind];
      if (kind === undefined) return;
      const ticketId = line?.ticketId ?? event.ticketId ?? null;
      options.onHappening({
        kind,
        at: now(),
        ticketId,
        ...(await where(event.accountId, event.incidentKey)),
        summary: ticketId === null ? null : await ticketSummary(event.accountId, ticketId),
        reason: null,
        fix: null,
      });
      return;
    }
    if (event.type === 'job.blocked' || event.type === 'job.retry') {
      const incidentKey = incidentKeyOfOrdering(event.orderingKey);
      // A block is told once per incident and cause (a blocked job is re-checked every few
      // minutes), a retry once per job.
      const key =
        event.type === 'job.blocked'
          ? `${event.accountId}/${incidentKey ?? event.jobId}/${event.code}`
          : `${event.accountId}/${event.jobId}/retry`;
      if (told.has(key)) return;
      told.add(key);
      const place =
        incidentKey === null
          ? { company: '(event)', device: null }
          : await where(event.accountId, incidentKey);
      options.onHappening({
        kind: event.type === 'job.blocked' ? 'blocked' : 'retrying',
        at: now(),
        ticketId: null,
        ...place,
        summary: null,
        reason: event.reason,
        fix: event.type === 'job.blocked' ? event.fix : null,
      });
      return;
    }
    if (event.type !== 'job.done' && event.type !== 'manage') options.onOtherEvent?.(event);
  };

  return {
    listener: (event) => {
      chain = chain.then(() => handle(event)).catch(() => undefined);
    },
    settled: () => chain,
  };
}

/**
 * One line for the console, e.g.
 * `+61s  #30012 created   ACME      ACME-FS01: backup failed (Nightly image) – VSS_0x8004230f`.
 *
 * @param startedAt when the demo started, ms since the epoch (lines show the time since).
 */
export function formatHappening(happening: Happening, startedAt: number): string {
  const elapsed = `+${Math.max(0, Math.round((happening.at - startedAt) / 1000))}s`.padEnd(6);
  const company = happening.company.padEnd(9);
  const what =
    happening.ticketId === null
      ? happening.kind.padEnd(16)
      : `#${happening.ticketId} ${happening.kind.padEnd(9)}`;
  const subject =
    happening.summary ?? (happening.device === null ? 'storm ticket' : happening.device);
  switch (happening.kind) {
    case 'blocked':
      return `${elapsed} ${what} ${company} ${subject}: ${happening.reason ?? ''} Fix: ${happening.fix ?? ''}`;
    case 'retrying':
      return `${elapsed} ${what} ${company} ${subject}: ${happening.reason ?? ''}`;
    default:
      return `${elapsed} ${what} ${company} ${subject}`;
  }
}

/** The incident key of an action or tick job's ordering key (`incident:<key>`), else null. */
function incidentKeyOfOrdering(orderingKey: string): string | null {
  return orderingKey.startsWith('incident:') ? orderingKey.slice('incident:'.length) : null;
}

// An incident key is `account/company/condition/device`, each part percent-encoded; the
// company part is normalized (lower case), so it is only a fallback when the incident is gone.
function companyOfKey(incidentKey: string): string {
  return decodeURIComponent(incidentKey.split('/')[1] ?? '');
}

function deviceOfKey(incidentKey: string): string | null {
  const part = incidentKey.split('/')[3];
  return part === undefined || part === '*' ? null : decodeURIComponent(part);
}
