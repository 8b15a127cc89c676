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
