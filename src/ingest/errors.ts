/** Errors of the ingestion part that callers branch on. */

/**
 * A token value given by configuration cannot be used as an ingest token: it is too short to be
 * safe behind a fast hash, has characters an `Authorization` header cannot carry, or is already
 * the ingest token of another account.
 */
export class IngestTokenValueError extends Error {
  override readonly name = 'IngestTokenValueError';
}
