/**
 * The backup event of the ingestion contract (`POST /api/v1/events`), as a zod 4 schema.
 *
 * Decisions the contract leaves open, made here once:
 * - Unknown fields are refused, at the top level and inside `device` and `job`. A misspelt
 *   optional field (`mesage`, `job.byte`) would otherwise vanish without a word; the sender learns
 *   of it on the first request instead, and new fields can still be added compatibly later.
 * - Optional fields may be `null`, which means the same as leaving them out. Optional descriptive
 *   texts (`device.name`, `device.os`, `job.*`, `message`) may also be empty, with the same
 *   meaning. `id` may not be empty: it is the duplicate key, and an empty one is a sender bug.
 * - `company`, `device.id` and the short texts are trimmed; `id` and `message` are kept verbatim.
 * - Times are normalised to UTC `YYYY-MM-DDTHH:mm:ss.sssZ` (see `iso-datetime.ts`); the offset the
 *   sender used is not kept. Any year 0000–9999 is accepted: a device with a wrong clock still
 *   reports a real failure, and refusing it would lose the event.
 * - Lengths count characters (Unicode code points), not UTF-16 units or bytes.
 * - No string may contain U+0000: PostgreSQL cannot store it in text, so it would fail later.
 */
import { z } from 'zod';

import { EVENT_TYPES, type EventType } from '../domain/event.js';
import { normalizeIsoDateTime } from './iso-datetime.js';

// The event types are the domain's: one list for the contract, the schema and the rules.
export { EVENT_TYPES, type EventType };

/** Maximum lengths in characters (code points) of the event's text fields. */
export const EVENT_LIMITS = {
  id: 128,
  /** Room for ConnectWise names (50) and identifiers (30) with slack for console spellings. */
  company: 100,
  deviceId: 128,
  deviceName: 200,
  deviceOs: 200,
  jobId: 128,
  jobName: 200,
  jobErrorCode: 128,
  message: 4000,
} as const;

/** The device an event is about; `id` is stable per device and part of the problem's key. */
export interface BackupDevice {
  id: string;
  name?: string;
  os?: string;
}

/** The backup or restore job an event reports on, when there is one. */
export interface BackupJob {
  id?: string;
  name?: string;
  errorCode?: string;
  /** UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  startedAt?: string;
  /** UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`. */
  finishedAt?: string;
  bytes?: number;
  files?: number;
}

/** One validated, normalised event. Absent optional fields are left out, never `undefined`. */
export interface BackupEvent {
  /** The sender's id; a repeat with the same id is accepted once. */
  id?: string;
  type: EventType;
  /** UTC, `YYYY-MM-DDTHH:mm:ss.sssZ`, whatever zone the sender used. */
  occurredAt: string;
  /** The console's company name, trimmed; matched against the ConnectWise Company ID. */
  company: string;
  device: BackupDevice;
  job?: BackupJob;
  message?: string;
}

// Problems of custom checks are phrased to follow the field's path: "device.id is too long".
const NUL_PROBLEM = 'contains a NUL character (\\u0000), which cannot be stored';
const TOO_LONG_PROBLEM = 'is too long';
const BAD_DATE_TIME_PROBLEM = 'is not a valid ISO-8601 date-time with a time zone';

/** Counts code points; UTF-16 length is an upper bound, which makes the common case cheap. */
function fitsChars(max: number): (text: string) => boolean {
  return (text) => {
    if (text.length <= max) return true;
    let count = 0;
    for (const _ of text) if (++count > max) return false;
    return true;
  };
}

const hasNoNul = (text: string): boolean => !text.includes('\u0000');

function requiredText(max: number) {
  return z
    .string()
    .trim()
    .min(1)
    .refine(hasNoNul, { message: NUL_PROBLEM })
    .refine(fitsChars(max), { message: TOO_LONG_PROBLEM });
}

function optionalText(max: number) {
  return z
    .string()
    .trim()
    .refine(hasNoNul, { message: NUL_PROBLEM })
    .refine(fitsChars(max), { message: TOO_LONG_PROBLEM })
    .nullish();
}

const isoDateTime = z
  .string()
  .meta({ format: 'date-time' })
  .transform((text, ctx) => {
    const normalized = normalizeIsoDateTime(text);
    if (normalized !== undefined) return normalized;
    ctx.addIssue({ code: 'custom', message: BAD_DATE_TIME_PROBLEM, input: text });
    return z.NEVER;
  });

// Safe integers only: beyond 2^53 a JSON number no longer says which integer it was.
const count = z.number().int().nonnegative().nullish();

const deviceSchema = z.strictObject({
  id: requiredText(EVENT_LIMITS.deviceId),
  name: optionalText(EVENT_LIMITS.deviceName),
  os: optionalText(EVENT_LIMITS.deviceOs),
});

const jobSchema = z.strictObject({
  id: optionalText(EVENT_LIMITS.jobId),
  name: optionalText(EVENT_LIMITS.jobName),
  errorCode: optionalText(EVENT_LIMITS.jobErrorCode),
  startedAt: isoDateTime.nullish(),
  finishedAt: isoDateTime.nullish(),
  bytes: count,
  files: count,
});

/** The field names each object of the event accepts, keyed by the object's path. */
export const EVENT_FIELDS: Readonly<Record<'' | 'device' | 'job', readonly string[]>> = {
  '': ['id', 'type', 'occurredAt', 'company', 'device', 'job', 'message'],
  device: Object.keys(deviceSchema.shape),
  job: Object.keys(jobSchema.shape),
};

/** Copies the fields that carry a value, so absent ones are missing rather than `undefined`. */
function present<T extends object>(
  fields: T,
): { [K in keyof T]?: Exclude<T[K], null | undefined> } {
  const out: { [K in keyof T]?: Exclude<T[K], null | undefined> } = {};
  for (const key of Object.keys(fields) as (keyof T)[]) {
    const value = fields[key];
    if (value !== undefined && value !== null && value !== '') {
      out[key] = value as Exclude<T[keyof T], null | undefined>;
    }
  }
  return out;
}

/**
 * One event of the ingestion contract. Parsing yields a normalised `BackupEvent`; parse with
 * `{ reportInput: true }` and pass the issues to `describeEventIssues` for messages that show the
 * bad value (or use `validateEvent`, which does both).
 *
 * @example
 * const result = backupEventSchema.safeParse(JSON.parse(line));
 */
export const backupEventSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .refine(hasNoNul, { message: NUL_PROBLEM })
      .refine(fitsChars(EVENT_LIMITS.id), { message: TOO_LONG_PROBLEM })
      .nullish(),
    type: z.enum(EVENT_TYPES),
    occurredAt: isoDateTime,
    company: requiredText(EVENT_LIMITS.company),
    device: deviceSchema,
    job: jobSchema.nullish(),
    message: z
      .string()
      .refine(hasNoNul, { message: NUL_PROBLEM })
      .refine(fitsChars(EVENT_LIMITS.message), { message: TOO_LONG_PROBLEM })
      .nullish(),
  })
  .transform((raw): BackupEvent => {
    const event: BackupEvent = {
      ...present({ id: raw.id }),
      type: raw.type,
      occurredAt: raw.occurredAt,
      company: raw.company,
      device: { id: raw.device.id, ...present({ name: raw.device.name, os: raw.device.os }) },
    };
    if (raw.job) {
      // `-0` is a valid JSON count; store it as 0 so it prints as one.
      const { bytes, files, ...texts } = raw.job;
      const job: BackupJob = present({
        ...texts,
        bytes: typeof bytes === 'number' ? bytes + 0 : bytes,
        files: typeof files === 'number' ? files + 0 : files,
      });
      if (Object.keys(job).length > 0) event.job = job;
    }
    if (raw.message) event.message = raw.message;
    return event;
  });
