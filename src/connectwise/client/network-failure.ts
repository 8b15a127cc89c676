/**
 * Classifies a `fetch` that failed without an HTTP answer: a timeout, or a connection problem
 * with a hint that tells a TLS problem from an unreachable host.
 *
 * Whether the request may have left matters more than the wording: a create whose bytes never
 * left can be sent again, one that may have reached ConnectWise cannot (reference §8).
 */
import type { CallSite, ConnectionFailureKind } from './errors.js';
import { ManageConnectionError, ManageTimeoutError } from './errors.js';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const REFUSED_CODES = new Set(['ECONNREFUSED']);
const UNREACHABLE_CODES = new Set([
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);
const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_ABORTED',
]);
/** OpenSSL and Node TLS codes seen when the handshake or certificate check fails. */
const TLS_CODES = new Set([
  'EPROTO',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Where the failed call was going. */
export interface FailureContext extends CallSite {
  /** The host (and port) called, named in the hint. */
  readonly host: string;
  readonly timeoutMs: number;
  /** True when the request's own timeout fired (as opposed to a caller abort or a network error). */
  readonly timedOut: boolean;
}

/** A timeout or connection error for a `fetch` rejection. */
export function classifyNetworkFailure(
  error: unknown,
  context: FailureContext,
): ManageTimeoutError | ManageConnectionError {
  const site: CallSite = {
    method: context.method,
    path: context.path,
    ...(context.endpoint !== undefined && { endpoint: context.endpoint }),
  };
  const call = `${context.method} ${context.path}`;

  if (context.timedOut || (error instanceof Error && error.name === 'TimeoutError')) {
    return new ManageTimeoutError(
      `${call} got no complete answer from ${context.host} within ${context.timeoutMs} ms. ` +
        'ConnectWise may be slow or overloaded; try again later, or raise timeoutMs for large pages.',
      { ...site, cause: error, timeoutMs: context.timeoutMs },
    );
  }

  const { code, message } = systemErrorOf(error);
  const kind = kindOf(code, message);
  const causeCode = code ?? undefined;
  return new ManageConnectionError(`${call}: ${hintFor(kind, context.host, code)}`, {
    ...site,
    cause: error,
    kind,
    ...(causeCode !== undefined && { causeCode }),
    // Until the connection and TLS handshake succeed nothing of the request has left; a reset
    // or close afterwards may come after ConnectWise received (and acted on) it.
    requestMayHaveBeenSent: kind === 'reset' || kind === 'other',
  });
}

function kindOf(code: string | undefined, message: string): ConnectionFailureKind {
  // Node reports a TLS server that hangs up mid-handshake as ECONNRESET with this wording.
  if (/before secure TLS connection/i.test(message)) return 'tls';
  if (code === undefined) return /certificate|ssl|tls/i.test(message) ? 'tls' : 'other';
  if (DNS_CODES.has(code)) return 'dns';
  if (REFUSED_CODES.has(code)) return 'refused';
  if (UNREACHABLE_CODES.has(code)) return 'unreachable';
  if (TLS_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return 'tls';
  }
  if (RESET_CODES.has(code)) return 'reset';
  return 'other';
}

function hintFor(kind: ConnectionFailureKind, host: string, code: string | undefined): string {
  const tag = code === undefined ? '' : ` (${code})`;
  switch (kind) {
    case 'dns':
      return `the host ${host} could not be resolved${tag}. Check the spelling of the site, e.g. na.myconnectwise.net, and this machine's DNS.`;
    case 'refused':
      return `${host} refused the connection${tag}: nothing listens there. Check the site and port, or whether the server is down.`;
    case 'unreachable':
      return `${host} is unreachable${tag}. Check the site, this machine's network, proxies and firewalls.`;
    case 'tls':
      return `the TLS handshake with ${host} failed${tag}: the server's certificate is not trusted or the port does not speak HTTPS. An on-premise server needs a certificate this machine trusts (NODE_EXTRA_CA_CERTS).`;
    case 'reset':
      return `the connection to ${host} was closed before ConnectWise answered${tag}. This is usually transient.`;
    case 'other':
      return `the request to ${host} failed without an answer${tag}.`;
  }
}

/** The first system error code in the `cause` chain (undici wraps it: `fetch failed` → cause). */
function systemErrorOf(error: unknown): { code: string | undefined; message: string } {
  let current: unknown = error;
  const messages: string[] = [];
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    messages.push(current.message);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return { code, message: messages.join(' ') };
    // Happy-eyeballs connects report every address tried in an AggregateError.
    if (current instanceof AggregateError) {
      const first: unknown = current.errors[0];
      const inner = (first as { code?: unknown } | undefined)?.code;
      if (typeof inner === 'string') return { code: inner, message: messages.join(' ') };
    }
    current = current.cause;
  }
  return { code: undefined, message: messages.join(' ') };
}
