/**
 * Validation of one event, with messages a sender can act on without reading our source.
 *
 * zod's own messages ("Invalid input: expected string, received number") name neither the field's
 * meaning nor its limits. Each problem here says which field, what was wrong, what is expected and
 * what was sent (truncated), e.g. `device.id is missing: expected a stable device id of 1 to 128
 * characters`. Nothing here recurses into the sent value, so a deeply nested body cannot overflow
 * the stack.
 */
import type { z } from 'zod';

import { ISO_DATE_TIME_EXPECTATION } from './iso-datetime.js';
import {
  backupEventSchema,
  EVENT_FIELDS,
  EVENT_LIMITS,
  EVENT_TYPES,
  type BackupEvent,
} from './event-schema.js';

/** One problem of one event: the field's dotted path (`''` for the event itself) and a message. */
export interface EventFieldError {
  path: string;
  message: string;
}

export type EventValidation =
  | { ok: true; event: BackupEvent }
  | {
      ok: false;
      /** At most `maxErrors` problems, in field order. */
      errors: EventFieldError[];
      /** How many problems there were in all, including those not listed. */
      errorCount: number;
    };

const chars = (max: number): string => `of 1 to ${max.toLocaleString('en-US')} characters`;
const upTo = (max: number): string => `of at most ${max.toLocaleString('en-US')} characters`;

// What each field should hold, in words. Keys are dotted paths as `pathOf` builds them.
const EXPECTED: Readonly<Record<string, string>> = {
  '': 'a JSON object with at least type, occurredAt, company and device',
  id: `a string ${chars(EVENT_LIMITS.id)}, unique per event, or no id at all`,
  type: `one of ${EVENT_TYPES.join(', ')}`,
  occurredAt: ISO_DATE_TIME_EXPECTATION,
  company: `the company name as the backup console shows it (the ConnectWise Company ID), ${chars(EVENT_LIMITS.company)}`,
  device: 'an object with id, and optionally name and os',
  'device.id': `a stable device id ${chars(EVENT_LIMITS.deviceId)}`,
  'device.name': `a string ${upTo(EVENT_LIMITS.deviceName)}`,
  'device.os': `a string ${upTo(EVENT_LIMITS.deviceOs)}`,
  job: `an object with any of ${EVENT_FIELDS.job.join(', ')}, or no job at all`,
  'job.id': `a string ${upTo(EVENT_LIMITS.jobId)}`,
  'job.name': `a string ${upTo(EVENT_LIMITS.jobName)}`,
  'job.errorCode': `a string ${upTo(EVENT_LIMITS.jobErrorCode)}`,
  'job.startedAt': ISO_DATE_TIME_EXPECTATION,
  'job.finishedAt': ISO_DATE_TIME_EXPECTATION,
  'job.bytes': 'a whole number of bytes, 0 or more',
  'job.files': 'a whole number of files, 0 or more',
  message: `a string ${upTo(EVENT_LIMITS.message)}`,
};

const PREVIEW_CHARS = 40;

/**
 * Shows a sent value briefly: strings quoted and cut to 40 characters, arrays and objects by
 * their size and first keys, never by walking into them.
 */
export function previewValue(value: unknown): string {
  if (typeof value === 'string') {
    // 80 UTF-16 units always hold at least 40 code points; the rest is counted, not copied.
    const head = Array.from(value.slice(0, PREVIEW_CHARS * 2))
      .slice(0, PREVIEW_CHARS)
      .join('');
    if (head.length === value.length) return JSON.stringify(value);
    let total = 0;
    for (const _ of value) total++;
    return `${JSON.stringify(head)}… (${total.toLocaleString('en-US')} characters)`;
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return 'an empty array';
    return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    const shown = keys
      .slice(0, 5)
      .map((key) => previewValue(key))
      .join(', ');
    return `an object with keys ${shown}${keys.length > 5 ? `, … (${keys.length} keys)` : ''}`;
  }
  return 'nothing';
}

/** Edit distance for short words only; used to suggest a field or type the sender meant. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The one option closest to `sent` (ignoring case), if it is close enough to be a typo. */
export function closestOption(sent: string, options: readonly string[]): string | undefined {
  if (sent.length === 0 || sent.length > 64) return undefined;
  const lower = sent.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(sent.length / 3)) + 1;
  for (const option of options) {
    const d = distance(lower, option.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [option, d];
  }
  return best;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

function subjectOf(path: string): string {
  return path === '' ? 'the event' : path;
}

function problemOf(issue: z.core.$ZodIssue, input: unknown): string {
  // Whatever the check that failed (a type, an enum), a field left out is reported as missing.
  if (input === undefined && issue.code !== 'custom') return 'is missing';
  switch (issue.code) {
    case 'invalid_type':
      if (issue.path.length === 0) return 'is not a JSON object';
      if (issue.expected === 'int') return 'is not a whole number';
      return 'has the wrong type';
    case 'too_small':
      return issue.origin === 'string' ? 'is empty' : 'is negative';
    case 'too_big':
      return 'is too large';
    case 'invalid_value':
      return pathOf(issue.path) === 'type' ? 'is not a known event type' : 'is not allowed';
    case 'custom':
      return issue.message;
    default:
      return 'is not valid';
  }
}

function messageFor(issue: z.core.$ZodIssue): string {
  const path = pathOf(issue.path);
  const input = issue.input;
  const problem = problemOf(issue, input);
  let text = `${subjectOf(path)} ${problem}: expected ${EXPECTED[path] ?? 'a valid value'}`;
  if (input !== undefined) text += `, got ${previewValue(input)}`;
  if (issue.code === 'invalid_value' && typeof input === 'string') {
    const meant = closestOption(input, issue.values.map(String));
    if (meant !== undefined) text += ` (did you mean "${meant}"?)`;
  }
  return text;
}

/**
 * Turns zod issues of `backupEventSchema` into field errors. Unknown fields are listed one by
 * one, each with its own path and, when it looks like a typo, the field that was probably meant.
 *
 * @param maxErrors how many errors to build at most (default 100); the count covers all of them.
 */
export function describeEventIssues(
  issues: readonly z.core.$ZodIssue[],
  maxErrors = 100,
): { errors: EventFieldError[]; errorCount: number } {
  const errors: EventFieldError[] = [];
  let errorCount = 0;
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') {
      errorCount++;
      if (errors.length < maxErrors) {
        errors.push({ path: pathOf(issue.path), message: messageFor(issue) });
      }
      continue;
    }

    // One error per unknown key, so each gets its own path (`device.serial`).
    const parent = pathOf(issue.path);
    const known = EVENT_FIELDS[parent as keyof typeof EVENT_FIELDS] ?? [];
    errorCount += issue.keys.length;
    for (const key of issue.keys.slice(0, Math.max(0, maxErrors - errors.length))) {
      const path = parent === '' ? key : `${parent}.${key}`;
      const meant = closestOption(key, known);
      errors.push({
        path,
        message:
          `${previewValue(key)} is not a known field of ${subjectOf(parent)}: expected only ${known.join(', ')}` +
          (meant === undefined ? '' : ` (did you mean "${meant}"?)`),
      });
    }
  }
  return { errors, errorCount };
}

/**
 * Validates and normalises one event.
 *
 * @param value the parsed JSON of one event
 * @param maxErrors how many errors to describe at most (default 100)
 * @example
 * const result = validateEvent(JSON.parse(text));
 * if (!result.ok) console.error(result.errors.map((e) => e.message).join('\n'));
 */
export function validateEvent(value: unknown, maxErrors = 100): EventValidation {
  const parsed = backupEventSchema.safeParse(value, { reportInput: true });
  if (parsed.success) return { ok: true, event: parsed.data };
  return { ok: false, ...describeEventIssues(parsed.error.issues, maxErrors) };
}
