// Random and hostile bodies: parseEventsBody must answer each with a well-formed result and
// never throw. Seeded, so a failure reproduces.
import { describe, expect, it } from 'vitest';

import { EVENT_TYPES } from './event-schema.js';
import { parseEventsBody, type ParseEventsResult } from './parse-body.js';

/** mulberry32: a tiny seeded generator, so every run sees the same inputs. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CONTENT_TYPES = ['application/json', 'application/x-ndjson'];
const CODES = ['validation_failed', 'bad_request', 'payload_too_large', 'unsupported_media_type'];
const JSONISH = '{}[]",:0123456789.-+eEtrufalsn \n\r\t\\u"abcéü🏢\u0000';
const PATHS = new Set([
  '',
  'id',
  'type',
  'occurredAt',
  'company',
  'device',
  'device.id',
  'device.name',
  'device.os',
  'job',
  'job.id',
  'job.name',
  'job.errorCode',
  'job.startedAt',
  'job.finishedAt',
  'job.bytes',
  'job.files',
  'message',
]);

function checkShape(result: ParseEventsResult): void {
  if (result.ok) {
    expect(result.events.length + result.duplicateIndexes.length).toBe(result.received);
    for (const event of result.events) {
      expect(EVENT_TYPES).toContain(event.type);
      expect(event.occurredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    return;
  }
  expect([400, 413, 415]).toContain(result.status);
  expect(CODES).toContain(result.error.code);
  expect(result.error.message.length).toBeGreaterThan(0);
  expect(result.error.errors.length).toBeLessThanOrEqual(100);
  for (const item of result.error.errors) {
    expect(Number.isInteger(item.index) && item.index >= 0).toBe(true);
    expect(typeof item.path).toBe('string');
    expect(item.message.length).toBeGreaterThan(0);
  }
}

function randomValue(next: () => number, depth: number): unknown {
  const pick = Math.floor(next() * (depth > 3 ? 5 : 7));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return [0, -1, 1.5, 2 ** 60, -0, 1e308][Math.floor(next() * 6)];
    case 3:
    case 4:
      return Array.from({ length: Math.floor(next() * 8) }, () =>
        JSONISH.charAt(Math.floor(next() * JSONISH.length)),
      ).join('');
    case 5:
      return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: Math.floor(next() * 4) }, () => [
          ['id', 'type', 'device', 'job', 'x', '__proto__'][Math.floor(next() * 6)],
          randomValue(next, depth + 1),
        ]),
      );
  }
}

/** A valid event with one field replaced, removed or added at random. */
function mutatedEvent(next: () => number): Record<string, unknown> {
  const event: Record<string, unknown> = {
    id: `e-${Math.floor(next() * 5)}`,
    type: EVENT_TYPES[Math.floor(next() * EVENT_TYPES.length)],
    occurredAt: '2026-12-03T10:00:00+02:00',
    company: 'ACME',
    device: { id: 'dev-1', name: 'FS01' },
    job: { bytes: 5, startedAt: '2026-12-03T09:00:00Z' },
    message: 'failed',
  };
  const target = next() < 0.3 ? (event.job as Record<string, unknown>) : event;
  const keys = Object.keys(target);
  const key = keys[Math.floor(next() * keys.length)] ?? 'id';
  const action = next();
  if (action < 0.4) target[key] = randomValue(next, 0);
  else if (action < 0.7) delete target[key];
  else target[`${key}x`] = randomValue(next, 0);
  return event;
}

describe('parseEventsBody never throws', () => {
  it('on random bytes', () => {
    const next = random(1);
    for (let i = 0; i < 2000; i++) {
      const bytes = Buffer.from(
        Array.from({ length: Math.floor(next() * 64) }, () => Math.floor(next() * 256)),
      );
      checkShape(parseEventsBody({ contentType: CONTENT_TYPES[i % 2], body: bytes }));
    }
  });

  it('on random strings of JSON characters', () => {
    const next = random(2);
    for (let i = 0; i < 5000; i++) {
      const text = Array.from({ length: Math.floor(next() * 40) }, () =>
        JSONISH.charAt(Math.floor(next() * JSONISH.length)),
      ).join('');
      checkShape(parseEventsBody({ contentType: CONTENT_TYPES[i % 2], body: text }));
    }
  });

  it('on random JSON values, single and in arrays and NDJSON', () => {
    const next = random(3);
    for (let i = 0; i < 3000; i++) {
      const value = randomValue(next, 0);
      checkShape(
        parseEventsBody({ contentType: 'application/json', body: JSON.stringify(value) ?? '' }),
      );
      checkShape(
        parseEventsBody({ contentType: 'application/json', body: JSON.stringify([value, value]) }),
      );
      checkShape(
        parseEventsBody({ contentType: 'application/x-ndjson', body: JSON.stringify(value) ?? '' }),
      );
    }
  });

  it('on valid events with one field broken, naming only fields of the contract', () => {
    const next = random(4);
    let refusals = 0;
    for (let i = 0; i < 3000; i++) {
      const events = Array.from({ length: 1 + Math.floor(next() * 3) }, () => mutatedEvent(next));
      const result = parseEventsBody({
        contentType: CONTENT_TYPES[i % 2],
        body:
          i % 2 === 0 ? JSON.stringify(events) : events.map((e) => JSON.stringify(e)).join('\n'),
      });
      checkShape(result);
      if (result.ok) continue;
      refusals++;
      for (const item of result.error.errors) {
        // Unknown fields carry their own path; all else must be a field of the contract.
        if (!item.message.includes('is not a known field')) expect(PATHS).toContain(item.path);
      }
    }
    expect(refusals).toBeGreaterThan(500);
  });

  it('on deep nesting in every place a value can go', () => {
    const depth = 100_000;
    const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const deepObject = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    for (const deep of [deepArray, deepObject]) {
      for (const body of [
        deep,
        `[${deep}]`,
        `{"type":"backup.failed","occurredAt":"2026-12-03T10:00:00Z","company":"A","device":${deep}}`,
        `{"type":${deep},"job":${deep},"extra":${deep}}`,
      ]) {
        const result = parseEventsBody({ contentType: 'application/json', body });
        checkShape(result);
        expect(result.ok).toBe(false);
        checkShape(parseEventsBody({ contentType: 'application/x-ndjson', body }));
      }
    }
  });

  it('on huge strings, many keys and hostile content types', () => {
    const huge = 'x'.repeat(2_000_000);
    const manyKeys = JSON.stringify(
      Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i])),
    );
    for (const body of [JSON.stringify({ company: huge }), manyKeys, `"${huge}"`, huge]) {
      checkShape(parseEventsBody({ contentType: 'application/json', body }));
    }
    for (const contentType of [
      '',
      ';',
      'application/json;;;',
      `application/json; charset=${huge}`,
      '\u0000',
      huge,
    ]) {
      checkShape(parseEventsBody({ contentType, body: '{}' }));
    }
  });
});
