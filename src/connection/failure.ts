/**
 * Turns what the ConnectWise client throws into a {@link Problem} an administrator can act on.
 * Each situation has its own stable code, because each has a different fix: a wrong site is
 * fixed in the site field, wrong keys in ConnectWise's API Keys tab, a missing clientId in the
 * bridge's own configuration.
 */
import type { ManageApiError } from '../connectwise/client/index.js';
import {
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
  UnknownCompanyError,
} from '../connectwise/client/index.js';
import type { FieldProblem } from './problem.js';
import type { CheckStepName } from './types.js';

/** Every code a connection check can report. */
export const CONNECTION_PROBLEM_CODES = [
  'site_invalid',
  'credentials_malformed',
  'client_id_missing',
  'client_id_rejected',
  'unknown_company',
  'not_connectwise',
  'host_not_found',
  'connection_refused',
  'host_unreachable',
  'tls_error',
  'connection_failed',
  'timeout',
  'ssl_required',
  'wrong_keys',
  'permission_missing',
  'permission_unverified',
  'rate_limited',
  'connectwise_unavailable',
  'unexpected_answer',
] as const;
export type ConnectionProblemCode = (typeof CONNECTION_PROBLEM_CODES)[number];

/**
 * A {@link Problem} whose code is one of {@link CONNECTION_PROBLEM_CODES}, with the field of
 * the connection form it concerns (`site`, `companyId`, `publicKey`, `privateKey`), or
 * `clientId` (the bridge's configuration), `permissions`, or `''` for none in particular.
 */
export interface ConnectionProblem extends FieldProblem {
  readonly code: ConnectionProblemCode;
}

/** The form field a problem of `code` is fixed in. */
export function fieldOf(code: ConnectionProblemCode): string {
  switch (code) {
    case 'site_invalid':
    case 'not_connectwise':
    case 'host_not_found':
    case 'connection_refused':
    case 'host_unreachable':
    case 'tls_error':
    case 'connection_failed':
    case 'timeout':
    case 'ssl_required':
      return 'site';
    case 'unknown_company':
      return 'companyId';
    case 'wrong_keys':
      return 'publicKey';
    case 'client_id_missing':
    case 'client_id_rejected':
      return 'clientId';
    case 'permission_missing':
    case 'permission_unverified':
      return 'permissions';
    case 'credentials_malformed':
    case 'rate_limited':
    case 'connectwise_unavailable':
    case 'unexpected_answer':
      return '';
  }
}

/** What the message may name about the call that failed. */
export interface FailureContext {
  readonly step: CheckStepName;
  readonly site: string;
  readonly companyId: string;
  /** The company id ConnectWise's companyinfo answered, when it differs from the one typed. */
  readonly knownCompanyId?: string;
}

const SITE_FIX =
  'Enter the host you sign in to ConnectWise on: na.myconnectwise.net, eu.myconnectwise.net, ' +
  'au.myconnectwise.net (cloud) or your on-premise server, without a path.';

const KEYS_FIX =
  'In ConnectWise open System › Members › API Members, select the API member, and on its API ' +
  'Keys tab create a new key; copy both keys (the private key is shown only once) and enter them again.';

/**
 * The problem `error` stands for. Client errors keep their own message (it names the call and
 * what ConnectWise said; it never carries a key); the fix says what to change.
 */
export function problemOf(error: unknown, context: FailureContext): ConnectionProblem {
  const problem = describeFailure(error, context);
  return { ...problem, field: fieldOf(problem.code) };
}

type Described = Omit<ConnectionProblem, 'field'>;

function describeFailure(error: unknown, context: FailureContext): Described {
  if (error instanceof ManageConfigError) {
    return { code: 'site_invalid', message: error.message, fix: SITE_FIX };
  }
  if (error instanceof UnknownCompanyError) {
    return {
      code: 'unknown_company',
      message: `ConnectWise at ${error.site} does not know the company ID "${error.companyId}".`,
      fix:
        'Enter the company ID you type on the ConnectWise login screen (it is case-sensitive), ' +
        'and check that the site is the one your company signs in to.',
    };
  }
  if (error instanceof ManageSiteError) {
    return {
      code: 'not_connectwise',
      message: `${context.site} did not answer like ConnectWise Manage: ${error.message}`,
      fix: SITE_FIX,
    };
  }
  if (error instanceof ManageConnectionError) return connectionProblem(error, context);
  if (error instanceof ManageTimeoutError) {
    return {
      code: 'timeout',
      message: `ConnectWise at ${context.site} did not answer in time: ${error.message}`,
      fix: 'Try again in a few minutes; if it persists, check that this machine can reach the site (proxies, firewalls).',
    };
  }
  if (error instanceof ManageOutcomeUnknownError) {
    return describeFailure(error.cause, context);
  }
  if (error instanceof ManageClientIdError) {
    return {
      code: 'client_id_rejected',
      message: `ConnectWise refused the bridge's clientId: ${error.message}`,
      fix:
        'Set PSABRIDGE_CLIENT_ID to the GUID registered for this integration at ' +
        'developer.connectwise.com/ClientID and restart the bridge.',
    };
  }
  if (error instanceof ManageAuthenticationError || isBadCredentials404(error, context)) {
    return wrongKeys(error as ManageApiError, context);
  }
  if (error instanceof ManagePermissionError && /SSL is required/i.test(error.rawBody ?? '')) {
    return {
      code: 'ssl_required',
      message: `ConnectWise answered "SSL is required." for ${context.site}: this is the sign-in host, not the API host.`,
      fix: 'Enter the API host of your ConnectWise (on cloud the api- host, e.g. api-na.myconnectwise.net).',
    };
  }
  if (error instanceof ManageRateLimitedError) {
    return {
      code: 'rate_limited',
      message: `ConnectWise is throttling calls (HTTP 429): ${error.message}`,
      fix: 'Wait a minute and try again; other integrations using the same ConnectWise may be busy.',
    };
  }
  if (error instanceof ManageUnavailableError) {
    return {
      code: 'connectwise_unavailable',
      message: `ConnectWise failed to answer (HTTP ${error.status ?? '5xx'}): ${error.message}`,
      fix: 'This is usually temporary; try again in a few minutes.',
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'unexpected_answer',
    message: `ConnectWise answered in an unexpected way: ${message}`,
    fix: 'Check the site and keys, then try again; if it persists, report the message above.',
  };
}

/**
 * On cloud, bad credentials may surface as a 404 "endpoint does not exist" instead of a 401
 * (reference §1.5, §5.3). After companyinfo found the codebase, a 404 on `/system/info` means
 * exactly that.
 */
function isBadCredentials404(error: unknown, context: FailureContext): boolean {
  return context.step === 'keys' && error instanceof ManageNotFoundError && error.endpointMissing;
}

function wrongKeys(error: ManageApiError, context: FailureContext): Described {
  const how =
    error.status === 404 ? 'answered 404, its way of refusing keys on cloud' : 'refused them';
  const caseHint =
    context.knownCompanyId !== undefined && context.knownCompanyId !== context.companyId
      ? ` ConnectWise knows this company as "${context.knownCompanyId}"; the company ID in the keys is case-sensitive.`
      : '';
  return {
    code: 'wrong_keys',
    message:
      `ConnectWise did not accept the public and private key for company "${context.companyId}" (it ${how}).` +
      caseHint,
    fix: `${KEYS_FIX} Also check that the API member is active.`,
  };
}

function connectionProblem(error: ManageConnectionError, context: FailureContext): Described {
  switch (error.kind) {
    case 'dns':
      return {
        code: 'host_not_found',
        message: `The site ${context.site} could not be found (DNS): ${error.message}`,
        fix: SITE_FIX,
      };
    case 'refused':
      return {
        code: 'connection_refused',
        message: `Nothing answers at ${context.site}: ${error.message}`,
        fix: 'Check the site and port; an on-premise server may be down or not listening on HTTPS.',
      };
    case 'unreachable':
      return {
        code: 'host_unreachable',
        message: `${context.site} cannot be reached from this machine: ${error.message}`,
        fix: "Check this machine's network, proxy and firewall rules towards the site.",
      };
    case 'tls':
      return {
        code: 'tls_error',
        message: `A secure connection to ${context.site} could not be made: ${error.message}`,
        fix:
          'Check that the site speaks HTTPS on that port; an on-premise server needs a ' +
          'certificate this machine trusts (add its CA with NODE_EXTRA_CA_CERTS).',
      };
    case 'reset':
    case 'other':
      return {
        code: 'connection_failed',
        message: `The connection to ${context.site} broke before ConnectWise answered: ${error.message}`,
        fix:
          context.step === 'keys'
            ? `Try again; on cloud, ConnectWise may also drop the connection for keys it does not accept. ${KEYS_FIX}`
            : 'Try again in a few minutes.',
      };
  }
}
