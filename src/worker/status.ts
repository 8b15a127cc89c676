/**
 * What the console's delivery panel shows: how many jobs wait, run and are blocked, and each
 * blocked one with its reason and fix.
 */
import type { Kysely } from 'kysely';

import type { Database } from '../storage/schema.js';
import type { ActionPayload, TickPayload } from './jobs.js';
import { parseJobFailure } from './record.js';

/** One blocked job. */
export interface BlockedDelivery {
  readonly jobId: string;
  readonly kind: string;
  /** The incident it is about, when it is about one. */
  readonly incidentKey: string | null;
  /** The ticket action (`create`, `note`, `close`, `reopen`) for an action job. */
  readonly action: string | null;
  readonly code: string | null;
  readonly reason: string;
  readonly fix: string | null;
  readonly attempts: number;
  /** When it was blocked (ISO-8601). */
  readonly since: string;
  /** Jobs of the same ordering key waiting behind it. */
  readonly waiting: number;
}

/** The account's delivery at a glance. */
export interface DeliveryStatus {
  readonly queued: number;
  readonly running: number;
  readonly blocked: number;
  readonly dead: number;
  /** Oldest first; at most `limit`. */
  readonly blockedJobs: BlockedDelivery[];
}

/**
 * Counts and blocked jobs of one account.
 *
 * @param options.limit most blocked jobs listed. Default 100.
 */
export async function deliveryStatus(
  db: Kysely<Database>,
  accountId: string,
  options: { readonly limit?: number } = {},
): Promise<DeliveryStatus> {
  const counts = await db
    .selectFrom('jobs')
    .select(['state', (eb) => eb.fn.countAll<number>().as('count')])
    .where('account_id', '=', accountId)
    .where('state', 'in', ['queued', 'running', 'blocked', 'dead'])
    .groupBy('state')
    .execute();
  const count = (state: string): number =>
    Number(counts.find((row) => row.state === state)?.count ?? 0);

  const rows = await db
    .selectFrom('jobs as j')
    .select([
      'j.id',
      'j.kind',
      'j.ordering_key',
      'j.payload',
      'j.attempts',
      'j.last_error',
      'j.updated_at',
      (eb) =>
        eb
          .selectFrom('jobs as w')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('w.ordering_key', '=', 'j.ordering_key')
          .where('w.state', '=', 'queued')
          .as('waiting'),
    ])
    .where('j.account_id', '=', accountId)
    .where('j.state', '=', 'blocked')
    .orderBy('j.id')
    .limit(options.limit ?? 100)
    .execute();

  return {
    queued: count('queued'),
    running: count('running'),
    blocked: count('blocked'),
    dead: count('dead'),
    blockedJobs: rows.map((row) => {
      const failure = parseJobFailure(row.last_error);
      const payload = safeParse(row.payload);
      return {
        jobId: row.id,
        kind: row.kind,
        incidentKey: incidentKeyOf(row.kind, payload),
        action:
          row.kind === 'action' ? ((payload as ActionPayload | null)?.action?.kind ?? null) : null,
        code: failure?.code ?? null,
        reason: failure?.reason ?? 'blocked',
        fix: failure?.fix ?? null,
        attempts: row.attempts,
        since: row.updated_at,
        waiting: Number(row.waiting ?? 0),
      };
    }),
  };
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function incidentKeyOf(kind: string, payload: unknown): string | null {
  if (payload === null || typeof payload !== 'object') return null;
  if (kind === 'action') return (payload as ActionPayload).action?.incidentKey ?? null;
  // A tick's and an observe job's (src/tracking) payloads name their incident alike.
  if (kind === 'tick' || kind === 'observe') return (payload as TickPayload).incidentKey ?? null;
  return null;
}
