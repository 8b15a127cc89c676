/**
 * Event ingestion: the event schema of the ingestion contract, the parsing of a request body into
 * validated events or the API error to answer with (pure), storing accepted events with their
 * companies, devices and jobs in one transaction, and the ingest tokens senders authenticate with.
 */
export {
  backupEventSchema,
  EVENT_FIELDS,
  EVENT_LIMITS,
  EVENT_TYPES,
  type BackupDevice,
  type BackupEvent,
  type BackupJob,
  type EventType,
} from './event-schema.js';
export {
  closestOption,
  describeEventIssues,
  previewValue,
  validateEvent,
  type EventFieldError,
  type EventValidation,
} from './event-validation.js';
export { ISO_DATE_TIME_EXPECTATION, normalizeIsoDateTime } from './iso-datetime.js';
export {
  ACCEPTED_CONTENT_TYPES,
  MAX_EVENTS_PER_REQUEST,
  parseEventsBody,
  type IngestError,
  type IngestErrorCode,
  type IngestErrorItem,
  type ParseEventsInput,
  type ParseEventsOptions,
  type ParseEventsResult,
} from './parse-body.js';
export { IngestTokenValueError } from './errors.js';
export {
  EVENT_JOB_KIND,
  eventOrderingKey,
  ingestEvents,
  type IngestDeps,
  type IngestResult,
} from './ingest-events.js';
export { DEVICE_SEEN_RESOLUTION_MS } from './devices.js';
export { orderedIds, type OrderedIdSource } from './ordered-ids.js';
export type { IngestTokensTable } from './tables.js';
export {
  INGEST_TOKEN_LAST_USED_RESOLUTION_MS,
  MAX_INGEST_TOKEN_LENGTH,
  MIN_INGEST_TOKEN_LENGTH,
  createIngestToken,
  getIngestToken,
  listIngestTokens,
  resolveIngestToken,
  revokeIngestToken,
  setIngestTokenFromValue,
  type IngestCaller,
  type IngestToken,
} from './tokens.js';
