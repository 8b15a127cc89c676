/**
 * The `rules` table as kysely sees it (migration `0006_delivery`). Listed in `Database`
 * (`src/storage/schema.ts`); only `src/rules` reads or writes it.
 */

/** An account's rules override (validated with `parseRulesOverride`), merged over the defaults. */
export interface RulesTable {
  /** One row per account at most. */
  account_id: string;
  /** JSON text of the validated override. */
  override: string;
  updated_at: string;
}
