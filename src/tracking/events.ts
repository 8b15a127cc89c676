/**
 * What tracking reports about its own work. Like the worker it never logs: the process that
 * runs it decides what to log. No event carries a key, a token or a ticket's text.
 */
import type { ManageClientEvent } from '../connectwise/client/index.js';

/** Tracking started its loops. */
export interface TrackingStartedEvent {
  readonly type: 'tracking.started';
  readonly intervalMs: number;
  readonly healthIntervalMs: number;
}

/** One account's tickets were polled. */
export interface TrackingPolledEvent {
  readonly type: 'tracking.polled';
  readonly accountId: string;
  readonly tickets: number;
  /** ConnectWise list calls made. */
  readonly calls: number;
  /** Tickets whose change was handed to the worker as an `observe` job. */
  readonly changed: number;
}

/** An account's connection and board were checked. */
export interface HealthCheckedEvent {
  readonly type: 'health.checked';
  readonly accountId: string;
  readonly ok: boolean;
  /** The problem codes found, e.g. `wrong_keys`, `board_missing`. */
  readonly codes: readonly string[];
}

/** A check found the integration broken: an alarm was raised (or its problems changed). */
export interface HealthAlarmEvent {
  readonly type: 'health.alarm';
  readonly accountId: string;
  readonly codes: readonly string[];
  readonly message: string;
}

/** A check passed after an alarm: it was cleared and blocked deliveries were requeued. */
export interface HealthRestoredEvent {
  readonly type: 'health.restored';
  readonly accountId: string;
  readonly requeued: number;
}

/** The account's ConnectWise companies were synced. */
export interface CompaniesSyncedEvent {
  readonly type: 'companies.synced';
  readonly accountId: string;
  readonly companies: number;
}

/** A ConnectWise client event of tracking's calls (request, response, retry, …). */
export interface TrackingManageEvent {
  readonly type: 'tracking.manage';
  readonly accountId: string;
  readonly event: ManageClientEvent;
}

/** Something failed; tracking tries again on its next round. */
export interface TrackingErrorEvent {
  readonly type: 'tracking.error';
  readonly phase: 'poll' | 'health' | 'sync' | 'loop';
  readonly accountId?: string;
  readonly error: unknown;
}

/** Tracking stopped (its signal aborted and nothing of it runs any more). */
export interface TrackingStoppedEvent {
  readonly type: 'tracking.stopped';
}

export type TrackingEvent =
  | TrackingStartedEvent
  | TrackingPolledEvent
  | HealthCheckedEvent
  | HealthAlarmEvent
  | HealthRestoredEvent
  | CompaniesSyncedEvent
  | TrackingManageEvent
  | TrackingErrorEvent
  | TrackingStoppedEvent;

/** Receives tracking's events; it must not throw. */
export type TrackingEventListener = (event: TrackingEvent) => void;
