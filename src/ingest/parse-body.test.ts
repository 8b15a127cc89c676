import { describe, expect, it } from 'vitest';

import {
  MAX_EVENTS_PER_REQUEST,
  parseEventsBody,
  type ParseEventsInput,
  type ParseEventsResult,
} from './parse-body.js';

const JSON_TYPE = 'application/json';
const NDJSON_TYPE = 'application/x-ndjson';

function event(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'backup.failed',
    occurredAt: '2026-12-03T10:00:00Z',
    company: 'ACME',
    device: { id: `dev-${n}` },
    ...extra,
  };
}

const ndjson = (values: unknown[]): string => values.map((v) => JSON.stringify(v)).join('\n');

function accepted(input: ParseEventsInput): Extract<ParseEventsResult, { ok: true }> {
  const result = parseEventsBody(input);
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result;
}

function refused(input: ParseEventsInput, options = {}): Extract<ParseEventsResult, { ok: false }> {
  const result = parseEventsBody(input, options);
  if (result.ok) throw new Error(`expected a refusal, got ${result.events.length} events`);
  return result;
}

describe('parseEventsBody: media types', () => {
  it.each([
    'application/json',
    'application/json; charset=utf-8',
    'Application/JSON; Charset="UTF-8"',
    'application/json;charset=utf8',
  ])('accepts JSON sent as %s', (contentType) => {
    expect(accepted({ contentType, body: JSON.stringify(event(1)) }).events).toHaveLength(1);
  });

  it('refuses a missing Content-Type with 415, naming the accepted types', () => {
    expect(refused({ contentType: undefined, body: '{}' })).toEqual({
      ok: false,
      status: 415,
      error: {
        code: 'unsupported_media_type',
        message: 'The request has no Content-Type: send application/json or application/x-ndjson.',
        errors: [],
      },
    });
  });

  it.each(['text/plain', 'application/xml', 'application/json-seq', 'multipart/form-data'])(
    'refuses %s with 415, naming the accepted types',
    (contentType) => {
      const { status, error } = refused({ contentType, body: JSON.stringify(event(1)) });
      expect(status).toBe(415);
      expect(error.code).toBe('unsupported_media_type');
      expect(error.message).toContain(contentType);
      expect(error.message).toContain('application/json or application/x-ndjson');
    },
  );

  it('refuses a charset other than UTF-8 with 415', () => {
    const { status, error } = refused({
      contentType: 'application/json; charset=utf-16',
      body: '{}',
    });
    expect(status).toBe(415);
    expect(error.message).toMatch(/Charset "utf-16" is not accepted: send the body as UTF-8/);
  });
});

describe('parseEventsBody: bodies', () => {
  it('reads bytes as UTF-8 and ignores a byte-order mark', () => {
    const text = JSON.stringify(event(1, { company: 'Müller' }));
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(accepted({ contentType: JSON_TYPE, body: bytes }).events[0]?.company).toBe('Müller');
    expect(accepted({ contentType: JSON_TYPE, body: `\uFEFF${text}` }).events).toHaveLength(1);
    expect(
      accepted({ contentType: JSON_TYPE, body: new Uint8Array(Buffer.from(text)) }).received,
    ).toBe(1);
  });

  it('refuses bytes that are not UTF-8 with 400 bad_request', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    expect(refused({ contentType: JSON_TYPE, body })).toMatchObject({
      status: 400,
      error: { code: 'bad_request', message: expect.stringContaining('not valid UTF-8') as string },
    });
  });

  it.each([
    [JSON_TYPE, ''],
    [JSON_TYPE, ' \n\t '],
    [NDJSON_TYPE, ''],
    [NDJSON_TYPE, '\n\r\n  \n'],
  ])('refuses an empty %s body with 400 bad_request', (contentType, body) => {
    const { status, error } = refused({ contentType, body });
    expect(status).toBe(400);
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/^The body is empty: send one event object/);
  });

  it('refuses an empty array with 400 validation_failed', () => {
    expect(refused({ contentType: JSON_TYPE, body: '[]' })).toMatchObject({
      status: 400,
      error: {
        code: 'validation_failed',
        message: 'The array holds no events: send at least one event.',
      },
    });
  });

  it('refuses broken JSON with 400 bad_request, saying where it broke', () => {
    const { status, error } = refused({ contentType: JSON_TYPE, body: '[\n{"type": }]' });
    expect(status).toBe(400);
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/^The body is not valid JSON: /);
    expect(refused({ contentType: JSON_TYPE, body: '{"a": 1}\n  x' }).error.message).toContain(
      '(line 2, column 3)',
    );
  });

  it('points a sender of NDJSON as application/json at the right media type', () => {
    const body = ndjson([event(1), event(2)]);
    expect(refused({ contentType: JSON_TYPE, body }).error.message).toContain(
      'For one event per line, send Content-Type: application/x-ndjson.',
    );
    expect(accepted({ contentType: NDJSON_TYPE, body }).events).toHaveLength(2);
  });
});

describe('parseEventsBody: JSON', () => {
  it('accepts one event object', () => {
    const result = accepted({ contentType: JSON_TYPE, body: JSON.stringify(event(1)) });
    expect(result).toEqual({
      ok: true,
      events: [{ ...event(1), occurredAt: '2026-12-03T10:00:00.000Z' }],
      received: 1,
      duplicateIndexes: [],
    });
  });

  it('accepts an array of events, keeping their order', () => {
    const events = [3, 1, 2].map((n) => event(n));
    const result = accepted({ contentType: JSON_TYPE, body: JSON.stringify(events) });
    expect(result.events.map((e) => e.device.id)).toEqual(['dev-3', 'dev-1', 'dev-2']);
  });

  it(`accepts ${MAX_EVENTS_PER_REQUEST} events and refuses one more with 413`, () => {
    const many = Array.from({ length: MAX_EVENTS_PER_REQUEST }, (_, i) => event(i));
    expect(accepted({ contentType: JSON_TYPE, body: JSON.stringify(many) }).received).toBe(1000);
    const { status, error } = refused({
      contentType: JSON_TYPE,
      body: JSON.stringify([...many, event(1000)]),
    });
    expect(status).toBe(413);
    expect(error).toEqual({
      code: 'payload_too_large',
      message:
        'The request holds 1,001 events; at most 1,000 are accepted per request. Split them into batches of at most 1,000 events.',
      errors: [],
    });
  });

  it('takes a smaller limit as an option', () => {
    const body = JSON.stringify([event(1), event(2), event(3)]);
    expect(refused({ contentType: JSON_TYPE, body }, { maxEvents: 2 }).status).toBe(413);
  });

  it('validates every event and refuses the whole request when any is invalid', () => {
    const events = [event(0), event(1, { type: 'nope' }), event(2), event(3, { device: {} })];
    const { status, error } = refused({ contentType: JSON_TYPE, body: JSON.stringify(events) });
    expect(status).toBe(400);
    expect(error.code).toBe('validation_failed');
    expect(error.errors.map(({ index, path }) => ({ index, path }))).toEqual([
      { index: 1, path: 'type' },
      { index: 3, path: 'device.id' },
    ]);
    expect(error.message).toMatch(
      /^2 of 4 events are invalid \(2 problems\); nothing was stored\. Fix them and send the whole request again\. First: event 1: type is not a known event type: /,
    );
  });

  it('reports a body that is a JSON value but not an event as event 0', () => {
    const { error } = refused({ contentType: JSON_TYPE, body: '"hello"' });
    expect(error.errors).toEqual([
      {
        index: 0,
        path: '',
        message:
          'the event is not a JSON object: expected a JSON object with at least type, occurredAt, company and device, got "hello"',
      },
    ]);
  });

  it('lists at most maxErrors problems and says how many there were', () => {
    const events = Array.from({ length: 50 }, (_, i) => event(i, { company: '' }));
    const { error } = refused(
      { contentType: JSON_TYPE, body: JSON.stringify(events) },
      { maxErrors: 10 },
    );
    expect(error.errors).toHaveLength(10);
    expect(error.errors.map((e) => e.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(error.message).toContain('50 of 50 events are invalid (50 problems)');
    expect(error.message).toContain('The first 10 are listed.');
  });
});

describe('parseEventsBody: NDJSON', () => {
  it('reads one event per line, ignoring blank lines and CRLF line ends', () => {
    const body = `\n${JSON.stringify(event(1))}\r\n\r\n   \n${JSON.stringify(event(2))}\r\n`;
    const result = accepted({ contentType: NDJSON_TYPE, body });
    expect(result.events.map((e) => e.device.id)).toEqual(['dev-1', 'dev-2']);
  });

  it('names the event index and the line of a broken line', () => {
    const body = [
      JSON.stringify(event(0)),
      '',
      '{"type": "backup.failed",',
      JSON.stringify(event(2)),
    ].join('\n');
    const { status, error } = refused({ contentType: NDJSON_TYPE, body });
    expect(status).toBe(400);
    expect(error.code).toBe('bad_request');
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0]).toMatchObject({ index: 1, line: 3, path: '' });
    expect(error.errors[0]?.message).toMatch(/^line 3 is not valid JSON: /);
    expect(error.message).toMatch(/^1 line of the body is not valid JSON; nothing was stored\./);
  });

  it('lists every broken line', () => {
    const body = ['{', JSON.stringify(event(1)), 'nope', ']'].join('\n');
    const { error } = refused({ contentType: NDJSON_TYPE, body });
    expect(error.errors.map(({ index, line }) => ({ index, line }))).toEqual([
      { index: 0, line: 1 },
      { index: 2, line: 3 },
      { index: 3, line: 4 },
    ]);
  });

  it('names the event index and line of an invalid event', () => {
    const body = [
      '',
      JSON.stringify(event(0)),
      JSON.stringify(event(1, { job: { bytes: -5 } })),
    ].join('\n');
    const { error } = refused({ contentType: NDJSON_TYPE, body });
    expect(error.errors).toEqual([
      {
        index: 1,
        line: 3,
        path: 'job.bytes',
        message: 'job.bytes is negative: expected a whole number of bytes, 0 or more, got -5',
      },
    ]);
    expect(error.message).toContain('First: event 1 (line 3): job.bytes is negative');
  });

  it('points a sender of a JSON array as NDJSON at the right media type', () => {
    const { error } = refused({ contentType: NDJSON_TYPE, body: JSON.stringify([event(1)]) });
    expect(error.errors[0]?.message).toContain(
      'to send a JSON array of events, use Content-Type: application/json',
    );
  });

  it(`refuses more than ${MAX_EVENTS_PER_REQUEST} lines with 413 before parsing any`, () => {
    const lines = Array.from({ length: 1001 }, () => '{ not even json');
    const { status, error } = refused({ contentType: NDJSON_TYPE, body: lines.join('\n') });
    expect(status).toBe(413);
    expect(error.message).toContain('batches of at most 1,000');
  });
});

describe('parseEventsBody: duplicate ids', () => {
  it('keeps the first event of an id and lists later repeats as duplicates', () => {
    const events = [
      event(0, { id: 'a' }),
      event(1, { id: 'b' }),
      event(2, { id: 'a' }),
      event(3),
      event(4),
      event(5, { id: 'b' }),
      event(6, { id: 'a' }),
    ];
    const result = accepted({ contentType: JSON_TYPE, body: JSON.stringify(events) });
    expect(result.received).toBe(7);
    expect(result.duplicateIndexes).toEqual([2, 5, 6]);
    expect(result.events.map((e) => e.device.id)).toEqual(['dev-0', 'dev-1', 'dev-3', 'dev-4']);
  });

  it('compares ids exactly, so case and spaces make different ids', () => {
    const events = [event(0, { id: 'a' }), event(1, { id: 'A' }), event(2, { id: 'a ' })];
    const result = accepted({ contentType: NDJSON_TYPE, body: ndjson(events) });
    expect(result.duplicateIndexes).toEqual([]);
    expect(result.events).toHaveLength(3);
  });
});
