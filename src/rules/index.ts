/**
 * Rules storage: each account's override of the incident rules, merged over the defaults when
 * read. The rules themselves (defaults, validation, merging) are the domain's (`src/domain`).
 */
export {
  getRules,
  getRulesOverride,
  saveRulesOverride,
  type StoredRulesOverride,
} from './rules-store.js';
export type { RulesTable } from './tables.js';
