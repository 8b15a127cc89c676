/**
 * The demo feed: a backup platform as the bridge sees it. It sends the scripted story over HTTP
 * to `POST /api/v1/events` with the ingest token (JSON arrays and NDJSON, a retried request
 * included), paced by what the bridge did with it, then a trickle of one event per interval
 * until its signal aborts. It only talks HTTP; what it waits for is asked of `stateOf`.
 */
import type { BackupEvent } from '../ingest/index.js';
import {
  DEFAULT_TRICKLE_INTERVAL_MS,
  DEMO_STORY,
  DEMO_TRICKLE,
  eventFor,
  type FeedStep,
  type IncidentTarget,
  type ScriptedEvent,
} from './scenario.js';

/** Options of {@link runFeed}. */
export interface FeedOptions {
  /** The bridge's API, e.g. `http://127.0.0.1:8080`. */
  readonly apiUrl: string;
  /** An ingest token of the demo account. */
  readonly ingestToken: string;
  /** Aborting it stops the feed (a request in flight is cancelled). */
  readonly signal: AbortSignal;
  /** The state of an incident (`Incident['state']`), or undefined when it does not exist. */
  readonly stateOf: (target: IncidentTarget) => Promise<string | undefined>;
  /** Writes one line for the operator. */
  readonly print: (line: string) => void;
  /** The story. Default {@link DEMO_STORY}. */
  readonly story?: readonly FeedStep[];
  /** The trickle's events, cycled. Default {@link DEMO_TRICKLE}; empty: no trickle. */
  readonly trickle?: readonly ScriptedEvent[];
  /** Pause between two trickle events. Default {@link DEFAULT_TRICKLE_INTERVAL_MS}. */
  readonly trickleIntervalMs?: number;
  /** How often a `wait` step asks `stateOf`. Default 500 ms. */
  readonly pollMs?: number;
  /** Prefix of the event ids, unique per run. Default: the start time in base 36. */
  readonly runId?: string;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
}

/** What the bridge answered to one request of the feed. */
export interface FeedResult {
  readonly accepted: number;
  readonly duplicates: number;
}

/** How long one request may take: 15 seconds. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Sends the story, then the trickle, until `signal` aborts. A refused or failed request is
 * reported with `print` and the feed goes on; it never throws for the bridge's answers.
 */
export async function runFeed(options: FeedOptions): Promise<void> {
  const { signal, print } = options;
  const now = options.now ?? (() => new Date());
  const runId = options.runId ?? now().getTime().toString(36);
  const sent = new Map<string, { body: string; contentType: string }>();
  let sequence = 0;
  const nextId = (): string => `demo-${runId}-${(sequence += 1)}`;

  // The story: each step in turn.
  for (const step of options.story ?? DEMO_STORY) {
    if (signal.aborted) return;
    switch (step.kind) {
      case 'send': {
        const request = encode(step.events, step.format, nextId, now());
        if (step.name !== undefined) sent.set(step.name, request);
        report(print, step.say, await post(options, request));
        break;
      }
      case 'resend': {
        const request = sent.get(step.name);
        if (request !== undefined) report(print, step.say, await post(options, request));
        break;
      }
      case 'wait':
        print(`feed: ${step.say}`);
        if (!(await waitForState(options, step.target, step.states, step.timeoutMs))) {
          if (!signal.aborted) print('feed: still no ticket; going on without it');
        }
        break;
      case 'pause':
        await sleep(step.ms, signal);
        break;
    }
  }

  // The trickle: one event per interval, cycling, so the system stays alive at a bounded rate.
  const trickle = options.trickle ?? DEMO_TRICKLE;
  if (trickle.length === 0 || signal.aborted) return;
  print(`feed: story told; from now on one event every ${seconds(options.trickleIntervalMs)}`);
  for (let beat = 0; !signal.aborted; beat += 1) {
    await sleep(options.trickleIntervalMs ?? DEFAULT_TRICKLE_INTERVAL_MS, signal);
    if (signal.aborted) return;
    const scripted = trickle[beat % trickle.length] as ScriptedEvent;
    const result = await post(options, encode([scripted], 'json', nextId, now()));
    // Healthy backups are the background; problems and refusals are worth a line.
    if (result === undefined || 'error' in result || scripted.type !== 'backup.succeeded') {
      report(print, describe(scripted), result);
    }
  }
}

function encode(
  events: readonly ScriptedEvent[],
  format: 'json' | 'ndjson',
  nextId: () => string,
  at: Date,
): { body: string; contentType: string } {
  const built: BackupEvent[] = events.map((scripted) => eventFor(scripted, nextId(), at));
  if (format === 'ndjson') {
    return {
      body: built.map((event) => JSON.stringify(event)).join('\n') + '\n',
      contentType: 'application/x-ndjson',
    };
  }
  return {
    body: JSON.stringify(built.length === 1 ? built[0] : built),
    contentType: 'application/json',
  };
}

type PostOutcome = FeedResult | { error: string } | undefined;

/** One request; undefined when the feed was stopped meanwhile. */
async function post(
  options: FeedOptions,
  request: { body: string; contentType: string },
): Promise<PostOutcome> {
  try {
    const response = await fetch(`${options.apiUrl}/api/v1/events`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.ingestToken}`,
        'content-type': request.contentType,
      },
      body: request.body,
      signal: AbortSignal.any([options.signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    const answer = (await response.json().catch(() => null)) as
      (Partial<FeedResult> & { error?: { message?: string } }) | null;
    if (response.status !== 202) {
      return {
        error: `the bridge answered ${response.status}: ${answer?.error?.message ?? response.statusText}`,
      };
    }
    return { accepted: answer?.accepted ?? 0, duplicates: answer?.duplicates ?? 0 };
  } catch (error) {
    if (options.signal.aborted) return undefined;
    return { error: `the request failed: ${(error as Error).message}` };
  }
}

function report(print: (line: string) => void, say: string, outcome: PostOutcome): void {
  if (outcome === undefined) return;
  if ('error' in outcome) {
    print(`feed: ${say} — not sent, ${outcome.error}`);
    return;
  }
  const duplicates = outcome.duplicates > 0 ? `, ${outcome.duplicates} duplicate` : '';
  print(`feed: ${say} [${outcome.accepted} accepted${duplicates}]`);
}

async function waitForState(
  options: FeedOptions,
  target: IncidentTarget,
  states: readonly string[],
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!options.signal.aborted && Date.now() < deadline) {
    try {
      const state = await options.stateOf(target);
      if (state !== undefined && states.includes(state)) return true;
    } catch {
      // The database is busy or closing: ask again at the next poll.
    }
    await sleep(options.pollMs ?? 500, options.signal);
  }
  return false;
}

function describe(scripted: ScriptedEvent): string {
  const code = scripted.job?.errorCode === undefined ? '' : ` (${scripted.job.errorCode})`;
  return `${scripted.device.name} ${scripted.type}${code}`;
}

function seconds(ms: number | undefined): string {
  return `${Math.round((ms ?? DEFAULT_TRICKLE_INTERVAL_MS) / 1000)} s`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
