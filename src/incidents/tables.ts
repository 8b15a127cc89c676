/**
 * The `incidents` table as kysely sees it (migration `0006_delivery`). Listed in `Database`
 * (`src/storage/schema.ts`); only `src/incidents` and the worker read or write it.
 */

/**
 * One problem (company + device + condition, or a company-wide storm) and the ticket it has.
 * `data` is the domain's `Incident` object as JSON text; the other columns repeat what queries
 * filter or show on (state, ticket, why delivery is blocked) so nobody parses `data` to list.
 */
export interface IncidentsTable {
  id: string;
  account_id: string;
  /** The domain's incident key; unique per account. */
  incident_key: string;
  company_id: string;
  /** Null for a storm incident (it spans devices). */
  device_id: string | null;
  /** `backup`, `device`, `restore` or `quota`. */
  condition: string;
  /** The domain's incident state (`pending`, `open`, `resolved`, …). */
  state: string;
  /** JSON text of the domain's `Incident`. */
  data: string;
  /** The current ConnectWise ticket id, once created. */
  ticket_id: number | null;
  /** The current ticket's correlation key. */
  external_xref: string | null;
  /** When `applyTick` is next due (ISO-8601), so a tick is enqueued only when it moves. */
  next_due_at: string | null;
  /** Why the incident's delivery is blocked, and what fixes it; null when it is not. */
  blocked_reason: string | null;
  blocked_fix: string | null;
  created_at: string;
  updated_at: string;
}
