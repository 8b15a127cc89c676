/**
 * Builders for tests of the domain and of the parts that use it (worker, storage): realistic
 * events and rules without repeating every field. Not used by production code.
 */
import type { DomainEvent, EventType } from './event.js';
import { resolveRules } from './rules.js';
import type { Rules } from './rules.js';

/** The instant `minutes` after 2026-12-03T10:00:00Z, the tests' time origin. */
export function minutesAfterStart(minutes: number): string {
  return new Date(Date.UTC(2026, 11, 3, 10, 0, 0) + minutes * 60_000).toISOString();
}

/** Options of `testEvent`; every field has a default. */
export interface TestEventOptions {
  /** Minutes after the origin; default 0. */
  at?: number;
  accountId?: string;
  /** Default `ACME`. */
  company?: string;
  /** Default `dev-42`. */
  deviceId?: string;
  /** Default `ACME-FS01` for `dev-42`, else the device id in upper case. */
  deviceName?: string;
  errorCode?: string;
  message?: string;
  jobId?: string;
  bytes?: number;
  files?: number;
  /** Default: a fresh `evt-N`. */
  eventId?: string;
}

let counter = 0;

/** A stored event of `type` with defaults for everything else. */
export function testEvent(type: EventType, options: TestEventOptions = {}): DomainEvent {
  counter += 1;
  const at = minutesAfterStart(options.at ?? 0);
  const deviceId = options.deviceId ?? 'dev-42';
  const job: NonNullable<DomainEvent['job']> = {
    id: options.jobId ?? `job-${counter}`,
    name: 'Nightly',
    startedAt: minutesAfterStart((options.at ?? 0) - 20),
    finishedAt: at,
  };
  if (options.errorCode !== undefined) job.errorCode = options.errorCode;
  if (options.bytes !== undefined) job.bytes = options.bytes;
  if (options.files !== undefined) job.files = options.files;
  const event: DomainEvent = {
    eventId: options.eventId ?? `evt-${counter}`,
    accountId: options.accountId ?? 'acct-1',
    receivedAt: at,
    type,
    occurredAt: at,
    company: options.company ?? 'ACME',
    device: {
      id: deviceId,
      name: options.deviceName ?? (deviceId === 'dev-42' ? 'ACME-FS01' : deviceId.toUpperCase()),
      os: 'Windows Server 2022',
    },
    job,
  };
  if (options.message !== undefined) event.message = options.message;
  return event;
}

/** `DEFAULT_RULES` with an override merged in (validated like an admin's). */
export function testRules(override: unknown = {}): Rules {
  return resolveRules(override);
}
