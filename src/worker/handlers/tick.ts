/**
 * `tick` jobs: time passing for one incident at its `nextDueAt` (`applyTick`): a ticket held
 * for a possible storm is created once the hold ends, and repeats counted since the last note
 * are written as one note once the note interval has passed. Calling it early or late is
 * harmless; an early tick (another process's clock ahead) schedules itself again.
 */
import { applyTick } from '../../domain/index.js';
import { loadIncident } from '../../incidents/index.js';
import { toIso } from '../../storage/columns.js';
import { inTransaction } from '../../storage/transaction.js';
import { recordActivity } from '../activity.js';
import { DeliveryBlockedError, LeaseLostError } from '../errors.js';
import type { TickPayload } from '../jobs.js';
import { recordDone } from '../record.js';
import { loadCompany, rulesForCompany } from './company-rules.js';
import type { JobHandler, JobOutcome } from './context.js';
import { writePlan } from './plan-writer.js';

export const handleTickJob: JobHandler = async (ctx, job) => {
  const payload = job.payload as Partial<TickPayload> | null;
  const incidentKey = payload?.incidentKey;
  if (typeof incidentKey !== 'string') {
    throw new DeliveryBlockedError(
      'job_malformed',
      `Job ${job.id} is a tick without an incident key.`,
      'Nothing can be done with it; it stays blocked for inspection.',
    );
  }
  const now = ctx.now();
  const nowIso = toIso(now);
  const before = await loadIncident(ctx.db, job.accountId, incidentKey);
  const company =
    before === undefined ? undefined : await loadCompany(ctx.db, job.accountId, before.companyId);
  const rules = await rulesForCompany(ctx.db, job.accountId, company);

  return inTransaction(ctx.db, async (trx) => {
    const stored = await loadIncident(trx, job.accountId, incidentKey, {
      lock: ctx.dialect === 'postgres',
    });
    let summary = `Tick for ${incidentKey}: the incident is gone; nothing to do.`;
    if (stored !== undefined) {
      const result = applyTick(stored.incident, rules, nowIso);
      const changed = result.incident !== undefined && result.incident !== stored.incident;
      // Only the tick queued for the stored due time keeps the chain going; one left over from
      // before the due time moved ends here (the moved time has its own tick).
      const current = payload?.dueAt === stored.nextDueAt;
      const early = stored.nextDueAt !== null && nowIso < stored.nextDueAt;
      if (changed || (current && early)) {
        await writePlan(
          trx,
          {
            accountId: job.accountId,
            companyId: stored.companyId,
            before: new Map([[stored.incidentKey, stored]]),
            incidents: result.incident === undefined ? [] : [result.incident],
            actions: result.actions,
            rules,
            deviceIdOf: () => stored.deviceId,
            // This tick was the one for the due time, so the next due time needs a tick of its
            // own even when it did not move (an early run asks again then).
            forceTick: current,
          },
          now,
        );
      }
      summary =
        result.actions.length > 0
          ? `Time passed for ${incidentKey}: ${result.actions.map((a) => a.kind).join(', ')} queued.`
          : `Tick for ${incidentKey}: nothing was due.`;
      if (result.actions.length > 0) {
        await recordActivity(
          trx,
          {
            accountId: job.accountId,
            kind: 'tick',
            level: 'info',
            message: summary,
            companyId: stored.companyId,
            incidentKey,
            jobId: job.id,
          },
          now,
        );
      }
    }
    if (!(await recordDone(trx, job, ctx.workerId, now))) throw new LeaseLostError(job.id);
    return { summary, incidentKey } satisfies JobOutcome;
  });
};
