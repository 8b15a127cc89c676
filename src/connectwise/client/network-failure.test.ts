import { describe, expect, it } from 'vitest';

import { ManageConnectionError, ManageTimeoutError } from './errors.js';
import type { FailureContext } from './network-failure.js';
import { classifyNetworkFailure } from './network-failure.js';

const context: FailureContext = {
  method: 'POST',
  path: '/service/tickets',
  host: 'api-na.myconnectwise.net',
  timeoutMs: 30_000,
  timedOut: false,
};

/** What undici's fetch rejects with: `TypeError: fetch failed` with the system error as cause. */
function fetchFailed(code: string | undefined, message = 'boom'): TypeError {
  const cause = Object.assign(new Error(message), code === undefined ? {} : { code });
  return new TypeError('fetch failed', { cause });
}

describe('classifyNetworkFailure', () => {
  it('reports the request timeout with its length', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    const error = classifyNetworkFailure(timeout, { ...context, timedOut: true });
    expect(error).toBeInstanceOf(ManageTimeoutError);
    expect(error).toMatchObject({ timeoutMs: 30_000, method: 'POST', path: '/service/tickets' });
    expect(error.cause).toBe(timeout);
  });

  it.each([
    ['ENOTFOUND', 'dns', false, /could not be resolved/],
    ['ECONNREFUSED', 'refused', false, /refused the connection/],
    ['EHOSTUNREACH', 'unreachable', false, /unreachable/],
    ['CERT_HAS_EXPIRED', 'tls', false, /TLS handshake/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls', false, /certificate/],
    ['ECONNRESET', 'reset', true, /closed before ConnectWise answered/],
    ['UND_ERR_SOCKET', 'reset', true, /closed before ConnectWise answered/],
  ] as const)('classifies %s as %s', (code, kind, sent, hint) => {
    const error = classifyNetworkFailure(fetchFailed(code), context);
    expect(error).toBeInstanceOf(ManageConnectionError);
    expect(error).toMatchObject({ causeCode: code, kind, requestMayHaveBeenSent: sent });
    expect(error.message).toMatch(hint);
    expect(error.message).toContain(code);
  });

  it('tells a TLS server that hangs up mid-handshake from a reset', () => {
    const error = classifyNetworkFailure(
      fetchFailed(
        'ECONNRESET',
        'Client network socket disconnected before secure TLS connection was established',
      ),
      context,
    ) as ManageConnectionError;
    expect(error.kind).toBe('tls');
    expect(error.requestMayHaveBeenSent).toBe(false);
  });

  it('finds the code inside an AggregateError of several addresses', () => {
    const inner = Object.assign(new Error('connect ECONNREFUSED ::1:80'), { code: 'ECONNREFUSED' });
    const failure = new TypeError('fetch failed', { cause: new AggregateError([inner]) });
    expect(classifyNetworkFailure(failure, context)).toMatchObject({ kind: 'refused' });
  });

  it('assumes an unexplained failure may have sent the request', () => {
    const error = classifyNetworkFailure(new TypeError('fetch failed'), context);
    expect(error).toMatchObject({
      kind: 'other',
      requestMayHaveBeenSent: true,
      causeCode: undefined,
    });
  });
});
