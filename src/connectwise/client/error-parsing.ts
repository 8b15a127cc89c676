/**
 * Turns a ConnectWise error response into the matching {@link ManageApiError} subclass.
 *
 * ConnectWise answers errors in three shapes (reference §5.2): the envelope
 * `{code, message, errors}`, the 429 body `{error, message}`, and plain text (gateway routing
 * errors, some 500s). All three are read here, once.
 */
import { ENDPOINTS } from '../endpoints.js';
import { MODULE_FUNCTIONS } from '../permissions.js';
import type { CallSite, ManageFieldError, MissingPermission } from './errors.js';
import {
  ManageApiError,
  ManageAuthenticationError,
  ManageClientIdError,
  ManageNotFoundError,
  ManagePermissionError,
  ManageRateLimitedError,
  ManageUnavailableError,
  ManageValidationError,
} from './errors.js';

/** What an error body says, whichever shape it came in. */
export interface ParsedErrorBody {
  readonly code?: string;
  readonly message?: string;
  readonly fieldErrors: readonly ManageFieldError[];
}

/**
 * Reads an error body: the `{code, message, errors}` envelope, the 429 `{error, message}` body,
 * or plain text (kept as the message, cut at 300 characters).
 */
export function parseErrorBody(text: string): ParsedErrorBody {
  const trimmed = text.trim();
  if (trimmed === '') return { fieldErrors: [] };

  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    // Plain text, e.g. `Cannot route. Codebase/company is invalid` from the cloud gateway.
    return {
      message: looksLikeHtml(trimmed) ? 'an HTML page' : trimmed.slice(0, 300),
      fieldErrors: [],
    };
  }
  if (typeof json === 'string') return { message: json.slice(0, 300), fieldErrors: [] };
  if (!isRecord(json)) return { fieldErrors: [] };

  const code = stringOf(json.code) ?? stringOf(json.error);
  const message = stringOf(json.message);
  const fieldErrors = Array.isArray(json.errors) ? json.errors.flatMap(fieldErrorOf) : [];
  return {
    ...(code !== undefined && { code }),
    ...(message !== undefined && { message }),
    fieldErrors,
  };
}

/**
 * `Retry-After` as milliseconds: delta-seconds (what ConnectWise sends, reference §6) or an
 * HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfterMs(
  header: string | null,
  now: number = Date.now(),
): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  // An HTTP date always names a weekday and month; anything else (`-5`, `soon`) is unreadable.
  const date = /[a-z]{3}/i.test(value) ? Date.parse(value) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What {@link errorFromResponse} needs about the response and the call. */
export interface ErrorResponse extends CallSite {
  readonly status: number;
  readonly text: string;
  readonly retryAfter: string | null;
  /** The login company id, named in the 401 message (it is not a secret). */
  readonly companyId?: string;
  /** The codebase the call used, named when an endpoint is missing. */
  readonly codebase?: string;
}

/** Maps a non-2xx response to the error class callers branch on. */
export function errorFromResponse(response: ErrorResponse): ManageApiError {
  const { status, text } = response;
  const body = parseErrorBody(text);
  const site: CallSite = {
    method: response.method,
    path: response.path,
    ...(response.endpoint !== undefined && { endpoint: response.endpoint }),
  };
  const details = {
    ...site,
    status,
    rawBody: text,
    ...(body.code !== undefined && { code: body.code }),
  };
  const call = `${response.method} ${response.path}`;
  const said = describe(status, body);

  if (status === 400 && mentionsClientId(body)) {
    return new ManageClientIdError(
      `ConnectWise refused ${call} because of its clientId header (${said}). Every call must ` +
        "carry the integration's clientId GUID from developer.connectwise.com/ClientID; check " +
        'the configured clientId.',
      details,
    );
  }
  if (status === 400 && isRoutingError(body)) {
    return new ManageApiError(
      `ConnectWise's gateway could not route ${call} (${said}): the codebase or company in the ` +
        'URL is wrong. Check the site and company ID; the client looks the codebase up again ' +
        'once when this happens.',
      { ...details, code: 'CannotRoute' },
    );
  }
  if (status === 400) {
    const fields = body.fieldErrors
      .map((e) => (e.field ? `${e.field}: ${e.message}` : e.message))
      .join('; ');
    return new ManageValidationError(
      `ConnectWise refused ${call} as invalid (${said})${fields ? `: ${fields}` : ''}. Fix the ` +
        'request; sending it unchanged fails the same way.',
      { ...details, fieldErrors: body.fieldErrors },
    );
  }
  if (status === 401) {
    const company =
      response.companyId === undefined ? 'the company' : `company "${response.companyId}"`;
    return new ManageAuthenticationError(
      `ConnectWise did not accept the API keys for ${company} on ${call} (${said}). Check the ` +
        'public key, the private key and the company ID (case-sensitive), and that the API ' +
        'member is not inactive.',
      details,
    );
  }
  if (status === 403) {
    const permission = permissionOf(response.endpoint);
    const needs = permission
      ? `the API member's security role lacks ${permission.label}; grant it in System › Security Roles`
      : "the API member's security role does not allow it; check the role in System › Security Roles";
    return new ManagePermissionError(`ConnectWise refused ${call} (${said}): ${needs}.`, {
      ...details,
      ...(permission !== undefined && { permission }),
    });
  }
  if (status === 404) {
    const endpointMissing = isEndpointMissing(body);
    const hint = endpointMissing
      ? `the endpoint does not exist on codebase ${response.codebase ?? '(unknown)'}; the site ` +
        'may have been upgraded, or the server is older than this endpoint'
      : 'the record does not exist (deleted, merged or moved) or the key cannot see it';
    return new ManageNotFoundError(`ConnectWise found nothing at ${call} (${said}): ${hint}.`, {
      ...details,
      endpointMissing,
    });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfterMs(response.retryAfter);
    const wait = retryAfterMs === undefined ? '' : ` after ${Math.ceil(retryAfterMs / 1000)} s`;
    return new ManageRateLimitedError(
      `ConnectWise throttled ${call} (${said}) and did not process it. Retry${wait}; sending ` +
        'over about 1,000 requests a minute is throttled.',
      { ...details, ...(retryAfterMs !== undefined && { retryAfterMs }) },
    );
  }
  if (status >= 500) {
    return new ManageUnavailableError(
      `ConnectWise failed on ${call} (${said}). This is usually transient; try again later.`,
      details,
    );
  }
  return new ManageApiError(`ConnectWise refused ${call} (${said}).`, details);
}

/** The permission an endpoint needs, worded the way the integration page words it. */
export function permissionOf(
  endpoint: keyof typeof ENDPOINTS | undefined,
): MissingPermission | undefined {
  if (endpoint === undefined) return undefined;
  const permission = ENDPOINTS[endpoint].permission;
  if (permission === undefined) return undefined;
  const { fn, action } = permission;
  const level = `${action[0]!.toUpperCase()}${action.slice(1)} Level`;
  return { fn, action, label: `${MODULE_FUNCTIONS[fn].where} › ${level}: All` };
}

/** ConnectWise's answer for an unknown URL: `{"code":"ConnectWiseApi","message":"The endpoint does not exist."}`. */
function isEndpointMissing(body: ParsedErrorBody): boolean {
  return /endpoint does not exist/i.test(body.message ?? '');
}

function isRoutingError(body: ParsedErrorBody): boolean {
  return body.code === undefined && /^cannot route/i.test(body.message ?? '');
}

function mentionsClientId(body: ParsedErrorBody): boolean {
  return /client\s*id/i.test(`${body.code ?? ''} ${body.message ?? ''}`);
}

function describe(status: number, body: ParsedErrorBody): string {
  const parts = [`HTTP ${status}`, body.code, body.message].filter(Boolean);
  return parts.length === 1 ? parts[0]! : `${parts[0]!} ${parts.slice(1).join(': ')}`;
}

function fieldErrorOf(item: unknown): ManageFieldError[] {
  if (!isRecord(item)) return [];
  const resource = stringOf(item.resource);
  const field = stringOf(item.field);
  return [
    {
      code: stringOf(item.code) ?? 'Invalid',
      message: stringOf(item.message) ?? '',
      ...(resource !== undefined && { resource }),
      ...(field !== undefined && { field }),
    },
  ];
}

function looksLikeHtml(text: string): boolean {
  return /^<(!doctype|html|head|body)/i.test(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
