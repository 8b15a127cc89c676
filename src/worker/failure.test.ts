import { describe, expect, it } from 'vitest';

import {
  ManageAuthenticationError,
  ManageConnectionError,
  ManageNotFoundError,
  ManageOutcomeUnknownError,
  ManagePermissionError,
  ManageRateLimitedError,
  ManageTimeoutError,
  ManageUnavailableError,
  ManageValidationError,
} from '../connectwise/client/index.js';
import { ConnectionNotConfiguredError } from '../connection/errors.js';
import { RulesValidationError } from '../domain/index.js';
import { DeliveryBlockedError } from './errors.js';
import {
  backoffDelayMs,
  decideFailure,
  DEFAULT_RETRY_BACKOFF,
  type FailureInput,
} from './failure.js';

const site = { method: 'POST', path: '/service/tickets', endpoint: 'createTicket' } as const;
const decide = (error: unknown, attempts = 1, extra: Partial<FailureInput> = {}) =>
  decideFailure({ error, attempts, backoff: DEFAULT_RETRY_BACKOFF, random: () => 0.5, ...extra });

describe('decideFailure', () => {
  it('obeys a 429 Retry-After exactly and marks the account throttled', () => {
    const error = new ManageRateLimitedError('throttled', {
      ...site,
      status: 429,
      retryAfterMs: 7000,
    });
    expect(decide(error, 3)).toMatchObject({ kind: 'retry', delayMs: 7000, rateLimited: true });
  });

  it('backs off a 429 without Retry-After', () => {
    const error = new ManageRateLimitedError('throttled', { ...site, status: 429 });
    const decision = decide(error, 1);
    expect(decision).toMatchObject({ kind: 'retry', rateLimited: true });
    expect(decision.kind === 'retry' && decision.delayMs).toBe(1500);
  });

  it.each([
    ['a 5xx', new ManageUnavailableError('down', { ...site, status: 503 })],
    ['a timeout', new ManageTimeoutError('slow', { ...site, timeoutMs: 1000 })],
    [
      'a connection failure',
      new ManageConnectionError('reset', { ...site, kind: 'reset', requestMayHaveBeenSent: true }),
    ],
    ['a lost answer', new ManageOutcomeUnknownError('lost', site)],
  ])('retries %s however many runs failed before', (_name, error) => {
    for (const attempts of [1, 10, 1000]) {
      expect(decide(error, attempts)).toMatchObject({ kind: 'retry', rateLimited: false });
    }
  });

  it('blocks a lost permission, naming it and where to grant it', () => {
    const error = new ManagePermissionError('refused', {
      ...site,
      status: 403,
      permission: {
        fn: 'serviceTickets',
        action: 'add',
        label: 'Service Desk › Service Tickets › Add Level: All',
      },
    });
    const decision = decide(error);
    expect(decision).toMatchObject({ kind: 'blocked', code: 'permission_missing' });
    if (decision.kind !== 'blocked') throw new Error('expected blocked');
    expect(decision.reason).toBe(
      "ConnectWise refused POST /service/tickets: the API member's role lacks Service Desk › Service Tickets › Add Level: All.",
    );
    expect(decision.fix).toMatch(/^Grant it in System › Security Roles/);
  });

  it('blocks revoked keys and a missing connection with what to do', () => {
    expect(decide(new ManageAuthenticationError('401', { ...site, status: 401 }))).toMatchObject({
      kind: 'blocked',
      code: 'wrong_keys',
    });
    expect(decide(new ConnectionNotConfiguredError('acc_1'))).toMatchObject({
      kind: 'blocked',
      code: 'no_connection',
    });
  });

  it('blocks a refused field with the setting to correct', () => {
    const error = new ManageValidationError('invalid', {
      ...site,
      status: 400,
      fieldErrors: [
        {
          code: 'NotFound',
          message: 'Service Status 17 not found for Service Board 21',
          field: 'status/id',
        },
      ],
    });
    const decision = decide(error);
    expect(decision).toMatchObject({ kind: 'blocked', code: 'refused_by_connectwise' });
    if (decision.kind !== 'blocked') throw new Error('expected blocked');
    expect(decision.reason).toContain('status/id: Service Status 17 not found');
    expect(decision.fix).toContain('service-board settings');
  });

  it('blocks a missing endpoint and invalid stored rules', () => {
    const missing = new ManageNotFoundError('gone', {
      ...site,
      status: 404,
      endpointMissing: true,
    });
    expect(decide(missing)).toMatchObject({ kind: 'blocked', code: 'endpoint_missing' });
    const rules = new RulesValidationError([{ path: 'storm.devices', message: 'too small' }]);
    expect(decide(rules)).toMatchObject({ kind: 'blocked', code: 'rules_invalid' });
  });

  it("passes the bridge's own blocked reasons through", () => {
    const error = new DeliveryBlockedError('no_contact', 'ACME has no contact.', 'Add one.');
    expect(decide(error)).toEqual({
      kind: 'blocked',
      code: 'no_contact',
      reason: 'ACME has no contact.',
      fix: 'Add one.',
    });
  });

  it('retries an unexpected error a few times, then blocks it so it is seen', () => {
    const error = new TypeError('boom');
    expect(decide(error, 1)).toMatchObject({ kind: 'retry' });
    expect(decide(error, DEFAULT_RETRY_BACKOFF.unexpectedAttempts)).toMatchObject({
      kind: 'blocked',
      code: 'unexpected_error',
    });
  });
});

describe('backoffDelayMs', () => {
  const backoff = { baseMs: 1000, maxMs: 8000, unexpectedAttempts: 5 };

  it('doubles per run, between half and all of the ceiling', () => {
    expect(backoffDelayMs(1, backoff, () => 0)).toBe(500);
    expect(backoffDelayMs(1, backoff, () => 0.999999)).toBe(1000);
    expect(backoffDelayMs(3, backoff, () => 0)).toBe(2000);
  });

  it('never waits longer than the cap, even after very many runs', () => {
    expect(backoffDelayMs(4000, backoff, () => 0.999999)).toBe(8000);
  });
});
