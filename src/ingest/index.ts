/**
 * Event ingestion, the pure part: the event schema of the ingestion contract and the parsing of a
 * request body into validated events or the API error to answer with.
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
