/**
 * Tables of the ingestion part (migration `0004_ingest`). Column conventions are the storage
 * module's (see `src/storage/README.md`).
 */

/**
 * A bearer token the backup platform sends events with. Only its SHA-256 is stored: the token
 * carries 256 random bits, so a fast hash is safe, and it keeps the check cheap on a path that
 * takes thousands of requests per second.
 */
export interface IngestTokensTable {
  id: string;
  account_id: string;
  name: string;
  /** `hashToken(token)`; unique in the whole install, since it alone names the account. */
  token_hash: string;
  /** The first characters of the token (`psb_` and 4 more), so people can tell tokens apart. */
  token_hint: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
