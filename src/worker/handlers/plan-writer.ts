/**
 * Writing what the domain decided, in the caller's transaction: every changed incident, one
 * `action` job per ticket action (in order, on the incident's ordering key), and a `tick` job
 * whenever an incident's next due time moves.
 */
import type { Kysely } from 'kysely';

import { nextDueAt, type Incident, type Rules, type TicketAction } from '../../domain/index.js';
import { saveIncident, type StoredIncident } from '../../incidents/index.js';
import { toIso } from '../../storage/columns.js';
import type { Database } from '../../storage/schema.js';
import {
  companyOrderingKey,
  enqueueJob,
  incidentOrderingKey,
  type ActionPayload,
  type TickPayload,
} from '../jobs.js';

/** What {@link writePlan} writes. */
export interface PlanToWrite {
  readonly accountId: string;
  /** `companies.id` of the incidents' company. */
  readonly companyId: string;
  /** The incidents as loaded, by key (to keep their device and see whether the due time moved). */
  readonly before: ReadonlyMap<string, StoredIncident>;
  readonly incidents: readonly Incident[];
  readonly actions: readonly TicketAction[];
  readonly rules: Readonly<Rules>;
  /** `devices.id` of a new device incident (one not in `before`). */
  readonly deviceIdOf: (incident: Incident) => string | null;
  /** Enqueue a tick at the due time even when it did not move (the tick ran too early). */
  readonly forceTick?: boolean;
}

/** What was enqueued. */
export interface WrittenPlan {
  readonly actionJobIds: string[];
  readonly tickJobIds: string[];
}

/** Persists a plan; call it inside the transaction that loaded the incidents with a lock. */
export async function writePlan(
  trx: Kysely<Database>,
  plan: PlanToWrite,
  now: Date,
): Promise<WrittenPlan> {
  const tickJobIds: string[] = [];
  for (const incident of plan.incidents) {
    const stored = plan.before.get(incident.incidentKey);
    const due = nextDueAt(incident, plan.rules);
    await saveIncident(
      trx,
      plan.accountId,
      {
        incident,
        companyId: stored?.companyId ?? plan.companyId,
        deviceId: stored === undefined ? plan.deviceIdOf(incident) : stored.deviceId,
        nextDueAt: due,
      },
      now,
    );
    // A tick is already queued for an unchanged due time; a moved one needs its own.
    if (due !== null && (due !== stored?.nextDueAt || plan.forceTick === true)) {
      const payload: TickPayload = { incidentKey: incident.incidentKey, dueAt: due };
      const dueMs = Date.parse(due);
      tickJobIds.push(
        await enqueueJob(
          trx,
          {
            accountId: plan.accountId,
            kind: 'tick',
            orderingKey: companyOrderingKey(stored?.companyId ?? plan.companyId),
            payload,
            runAfter: toIso(new Date(Math.max(dueMs, now.getTime()))),
            placement: { atMs: dueMs },
          },
          now,
        ),
      );
    }
  }

  const actionJobIds: string[] = [];
  for (const action of plan.actions) {
    const companyId = plan.before.get(action.incidentKey)?.companyId ?? plan.companyId;
    const payload: ActionPayload = { action, companyId };
    actionJobIds.push(
      await enqueueJob(
        trx,
        {
          accountId: plan.accountId,
          kind: 'action',
          orderingKey: incidentOrderingKey(action.incidentKey),
          payload,
          runAfter: toIso(now),
        },
        now,
      ),
    );
  }
  return { actionJobIds, tickJobIds };
}
