/**
 * What the client reports about its own work. It never logs: the service decides what to log or
 * count from these events. Paths carry no query string and no event carries a header, so no key,
 * clientId or filter value can leak through them.
 */
import type { HttpMethod } from '../endpoints.js';

interface CallEvent {
  readonly method: HttpMethod;
  /** Path under `/apis/3.0` (or the login path), without query string. */
  readonly path: string;
  /** 1 for the first try, 2 for the first retry, … */
  readonly attempt: number;
}

/** A request is about to be sent. */
export interface ManageRequestEvent extends CallEvent {
  readonly type: 'request';
}

/** An HTTP answer arrived (any status). */
export interface ManageResponseEvent extends CallEvent {
  readonly type: 'response';
  readonly status: number;
  readonly elapsedMs: number;
}

/** No HTTP answer arrived: timeout or connection failure. */
export interface ManageFailureEvent extends CallEvent {
  readonly type: 'failure';
  /** The error class, e.g. `ManageTimeoutError`. */
  readonly error: string;
  readonly elapsedMs: number;
}

/** A failed call will be sent again after `delayMs`. */
export interface ManageRetryEvent extends CallEvent {
  readonly type: 'retry';
  readonly delayMs: number;
  /** Why, e.g. `HTTP 503`, `HTTP 429 Retry-After`, `timeout`. */
  readonly reason: string;
}

/** The codebase was looked up (first call) or found changed (cloud upgrade, reference §2.2). */
export interface ManageCodebaseEvent {
  readonly type: 'codebase';
  readonly previous: string | undefined;
  readonly codebase: string;
}

export type ManageClientEvent =
  | ManageRequestEvent
  | ManageResponseEvent
  | ManageFailureEvent
  | ManageRetryEvent
  | ManageCodebaseEvent;

/** Receives every event; it must not throw (an exception it throws is ignored). */
export type ManageEventListener = (event: ManageClientEvent) => void;
