/**
 * One ConnectWise call as the client sends it: a timeout on every attempt, the failure
 * classified, the retry decision applied, and events emitted. It knows nothing of codebases or
 * resources; the client builds the URL and headers.
 */
import { performance } from 'node:perf_hooks';

import type { CallSite } from './errors.js';
import { ManageApiError, ManageOutcomeUnknownError, ManageSiteError } from './errors.js';
import { errorFromResponse } from './error-parsing.js';
import type { ManageClientEvent } from './events.js';
import { classifyNetworkFailure } from './network-failure.js';
import type { RetryPolicy } from './retry.js';
import { decideRetry, mayHaveBeenApplied } from './retry.js';

/** Waits `ms`, rejecting with the signal's reason when it aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** What the HTTP layer needs from the client, fixed per client. */
export interface HttpSettings {
  readonly fetch: typeof fetch;
  readonly sleep: Sleep;
  readonly random: () => number;
  readonly policy: RetryPolicy;
  readonly timeoutMs: number;
  readonly emit: (event: ManageClientEvent) => void;
  /** The login company id, named in 401 messages. */
  readonly companyId: string;
  /**
   * Values never to repeat (keys, clientId): a server that echoes one back in an error body
   * (ConnectWise quotes an unregistered clientId) has it replaced before the body reaches an
   * error message or `rawBody`.
   */
  readonly secrets: readonly string[];
}

/** One call. */
export interface HttpRequest extends CallSite {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Whether sending twice equals sending once (see {@link decideRetry}). */
  readonly idempotent: boolean;
  readonly signal?: AbortSignal | undefined;
  readonly timeoutMs?: number | undefined;
  /** The codebase in the URL, named when ConnectWise says the endpoint does not exist. */
  readonly codebase?: string;
}

/** A 2xx answer, its body read as text. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** Waits with `setTimeout`, cancelled by the signal. */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Sends a call, retrying as {@link decideRetry} says, and returns the first 2xx answer.
 * @throws ManageApiError (a subclass per failure); a write whose answer was lost becomes
 *   ManageOutcomeUnknownError; a caller abort rethrows the signal's reason.
 */
export async function sendWithRetries(
  settings: HttpSettings,
  request: HttpRequest,
): Promise<HttpResponse> {
  const site: CallSite = {
    method: request.method,
    path: request.path,
    ...(request.endpoint !== undefined && { endpoint: request.endpoint }),
  };

  for (let attempt = 1; ; attempt++) {
    request.signal?.throwIfAborted();
    settings.emit({ type: 'request', ...callOf(request), attempt });

    // One attempt: a response (any status) or a classified network failure.
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    let error: ManageApiError;
    try {
      const response = await exchange(settings, request);
      settings.emit({
        type: 'response',
        ...callOf(request),
        attempt,
        status: response.status,
        elapsedMs: elapsed(),
      });
      if (response.status >= 200 && response.status < 300) return response;
      error = errorOf(settings, request, response);
    } catch (failure) {
      if (request.signal?.aborted) throw abortedCall(request, site);
      if (failure instanceof ManageApiError) throw failure;
      error = classifyNetworkFailure(failure, {
        ...site,
        host: request.url.host,
        timeoutMs: request.timeoutMs ?? settings.timeoutMs,
        timedOut: isTimeout(failure),
      });
      settings.emit({
        type: 'failure',
        ...callOf(request),
        attempt,
        error: error.name,
        elapsedMs: elapsed(),
      });
    }

    // Again or give up, as the one retry decision says.
    const decision = decideRetry({
      method: request.method,
      idempotent: request.idempotent,
      attempt,
      error,
      policy: settings.policy,
      random: settings.random,
    });
    if (!decision.retry) throw finalError(error, request, site);
    settings.emit({
      type: 'retry',
      ...callOf(request),
      attempt,
      delayMs: decision.delayMs,
      reason: decision.reason,
    });
    await settings.sleep(decision.delayMs, request.signal);
  }
}

/** The fetch itself, with the body read under the same timeout. */
async function exchange(settings: HttpSettings, request: HttpRequest): Promise<HttpResponse> {
  const timeout = AbortSignal.timeout(request.timeoutMs ?? settings.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const response = await settings.fetch(request.url, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined && { body: request.body }),
    signal,
    // A redirect means the site is a sign-in page, not the API host; following it would send
    // the credentials somewhere we did not choose.
    redirect: 'manual',
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

function errorOf(
  settings: HttpSettings,
  request: HttpRequest,
  answer: HttpResponse,
): ManageApiError {
  const response = { ...answer, text: redact(answer.text, settings.secrets) };
  const site = {
    method: request.method,
    path: request.path,
    ...(request.endpoint !== undefined && { endpoint: request.endpoint }),
  };
  if (response.status >= 300 && response.status < 400) {
    const location = hostOf(response.headers.get('location'));
    return new ManageSiteError(
      `${request.method} ${request.path} was redirected (HTTP ${response.status})` +
        `${location ? ` to ${location}` : ''}: ${request.url.host} looks like a sign-in page, not ` +
        'the ConnectWise API host. Check the site (cloud: na.myconnectwise.net and the like).',
      { ...site, status: response.status, rawBody: response.text },
    );
  }
  // A cloud tenant called on its sign-in host answers this instead of the data (reference §1.5).
  if (/SSL is required/i.test(response.text)) {
    return new ManageSiteError(
      `ConnectWise answered "SSL is required." to ${request.method} ${request.path}: cloud ` +
        'tenants must be called over https on the api- host (api-na.myconnectwise.net and the ' +
        'like). Check the site.',
      { ...site, status: response.status, code: 'Security', rawBody: response.text },
    );
  }
  return errorFromResponse({
    ...site,
    status: response.status,
    text: response.text,
    retryAfter: response.headers.get('retry-after'),
    companyId: settings.companyId,
    ...(request.codebase !== undefined && { codebase: request.codebase }),
  });
}

/**
 * The error the caller gets. A write that may have been applied is reported as
 * outcome-unknown, never as a plain failure, so nobody "fixes" it by sending it again.
 */
function finalError(error: ManageApiError, request: HttpRequest, site: CallSite): ManageApiError {
  if (request.idempotent || !mayHaveBeenApplied(error)) return error;
  return new ManageOutcomeUnknownError(
    `${request.method} ${request.path} may or may not have been applied: ${error.message} ` +
      'ConnectWise has no idempotency key, so it was not sent again; look the record up (a ' +
      'ticket by its externalXRef) before sending it again.',
    { ...site, ...(error.status !== undefined && { status: error.status }), cause: error },
  );
}

/** A caller abort: a write already under way has an unknown outcome; anything else just stops. */
function abortedCall(request: HttpRequest, site: CallSite): unknown {
  const reason: unknown = request.signal?.reason;
  if (request.idempotent) return reason;
  return new ManageOutcomeUnknownError(
    `${request.method} ${request.path} was cancelled while under way and may or may not have ` +
      'been applied; look the record up (a ticket by its externalXRef) before sending it again.',
    { ...site, cause: reason },
  );
}

/** The attempt's own timeout fired (caller aborts are handled before this is asked). */
function isTimeout(failure: unknown): boolean {
  return (
    failure instanceof Error && (failure.name === 'TimeoutError' || failure.name === 'AbortError')
  );
}

function callOf(request: HttpRequest): { method: HttpRequest['method']; path: string } {
  return { method: request.method, path: request.path };
}

function hostOf(location: string | null): string | undefined {
  if (location === null) return undefined;
  try {
    return new URL(location).host;
  } catch {
    return undefined;
  }
}

/** `text` with every secret replaced by `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) if (secret !== '') clean = clean.split(secret).join('[redacted]');
  return clean;
}
