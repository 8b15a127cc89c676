/**
 * The typed ConnectWise Manage REST API 3.0 client: site handling, codebase discovery, typed
 * errors, one retry decision, paging by `Link` header, and events instead of logs.
 */
export type {
  CountOptions,
  EndpointCall,
  ListOptions,
  ListPage,
  ManageClientOptions,
  ManageTransport,
  PageOptions,
  RequestOptions,
} from './manage-client.js';
export { DEFAULT_REQUEST_TIMEOUT_MS, ManageClient } from './manage-client.js';

export type {
  BoardsApi,
  CollectionApi,
  CompaniesApi,
  ContactsApi,
  PrioritiesApi,
  ProjectTicketsApi,
  SearchOptions,
  TicketNotesApi,
  TicketSearch,
  TicketsApi,
} from './resources.js';

export type { FetchedPage, PageFetcher, ToArrayOptions } from './manage-list.js';
export { ManageList } from './manage-list.js';

export type {
  CallSite,
  ConnectionFailureKind,
  ManageApiErrorDetails,
  ManageFieldError,
  MissingPermission,
} from './errors.js';
export {
  ManageApiError,
  ManageAuthenticationError,
  ManageClientIdError,
  ManageConfigError,
  ManageConnectionError,
  ManageNotFoundError,
  ManageOutcomeUnknownError,
  ManagePermissionError,
  ManageRateLimitedError,
  ManageSiteError,
  ManageTimeoutError,
  ManageUnavailableError,
  ManageValidationError,
  UnknownCompanyError,
} from './errors.js';

export type { ErrorResponse, ParsedErrorBody } from './error-parsing.js';
export {
  errorFromResponse,
  parseErrorBody,
  parseRetryAfterMs,
  permissionOf,
} from './error-parsing.js';

export type {
  ManageClientEvent,
  ManageCodebaseEvent,
  ManageEventListener,
  ManageFailureEvent,
  ManageRequestEvent,
  ManageResponseEvent,
  ManageRetryEvent,
} from './events.js';

export type { Sleep } from './http.js';
export { defaultSleep } from './http.js';
export { nextLink, parseLinkHeader } from './link-header.js';
export type { FailureContext } from './network-failure.js';
export { classifyNetworkFailure } from './network-failure.js';
export type { ConditionsInput, ListQueryOptions, PagingMode, QueryOptions } from './query.js';
export { encodeQuery, MAX_PAGE_SIZE } from './query.js';
export type { RetryDecision, RetryInput, RetryPolicy } from './retry.js';
export { backoffMs, decideRetry, DEFAULT_RETRY_POLICY, mayHaveBeenApplied } from './retry.js';
export type { ResolveApiBaseOptions } from './site.js';
export { resolveApiBase } from './site.js';
