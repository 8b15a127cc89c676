import { describe, expect, it } from 'vitest';
import { z } from 'zod';

import { backupEventSchema, EVENT_LIMITS, EVENT_TYPES } from './event-schema.js';
import {
  closestOption,
  describeEventIssues,
  previewValue,
  validateEvent,
  type EventFieldError,
} from './event-validation.js';

// The example of the ingestion contract, verbatim.
const CONTRACT_EXAMPLE = {
  id: 'optional client id, at most 128 characters; a repeat with the same id is accepted once',
  type: 'backup.failed',
  occurredAt: '2026-12-03T10:00:00Z',
  company: 'ACME',
  device: { id: 'dev-42', name: 'ACME-FS01', os: 'Windows Server 2022' },
  job: {
    id: 'job-9',
    name: 'Nightly',
    errorCode: 'VSS_0x8004230f',
    startedAt: '2026-12-03T09:00:00Z',
    finishedAt: '2026-12-03T09:20:00Z',
    bytes: 1048576,
    files: 120,
  },
  message: 'optional human text, at most 4,000 characters',
};

const MINIMAL = {
  type: 'backup.failed',
  occurredAt: '2026-12-03T10:00:00Z',
  company: 'ACME',
  device: { id: 'dev-42' },
};

function errorsOf(value: unknown): EventFieldError[] {
  const result = validateEvent(value);
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result.event)}`);
  return result.errors;
}

function onlyError(value: unknown): EventFieldError {
  const errors = errorsOf(value);
  expect(errors).toHaveLength(1);
  return errors[0] as EventFieldError;
}

describe('validateEvent accepts', () => {
  it('the contract example, with times in the normalised UTC form', () => {
    const result = validateEvent(CONTRACT_EXAMPLE);
    expect(result).toEqual({
      ok: true,
      event: {
        ...CONTRACT_EXAMPLE,
        occurredAt: '2026-12-03T10:00:00.000Z',
        job: {
          ...CONTRACT_EXAMPLE.job,
          startedAt: '2026-12-03T09:00:00.000Z',
          finishedAt: '2026-12-03T09:20:00.000Z',
        },
      },
    });
  });

  it('an event with only the required fields, adding no keys of its own', () => {
    const result = validateEvent(MINIMAL);
    expect(result.ok && Object.keys(result.event)).toEqual([
      'type',
      'occurredAt',
      'company',
      'device',
    ]);
    expect(result.ok && Object.keys(result.event.device)).toEqual(['id']);
  });

  it.each(EVENT_TYPES)('the event type %s', (type) => {
    const result = validateEvent({ ...MINIMAL, type });
    expect(result.ok && result.event.type).toBe(type);
  });

  it('null and empty optional fields as absent ones, dropping a job left empty', () => {
    const result = validateEvent({
      ...MINIMAL,
      id: null,
      device: { id: 'dev-42', name: '', os: null },
      job: { id: '  ', name: null, startedAt: null, bytes: null },
      message: '',
    });
    expect(result).toEqual({
      ok: true,
      event: { ...MINIMAL, occurredAt: '2026-12-03T10:00:00.000Z' },
    });
  });

  it('a null job as no job', () => {
    const result = validateEvent({ ...MINIMAL, job: null });
    expect(result.ok && 'job' in result.event).toBe(false);
  });

  it('company, device and job texts trimmed, but id and message verbatim', () => {
    const result = validateEvent({
      ...MINIMAL,
      id: ' e-1 ',
      company: '  ACME \t',
      device: { id: ' dev-42 ', name: ' FS01 ' },
      job: { errorCode: ' E1 ' },
      message: '  line one\nline two\n',
    });
    expect(result.ok && result.event).toMatchObject({
      id: ' e-1 ',
      company: 'ACME',
      device: { id: 'dev-42', name: 'FS01' },
      job: { errorCode: 'E1' },
      message: '  line one\nline two\n',
    });
  });

  it('zero counts, and -0 stored as 0', () => {
    const result = validateEvent({ ...MINIMAL, job: { bytes: -0, files: 0 } });
    expect(result.ok && Object.is(result.event.job?.bytes, 0)).toBe(true);
    expect(result.ok && result.event.job?.files).toBe(0);
  });

  it('counts up to the largest safe integer', () => {
    const result = validateEvent({ ...MINIMAL, job: { bytes: Number.MAX_SAFE_INTEGER } });
    expect(result.ok && result.event.job?.bytes).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('lengths counted in characters, so 100 emoji make a valid company name', () => {
    const emoji = '🏢'.repeat(EVENT_LIMITS.company);
    expect(emoji.length).toBe(2 * EVENT_LIMITS.company);
    expect(validateEvent({ ...MINIMAL, company: emoji }).ok).toBe(true);
    expect(validateEvent({ ...MINIMAL, company: `${emoji}🏢` }).ok).toBe(false);
  });

  it('texts at their exact limits', () => {
    const result = validateEvent({
      ...MINIMAL,
      id: 'i'.repeat(EVENT_LIMITS.id),
      device: { id: 'd'.repeat(EVENT_LIMITS.deviceId), name: 'n'.repeat(EVENT_LIMITS.deviceName) },
      message: 'm'.repeat(EVENT_LIMITS.message),
    });
    expect(result.ok).toBe(true);
  });
});

describe('validateEvent refuses, saying which field, what is wrong and what is expected', () => {
  it.each(['type', 'occurredAt', 'company', 'device'])('a missing %s', (field) => {
    const event: Record<string, unknown> = { ...MINIMAL };
    delete event[field];
    const error = onlyError(event);
    expect(error.path).toBe(field);
    expect(error.message).toMatch(new RegExp(`^${field} is missing: expected `));
    expect(error.message).not.toContain('got');
  });

  it('a missing device id', () => {
    expect(onlyError({ ...MINIMAL, device: {} })).toEqual({
      path: 'device.id',
      message: 'device.id is missing: expected a stable device id of 1 to 128 characters',
    });
  });

  it('an unknown event type, suggesting the one probably meant', () => {
    const error = onlyError({ ...MINIMAL, type: 'backup.fail' });
    expect(error.path).toBe('type');
    expect(error.message).toContain('is not a known event type: expected one of backup.failed,');
    expect(error.message).toContain('got "backup.fail" (did you mean "backup.failed"?)');
  });

  it('an event type in the wrong case, suggesting the right one', () => {
    expect(onlyError({ ...MINIMAL, type: 'Backup.Failed' }).message).toContain(
      'did you mean "backup.failed"?',
    );
  });

  it('unknown fields one by one, at the top and inside device and job', () => {
    const errors = errorsOf({
      ...MINIMAL,
      ocurredAt: 'x',
      device: { id: 'dev-42', serial: 'S1' },
      job: { byte: 5 },
    });
    expect(errors.map((e) => e.path)).toEqual(['device.serial', 'job.byte', 'ocurredAt']);
    expect(errors[0]?.message).toBe(
      '"serial" is not a known field of device: expected only id, name, os',
    );
    expect(errors[1]?.message).toContain('did you mean "bytes"?');
    expect(errors[2]?.message).toBe(
      '"ocurredAt" is not a known field of the event: expected only id, type, occurredAt, company, device, job, message (did you mean "occurredAt"?)',
    );
  });

  it('a field named __proto__ as unknown, without touching prototypes', () => {
    const value: unknown = JSON.parse(
      `{"__proto__": {"polluted": true}, ${JSON.stringify(MINIMAL).slice(1)}`,
    );
    expect(onlyError(value).path).toBe('__proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a value that is not an object', () => {
    for (const value of [42, 'event', null, [MINIMAL], true]) {
      const error = onlyError(value);
      expect(error.path).toBe('');
      expect(error.message).toMatch(/^the event is not a JSON object: expected a JSON object/);
    }
  });

  it('wrong types, showing the value sent', () => {
    expect(onlyError({ ...MINIMAL, company: 42 })).toEqual({
      path: 'company',
      message:
        'company has the wrong type: expected the company name as the backup console shows it (the ConnectWise Company ID), of 1 to 100 characters, got 42',
    });
    expect(onlyError({ ...MINIMAL, device: 'dev-42' }).message).toBe(
      'device has the wrong type: expected an object with id, and optionally name and os, got "dev-42"',
    );
    expect(onlyError({ ...MINIMAL, job: { bytes: '5' } }).message).toBe(
      'job.bytes has the wrong type: expected a whole number of bytes, 0 or more, got "5"',
    );
  });

  it('an empty or blank company and device id', () => {
    expect(onlyError({ ...MINIMAL, company: '   ' }).message).toMatch(
      /^company is empty: expected/,
    );
    expect(onlyError({ ...MINIMAL, device: { id: '' } }).message).toMatch(/^device\.id is empty/);
  });

  it('an empty id, which would silently turn off duplicate detection', () => {
    expect(onlyError({ ...MINIMAL, id: '' })).toMatchObject({ path: 'id' });
  });

  it('negative, fractional and unsafe counts', () => {
    expect(onlyError({ ...MINIMAL, job: { bytes: -1 } }).message).toBe(
      'job.bytes is negative: expected a whole number of bytes, 0 or more, got -1',
    );
    expect(onlyError({ ...MINIMAL, job: { files: 1.5 } }).message).toBe(
      'job.files is not a whole number: expected a whole number of files, 0 or more, got 1.5',
    );
    expect(onlyError({ ...MINIMAL, job: { bytes: 2 ** 53 } }).message).toMatch(
      /^job\.bytes is too large: .*, got 9007199254740992$/,
    );
  });

  it('texts over their limits, showing the start of the value and its length', () => {
    const error = onlyError({ ...MINIMAL, message: 'x'.repeat(EVENT_LIMITS.message + 1) });
    expect(error).toEqual({
      path: 'message',
      message: `message is too long: expected a string of at most 4,000 characters, got "${'x'.repeat(40)}"… (4,001 characters)`,
    });
    expect(onlyError({ ...MINIMAL, id: 'i'.repeat(129) }).path).toBe('id');
    expect(onlyError({ ...MINIMAL, device: { id: 'd', os: 'o'.repeat(201) } }).path).toBe(
      'device.os',
    );
    expect(onlyError({ ...MINIMAL, job: { errorCode: 'e'.repeat(129) } }).path).toBe(
      'job.errorCode',
    );
  });

  it('dates without a zone or that do not exist, at the top and in the job', () => {
    expect(onlyError({ ...MINIMAL, occurredAt: '2026-12-03T10:00:00' })).toEqual({
      path: 'occurredAt',
      message:
        'occurredAt is not a valid ISO-8601 date-time with a time zone: expected an ISO-8601 date-time with seconds and a time zone, e.g. 2026-12-03T10:00:00Z or 2026-12-03T11:00:00.5+01:00, got "2026-12-03T10:00:00"',
    });
    expect(onlyError({ ...MINIMAL, job: { startedAt: '2026-02-30T00:00:00Z' } }).path).toBe(
      'job.startedAt',
    );
    expect(onlyError({ ...MINIMAL, occurredAt: 1796292000 }).message).toMatch(
      /^occurredAt has the wrong type: .*, got 1796292000$/,
    );
  });

  it('NUL characters, which PostgreSQL cannot store', () => {
    for (const event of [
      { ...MINIMAL, company: 'AC\u0000ME' },
      { ...MINIMAL, id: 'a\u0000' },
      { ...MINIMAL, message: 'm\u0000' },
      { ...MINIMAL, device: { id: 'd', name: '\u0000' } },
    ]) {
      expect(onlyError(event).message).toContain('contains a NUL character');
    }
  });

  it('every problem of an event at once', () => {
    const errors = errorsOf({ type: 'nope', device: { id: 7 }, job: { bytes: -2 } });
    expect(errors.map((e) => e.path)).toEqual([
      'type',
      'occurredAt',
      'company',
      'device.id',
      'job.bytes',
    ]);
  });
});

describe('describeEventIssues', () => {
  it('lists at most maxErrors problems but counts them all', () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`extra${i}`, i]));
    const parsed = backupEventSchema.safeParse({ ...MINIMAL, ...many }, { reportInput: true });
    expect(parsed.success).toBe(false);
    const described = describeEventIssues(parsed.error?.issues ?? [], 7);
    expect(described.errors).toHaveLength(7);
    expect(described.errorCount).toBe(500);
  });
});

describe('previewValue', () => {
  it('quotes short strings whole and cuts long ones at 40 characters with their length', () => {
    expect(previewValue('abc')).toBe('"abc"');
    expect(previewValue('é'.repeat(41))).toBe(`"${'é'.repeat(40)}"… (41 characters)`);
    expect(previewValue('🏢'.repeat(50))).toBe(`"${'🏢'.repeat(40)}"… (50 characters)`);
  });

  it('describes arrays and objects by size and first keys without walking into them', () => {
    expect(previewValue([])).toBe('an empty array');
    expect(previewValue([1, [2]])).toBe('an array of 2 items');
    expect(previewValue([[1]])).toBe('an array of 1 item');
    expect(previewValue({})).toBe('an empty object');
    expect(previewValue({ a: 1, b: { c: 2 } })).toBe('an object with keys "a", "b"');
    const wide = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, i]));
    expect(previewValue(wide)).toBe('an object with keys "k0", "k1", "k2", "k3", "k4", … (9 keys)');
  });

  it('prints numbers, booleans and null as JSON would', () => {
    expect([previewValue(-1.5), previewValue(false), previewValue(null)]).toEqual([
      '-1.5',
      'false',
      'null',
    ]);
  });
});

describe('closestOption', () => {
  it('suggests an option one or two slips away, ignoring case', () => {
    expect(closestOption('mesage', ['id', 'message'])).toBe('message');
    expect(closestOption('DEVICE', ['device', 'job'])).toBe('device');
  });

  it('suggests nothing for a different word', () => {
    expect(closestOption('serial', ['id', 'name', 'os'])).toBeUndefined();
    expect(closestOption('', ['id'])).toBeUndefined();
  });
});

describe('backupEventSchema', () => {
  it('describes the request body as JSON Schema for the API documentation', () => {
    const schema = z.toJSONSchema(backupEventSchema, { io: 'input' }) as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, { format?: string; enum?: string[] }>;
    };
    expect(schema.required).toEqual(['type', 'occurredAt', 'company', 'device']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.occurredAt?.format).toBe('date-time');
    expect(schema.properties.type?.enum).toEqual([...EVENT_TYPES]);
  });
});
