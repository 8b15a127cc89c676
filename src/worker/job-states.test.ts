import { describe, expect, it } from 'vitest';

import {
  JOB_STATES,
  JOB_TRANSITIONS,
  JobTransitionError,
  assertJobTransition,
} from './job-states.js';

describe('job transitions', () => {
  it('lets a queued job only be claimed', () => {
    expect(JOB_TRANSITIONS.queued).toEqual(['running']);
    expect(() => assertJobTransition('queued', 'done', 'job_x')).toThrow(JobTransitionError);
  });

  it('lets a running job finish, retry, block or be taken over', () => {
    for (const to of ['done', 'queued', 'blocked', 'running'] as const) {
      expect(() => assertJobTransition('running', to, 'job_x')).not.toThrow();
    }
  });

  it('never moves a done job again', () => {
    for (const to of JOB_STATES) {
      expect(() => assertJobTransition('done', to, 'job_x')).toThrow(/cannot go from "done"/);
    }
  });

  it('lets a blocked job only go back to the queue', () => {
    expect(JOB_TRANSITIONS.blocked).toEqual(['queued']);
    expect(() => assertJobTransition('blocked', 'running', 'job_x')).toThrow(JobTransitionError);
  });
});
