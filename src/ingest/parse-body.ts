/**
 * Turns the body of `POST /api/v1/events` into validated events, or into the error the API
 * answers with. Pure: no I/O, no logging, and no input makes it throw.
 *
 * The request is all or nothing (the ingestion contract: "nothing of that request is stored"), so
 * every event is validated before any is accepted, and every problem found is reported at once:
 * a sender fixing a batch of 1,000 should not need 1,000 round trips.
 */
import { isUtf8 } from 'node:buffer';

import type { BackupEvent } from './event-schema.js';
import { validateEvent } from './event-validation.js';

/** The media types the endpoint accepts; anything else is answered with 415. */
export const ACCEPTED_CONTENT_TYPES = ['application/json', 'application/x-ndjson'] as const;

/** The contract's limit on events per request. */
export const MAX_EVENTS_PER_REQUEST = 1000;

/** The API error codes ingestion can answer with (the `error.code` of the API's error body). */
export type IngestErrorCode =
  'validation_failed' | 'bad_request' | 'payload_too_large' | 'unsupported_media_type';

/** One problem: which event (0-based, counting events, not lines), which field, and what. */
export interface IngestErrorItem {
  index: number;
  /** 1-based line of the body, for `application/x-ndjson` only. */
  line?: number;
  /** Dotted field path such as `device.id` or `job.bytes`; `''` for the event as a whole. */
  path: string;
  message: string;
}

/** The API's error body `{ error: { code, message, errors } }`, without the outer `error`. */
export interface IngestError {
  code: IngestErrorCode;
  message: string;
  /** Empty when the problem is the body as a whole (bad JSON, wrong media type, too many). */
  errors: IngestErrorItem[];
}

export interface ParseEventsInput {
  /** The `Content-Type` header as sent, parameters included; `undefined` when absent. */
  contentType: string | undefined;
  /** The raw body: bytes (must be UTF-8) or text already decoded. */
  body: Uint8Array | string;
}

export interface ParseEventsOptions {
  /** Events one request may hold. Default `MAX_EVENTS_PER_REQUEST` (1,000). */
  maxEvents?: number;
  /** Problems listed in `errors` at most; the message still counts all. Default 100. */
  maxErrors?: number;
}

export type ParseEventsResult =
  | {
      ok: true;
      /**
       * Each distinct event once, in request order. An event whose `id` repeats an earlier one of
       * the same request is left out (the contract accepts an id once) and listed in
       * `duplicateIndexes`.
       */
      events: BackupEvent[];
      /** Events in the request, duplicates included. */
      received: number;
      /** Request positions (0-based, ascending) of events left out as in-request duplicates. */
      duplicateIndexes: number[];
    }
  | { ok: false; status: 400 | 413 | 415; error: IngestError };

type Failure = Extract<ParseEventsResult, { ok: false }>;

const MAX_JSON_ERROR_CHARS = 200;
const decoder = new TextDecoder('utf-8');

function fail(
  status: Failure['status'],
  code: IngestErrorCode,
  message: string,
  errors: IngestErrorItem[] = [],
): Failure {
  return { ok: false, status, error: { code, message, errors } };
}

const fmt = (n: number): string => n.toLocaleString('en-US');
const plural = (n: number, word: string): string => `${fmt(n)} ${word}${n === 1 ? '' : 's'}`;

/** Reads the media type and refuses any charset but UTF-8, which JSON requires (RFC 8259 §8.1). */
function mediaTypeOf(contentType: string | undefined): 'json' | 'ndjson' | Failure {
  const accepted = ACCEPTED_CONTENT_TYPES.join(' or ');
  if (contentType === undefined || contentType.trim() === '') {
    return fail(
      415,
      'unsupported_media_type',
      `The request has no Content-Type: send ${accepted}.`,
    );
  }
  const [type = '', ...parameters] = contentType.split(';').map((part) => part.trim());
  const mediaType = type.toLowerCase();
  if (mediaType !== 'application/json' && mediaType !== 'application/x-ndjson') {
    return fail(
      415,
      'unsupported_media_type',
      `Content-Type ${JSON.stringify(contentType.slice(0, 100))} is not accepted: send ${accepted}.`,
    );
  }
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=').map((part) => part.trim());
    const charset = value.replace(/^"(.*)"$/, '$1').toLowerCase();
    if (name.toLowerCase() === 'charset' && charset !== 'utf-8' && charset !== 'utf8') {
      return fail(
        415,
        'unsupported_media_type',
        `Charset ${JSON.stringify(value.slice(0, 40))} is not accepted: send the body as UTF-8 (${accepted}; charset=utf-8).`,
      );
    }
  }
  return mediaType === 'application/json' ? 'json' : 'ndjson';
}

function decodeBody(body: Uint8Array | string): string | Failure {
  if (typeof body !== 'string' && !isUtf8(body)) {
    return fail(
      400,
      'bad_request',
      'The body is not valid UTF-8 text: send JSON encoded as UTF-8.',
    );
  }
  // TextDecoder drops a leading byte-order mark; a string may still carry one.
  const text = typeof body === 'string' ? body : decoder.decode(body);
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/** V8's own message, cut short, plus line and column when it names a position. */
function describeJsonError(error: unknown, text: string): string {
  const raw = error instanceof Error ? error.message : String(error);
  let message = raw.length > MAX_JSON_ERROR_CHARS ? `${raw.slice(0, MAX_JSON_ERROR_CHARS)}…` : raw;
  const position = /at position (\d+)/.exec(raw);
  if (position) {
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    message += ` (line ${line}, column ${column})`;
  }
  return message;
}

function tooMany(count: number, maxEvents: number): Failure {
  return fail(
    413,
    'payload_too_large',
    `The request holds ${plural(count, 'event')}; at most ${fmt(maxEvents)} are accepted per request. Split them into batches of at most ${fmt(maxEvents)} events.`,
  );
}

interface RawEvent {
  value: unknown;
  line?: number;
}

function readJson(text: string, maxEvents: number): RawEvent[] | Failure {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // A common mistake is NDJSON sent as application/json; say so when the first line parses.
    const firstLine = text.split('\n', 1)[0] ?? '';
    let hint = '';
    if (firstLine.length < text.trimEnd().length) {
      try {
        JSON.parse(firstLine);
        hint = ' For one event per line, send Content-Type: application/x-ndjson.';
      } catch {
        // The first line is broken too: the body is simply not JSON.
      }
    }
    return fail(
      400,
      'bad_request',
      `The body is not valid JSON: ${describeJsonError(error, text)}.${hint}`,
    );
  }

  if (!Array.isArray(parsed)) return [{ value: parsed }];
  if (parsed.length === 0) {
    return fail(400, 'validation_failed', 'The array holds no events: send at least one event.');
  }
  if (parsed.length > maxEvents) return tooMany(parsed.length, maxEvents);
  return parsed.map((value: unknown) => ({ value }));
}

function readNdjson(text: string, maxEvents: number, maxErrors: number): RawEvent[] | Failure {
  // Count before parsing: an oversized request is refused without paying for it.
  const lines = text.split('\n');
  const filled: { text: string; line: number }[] = [];
  for (const [i, lineText] of lines.entries()) {
    if (lineText.trim() !== '') filled.push({ text: lineText, line: i + 1 });
  }
  if (filled.length > maxEvents) return tooMany(filled.length, maxEvents);

  const events: RawEvent[] = [];
  const broken: IngestErrorItem[] = [];
  let brokenCount = 0;
  for (const [index, { text: lineText, line }] of filled.entries()) {
    try {
      events.push({ value: JSON.parse(lineText), line });
    } catch (error) {
      brokenCount++;
      if (broken.length < maxErrors) {
        const detail = describeJsonError(error, lineText).replace(/ \(line 1, /, ' (');
        broken.push({
          index,
          line,
          path: '',
          message: `line ${line} is not valid JSON: ${detail}`,
        });
      }
    }
  }
  if (brokenCount > 0) {
    const first = broken[0];
    return fail(
      400,
      'bad_request',
      `${plural(brokenCount, 'line')} of the body ${brokenCount === 1 ? 'is' : 'are'} not valid JSON; nothing was stored. Each non-blank line must hold one JSON event object. First: ${first?.message ?? ''}.`,
      broken,
    );
  }
  return events;
}

/**
 * Parses and validates an ingestion request body: one JSON event, a JSON array of events, or
 * NDJSON (one event per line, blank lines ignored).
 *
 * Answers `415` for another media type or charset, `413` for more than `maxEvents` events, `400`
 * `bad_request` for an empty body or broken JSON, and `400` `validation_failed` when any event is
 * invalid; then no event of the request is accepted.
 *
 * @example
 * const result = parseEventsBody({ contentType: req.headers['content-type'], body: req.body });
 * if (!result.ok) return reply.code(result.status).send({ error: result.error });
 */
export function parseEventsBody(
  input: ParseEventsInput,
  options: ParseEventsOptions = {},
): ParseEventsResult {
  const maxEvents = options.maxEvents ?? MAX_EVENTS_PER_REQUEST;
  const maxErrors = options.maxErrors ?? 100;

  // Media type and text.
  const mediaType = mediaTypeOf(input.contentType);
  if (typeof mediaType !== 'string') return mediaType;
  const text = decodeBody(input.body);
  if (typeof text !== 'string') return text;
  if (text.trim() === '') {
    return fail(
      400,
      'bad_request',
      'The body is empty: send one event object, a JSON array of events, or NDJSON with one event per line.',
    );
  }

  // Raw JSON values, one per event.
  const raw =
    mediaType === 'json' ? readJson(text, maxEvents) : readNdjson(text, maxEvents, maxErrors);
  if (!Array.isArray(raw)) return raw;

  // Validate every event, so one answer lists every problem.
  const events: BackupEvent[] = [];
  const errors: IngestErrorItem[] = [];
  let invalidEvents = 0;
  let problemCount = 0;
  for (const [index, { value, line }] of raw.entries()) {
    const result = validateEvent(value, Math.max(0, maxErrors - errors.length));
    if (result.ok) {
      events.push(result.event);
      continue;
    }
    invalidEvents++;
    problemCount += result.errorCount;
    for (const { path, message } of result.errors) {
      // An array on an NDJSON line is usually a JSON body sent with the wrong media type.
      const hinted =
        line !== undefined && path === '' && Array.isArray(value)
          ? `${message}; to send a JSON array of events, use Content-Type: application/json`
          : message;
      errors.push(
        line === undefined
          ? { index, path, message: hinted }
          : { index, line, path, message: hinted },
      );
    }
  }
  if (invalidEvents > 0) {
    const first = errors[0];
    const where = first
      ? `event ${first.index}${first.line === undefined ? '' : ` (line ${first.line})`}`
      : '';
    const shown =
      errors.length < problemCount ? ` The first ${fmt(errors.length)} are listed.` : '';
    return fail(
      400,
      'validation_failed',
      `${fmt(invalidEvents)} of ${plural(raw.length, 'event')} ${invalidEvents === 1 ? 'is' : 'are'} invalid (${plural(problemCount, 'problem')}); nothing was stored. Fix them and send the whole request again.${shown} First: ${where}: ${first?.message ?? ''}.`,
      errors,
    );
  }

  // Later repeats of an id inside the request are duplicates of the first.
  const seen = new Set<string>();
  const unique: BackupEvent[] = [];
  const duplicateIndexes: number[] = [];
  for (const [index, event] of events.entries()) {
    if (event.id !== undefined && seen.has(event.id)) {
      duplicateIndexes.push(index);
      continue;
    }
    if (event.id !== undefined) seen.add(event.id);
    unique.push(event);
  }
  return { ok: true, events: unique, received: events.length, duplicateIndexes };
}
