/**
 * The backup event as the domain sees it: the public ingestion contract (PRODUCT.md, "Event
 * ingestion") plus what the bridge adds when it stores one. Structurally compatible with the zod
 * output of `src/ingest`: optional fields accept `undefined` because zod produces it for absent keys
 * and `exactOptionalPropertyTypes` would otherwise reject that.
 */

/** Every event type of the ingestion contract, in contract order. */
export const EVENT_TYPES = [
  'backup.failed',
  'backup.warning',
  'backup.succeeded',
  'backup.missed',
  'device.offline',
  'device.online',
  'restore.failed',
  'restore.succeeded',
  'quota.exceeded',
  'quota.ok',
] as const;

/** One of the ten event types of the ingestion contract. */
export type EventType = (typeof EVENT_TYPES)[number];

/** The device an event is about; `id` is stable per device. */
export interface EventDevice {
  id: string;
  name?: string | undefined;
  os?: string | undefined;
}

/** The backup or restore job an event is about, when the platform sends one. */
export interface EventJob {
  id?: string | undefined;
  name?: string | undefined;
  errorCode?: string | undefined;
  /** ISO-8601. */
  startedAt?: string | undefined;
  /** ISO-8601. */
  finishedAt?: string | undefined;
  bytes?: number | undefined;
  files?: number | undefined;
}

/** The body of one event as the backup platform sends it. */
export interface EventBody {
  /** Optional client id (at most 128 characters); ingestion accepts a repeat once. */
  id?: string | undefined;
  type: EventType;
  /** ISO-8601: when it happened on the backup platform. */
  occurredAt: string;
  /** The console's company name (matched to the ConnectWise Company ID). */
  company: string;
  device: EventDevice;
  job?: EventJob | undefined;
  /** Human text, at most 4,000 characters. */
  message?: string | undefined;
}

/**
 * A stored event as the domain receives it: the body plus what the bridge assigned on ingestion.
 */
export interface DomainEvent extends EventBody {
  /** The bridge's id of the stored event (unique per account); used for idempotence. */
  eventId: string;
  /** ISO-8601: when the bridge accepted it. */
  receivedAt: string;
  /** The account the ingest token belongs to; part of every incident key. */
  accountId: string;
}

/** True when `value` is one of the contract's event types. */
export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
