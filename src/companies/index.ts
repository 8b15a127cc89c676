/**
 * Companies: which ConnectWise company a backup console's company name means, by the integration
 * page's exact Company ID rule first and by normalised or near-identical names as suggestions.
 */
export { boundedEditDistance } from './edit-distance.js';
export {
  buildCompanyIndex,
  matchCompany,
  typoEditLimit,
  type CompanyCandidate,
  type CompanyIndex,
  type CompanyIndexOptions,
  type CompanyMatch,
  type MatchableCompany,
  type MatchReason,
} from './matching.js';
export {
  compactCompanyName,
  companyNameWords,
  LEGAL_SUFFIXES,
  normalizeCompanyName,
} from './normalize-name.js';

// Registry, sync, readiness and ticket targets.
export {
  getCompanySyncState,
  getSyncedCompany,
  listSyncedCompanies,
  type CompanySyncState,
  type SyncedCompany,
} from './cw-companies.js';
export { buildCompanyDirectory, loadCompanyDirectory, type CompanyDirectory } from './directory.js';
export {
  CompaniesError,
  CompanyMappingError,
  CompanyNameError,
  CompanyNotFoundError,
  CompanySyncError,
} from './errors.js';
export { manageTicketLink, manageUiOrigin } from './links.js';
export {
  COMPANY_PROBLEM_CODES,
  companyProblems,
  type CompanyProblem,
  type CompanyProblemCode,
} from './problems.js';
export {
  assessCompany,
  listReadiness,
  targetProblems,
  type CompanyReadiness,
  type CompanySuggestion,
  type MappingState,
  type ReadinessFilter,
  type ReadinessPage,
} from './readiness.js';
export {
  checkCompanyName,
  COMPANY_NAME_MAX_LENGTH,
  getConsoleCompany,
  getConsoleCompanyByName,
  listConsoleCompanies,
  refreshAutoMappings,
  registerCompanies,
  updateConsoleCompany,
  type ConsoleCompany,
  type ConsoleCompanyChange,
  type MappingSource,
  type RegisteredBy,
} from './registry.js';
export { changeCompanySettings, registerCompany, type CompanySettingsChange } from './settings.js';
export {
  syncCompanies,
  type CompanySyncDeps,
  type CompanySyncOptions,
  type CompanySyncProgress,
  type CompanySyncResult,
} from './sync.js';
export {
  DEFAULT_COMPANY_SYNC_INTERVAL_MS,
  isCompanySyncDue,
  syncAccountCompanies,
} from './sync-account.js';
export type { CwCompaniesTable, CwCompanySyncsTable } from './tables.js';
export {
  resolveTicketTarget,
  type TicketTarget,
  type TicketTargetOptions,
} from './ticket-target.js';
