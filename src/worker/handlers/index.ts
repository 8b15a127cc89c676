/** The handler of each job kind. */
import { handleObserveJob } from '../../tracking/observe-job.js';
import type { JobKind } from '../jobs.js';
import { handleActionJob } from './action.js';
import type { JobHandler } from './context.js';
import { handleEventJob } from './event.js';
import { handleTickJob } from './tick.js';

export type { HandlerContext, JobHandler, JobOutcome } from './context.js';

/** Which handler runs a job of each kind. */
export const JOB_HANDLERS: Readonly<Record<JobKind, JobHandler>> = {
  event: handleEventJob,
  tick: handleTickJob,
  action: handleActionJob,
  // What ticket tracking saw a technician do, fed to the incident (src/tracking/observe-job.ts).
  observe: handleObserveJob,
};
