/**
 * Rules storage: an account's override of the incident rules, kept as the admin wrote it
 * (validated) and merged over `DEFAULT_RULES` whenever it is read, so a changed default reaches
 * every account that did not override that setting.
 */
import type { Kysely } from 'kysely';

import { RulesValidationError, parseRulesOverride, resolveRules } from '../domain/index.js';
import type { Rules, RulesOverride } from '../domain/index.js';
import { fromJsonText, toIso, toJsonText } from '../storage/columns.js';
import type { Database } from '../storage/schema.js';

/** An account's stored override and when it was saved. */
export interface StoredRulesOverride {
  readonly override: RulesOverride;
  /** ISO-8601; null when the account never saved one. */
  readonly updatedAt: string | null;
}

/**
 * The account's override as stored, or an empty one (`{}`) when it never saved one.
 *
 * @throws RulesValidationError when the stored override no longer validates (edited by hand).
 */
export async function getRulesOverride(
  db: Kysely<Database>,
  accountId: string,
): Promise<StoredRulesOverride> {
  const row = await db
    .selectFrom('rules')
    .select(['override', 'updated_at'])
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (row === undefined) return { override: {}, updatedAt: null };
  const parsed = parseRulesOverride(fromJsonText(row.override));
  if (!parsed.ok) {
    throw new RulesValidationError(
      parsed.issues.map((issue) => ({ ...issue, message: `stored rules: ${issue.message}` })),
    );
  }
  return { override: parsed.override, updatedAt: row.updated_at };
}

/**
 * The account's complete rules: `DEFAULT_RULES` with its override merged in.
 *
 * @throws RulesValidationError when the stored override no longer validates; saving a valid
 *   override with {@link saveRulesOverride} repairs it.
 * @example
 * const rules = await getRules(db, accountId);
 * rules.events['backup.failed'].priority; // 'high' unless overridden
 */
export async function getRules(db: Kysely<Database>, accountId: string): Promise<Rules> {
  const { override } = await getRulesOverride(db, accountId);
  return resolveRules(override);
}

/**
 * Validates and stores the account's override, replacing the previous one. `{}` goes back to
 * the defaults. Returns the override as stored (validated, unknown keys refused).
 *
 * @param now the time recorded as `updatedAt`. Default: the current time.
 * @throws RulesValidationError listing every problem by dotted path
 *   (`events.backup.warning.threshold: threshold must be a whole number from 1 to 1000`);
 *   nothing is stored then.
 * @example
 * await saveRulesOverride(db, accountId, { storm: { holdMinutes: 0 } });
 */
export async function saveRulesOverride(
  db: Kysely<Database>,
  accountId: string,
  override: unknown,
  now: Date = new Date(),
): Promise<StoredRulesOverride> {
  const parsed = parseRulesOverride(override);
  if (!parsed.ok) throw new RulesValidationError(parsed.issues);
  const text = toJsonText(parsed.override);
  const updatedAt = toIso(now);
  await db
    .insertInto('rules')
    .values({ account_id: accountId, override: text, updated_at: updatedAt })
    .onConflict((oc) =>
      oc.column('account_id').doUpdateSet({ override: text, updated_at: updatedAt }),
    )
    .execute();
  return { override: parsed.override, updatedAt };
}
