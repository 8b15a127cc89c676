import { describe, expect, it } from 'vitest';

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
import type { ErrorResponse } from './error-parsing.js';
import { errorFromResponse, parseErrorBody, parseRetryAfterMs } from './error-parsing.js';

const base = (status: number, text: string): ErrorResponse => ({
  method: 'POST',
  path: '/service/tickets',
  endpoint: 'createTicket',
  status,
  text,
  retryAfter: null,
  companyId: 'psademo',
});

describe('parseErrorBody', () => {
  it('reads the envelope with its field errors', () => {
    const body = parseErrorBody(
      '{"code":"InvalidObject","message":"ticket object is invalid","errors":[{"code":"NotFound",' +
        '"message":"Service Status 17 not found for Service Board 21","resource":"ticket","field":"status/id"}]}',
    );
    expect(body).toEqual({
      code: 'InvalidObject',
      message: 'ticket object is invalid',
      fieldErrors: [
        {
          code: 'NotFound',
          message: 'Service Status 17 not found for Service Board 21',
          resource: 'ticket',
          field: 'status/id',
        },
      ],
    });
  });

  it('reads the 429 body, whose code is under "error"', () => {
    expect(
      parseErrorBody(
        '{"error":"ConnectWiseAPI","message":"Too many requests. Please try again in 30 seconds."}',
      ),
    ).toEqual({
      code: 'ConnectWiseAPI',
      message: 'Too many requests. Please try again in 30 seconds.',
      fieldErrors: [],
    });
  });

  it('keeps plain text as the message and names an HTML page as such', () => {
    expect(parseErrorBody('Cannot route. Codebase/company is invalid')).toEqual({
      message: 'Cannot route. Codebase/company is invalid',
      fieldErrors: [],
    });
    expect(parseErrorBody('<!DOCTYPE html><html><body>Error 1015</body></html>').message).toBe(
      'an HTML page',
    );
  });

  it('copes with empty bodies, null errors and odd JSON', () => {
    expect(parseErrorBody('')).toEqual({ fieldErrors: [] });
    expect(parseErrorBody('{"code":"Security","message":"x","errors":null}').fieldErrors).toEqual(
      [],
    );
    expect(parseErrorBody('[1,2]')).toEqual({ fieldErrors: [] });
    expect(parseErrorBody('"oops"')).toEqual({ message: 'oops', fieldErrors: [] });
    expect(parseErrorBody('{"errors":[42,{"message":"m"}]}').fieldErrors).toEqual([
      { code: 'Invalid', message: 'm' },
    ]);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads seconds, the form ConnectWise sends', () => {
    expect(parseRetryAfterMs('30')).toBe(30_000);
    expect(parseRetryAfterMs(' 1.5 ')).toBe(1_500);
    expect(parseRetryAfterMs('0')).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfterMs(null)).toBeUndefined();
    expect(parseRetryAfterMs('')).toBeUndefined();
    expect(parseRetryAfterMs('soon')).toBeUndefined();
    expect(parseRetryAfterMs('-5')).toBeUndefined();
  });
});

describe('errorFromResponse', () => {
  it('makes a 400 a validation error listing the refused fields', () => {
    const error = errorFromResponse(
      base(
        400,
        '{"code":"InvalidObject","message":"ticket object is invalid","errors":[{"code":"MaxLengthField",' +
          '"message":"The field summary must be a string with a maximum length of 100.","resource":"ticket","field":"summary"}]}',
      ),
    );
    expect(error).toBeInstanceOf(ManageValidationError);
    expect(error).toMatchObject({
      status: 400,
      method: 'POST',
      path: '/service/tickets',
      code: 'InvalidObject',
      fieldErrors: [{ code: 'MaxLengthField', field: 'summary', resource: 'ticket' }],
    });
    expect(error.message).toContain('summary: The field summary must be a string');
    expect(error.message).toMatch(/Fix the request/);
  });

  it('makes a 400 naming clientId a clientId error', () => {
    const error = errorFromResponse(
      base(400, '{"code":"InvalidClientId","message":"A valid clientId header is required."}'),
    );
    expect(error).toBeInstanceOf(ManageClientIdError);
    expect(error.message).toMatch(/clientId/);
    expect(error.message).toMatch(/developer\.connectwise\.com\/ClientID/);
  });

  it("reads the cloud gateway's plain-text routing error", () => {
    const error = errorFromResponse(base(400, 'Cannot route. Codebase/company is invalid'));
    expect(error).not.toBeInstanceOf(ManageValidationError);
    expect(error.code).toBe('CannotRoute');
    expect(error.message).toMatch(/codebase or company/);
  });

  it('makes a 401 an authentication error that says what to check', () => {
    const error = errorFromResponse(
      base(401, '{"code":"Unauthorized","message":"Incorrect public/private key"}'),
    );
    expect(error).toBeInstanceOf(ManageAuthenticationError);
    expect(error.message).toMatch(/public key, the private key and the company ID/);
    expect(error.message).toContain('"psademo"');
  });

  it('makes a 403 a permission error naming the call and the security-role row', () => {
    const error = errorFromResponse(
      base(
        403,
        '{"code":"Security","message":"You do not have security permission to perform this action."}',
      ),
    );
    expect(error).toBeInstanceOf(ManagePermissionError);
    expect((error as ManagePermissionError).permission).toEqual({
      fn: 'serviceTickets',
      action: 'add',
      label: 'Service Desk › Service Tickets › Add Level: All',
    });
    expect(error.message).toContain('POST /service/tickets');
    expect(error.message).toContain('Service Desk › Service Tickets › Add Level: All');
  });

  it('tells a missing record from a missing endpoint', () => {
    const record = errorFromResponse({
      ...base(404, '{"code":"NotFound","message":"Ticket 9 not found"}'),
      method: 'GET',
      path: '/service/tickets/9',
      endpoint: 'getTicket',
    });
    expect(record).toBeInstanceOf(ManageNotFoundError);
    expect((record as ManageNotFoundError).endpointMissing).toBe(false);

    const endpoint = errorFromResponse({
      ...base(404, '{"code":"ConnectWiseApi","message":"The endpoint does not exist."}'),
      codebase: 'v2024_1/',
    });
    expect((endpoint as ManageNotFoundError).endpointMissing).toBe(true);
    expect(endpoint.message).toContain('v2024_1/');
  });

  it('makes a 429 a rate-limit error carrying Retry-After', () => {
    const error = errorFromResponse({
      ...base(
        429,
        '{"error":"ConnectWiseAPI","message":"Too many requests. Please try again in 3 seconds."}',
      ),
      retryAfter: '3',
    });
    expect(error).toBeInstanceOf(ManageRateLimitedError);
    expect(error).toMatchObject({ code: 'ConnectWiseAPI', retryAfterMs: 3_000 });
    expect(error.message).toMatch(/did not process it/);
  });

  it('makes a 429 HTML page (a CDN) a rate-limit error as well', () => {
    const error = errorFromResponse(base(429, '<html><body>Error 1015</body></html>'));
    expect(error).toBeInstanceOf(ManageRateLimitedError);
    expect((error as ManageRateLimitedError).retryAfterMs).toBeUndefined();
  });

  it('makes any 5xx an unavailable error', () => {
    for (const status of [500, 502, 503, 504]) {
      expect(errorFromResponse(base(status, 'Query read timeout'))).toBeInstanceOf(
        ManageUnavailableError,
      );
    }
  });

  it('keeps other statuses as the base error with the raw body', () => {
    const error = errorFromResponse(base(409, '{"code":"Conflict","message":"Record in use"}'));
    expect(error.constructor).toBe(ManageApiError);
    expect(error).toMatchObject({ status: 409, code: 'Conflict' });
    expect(error.rawBody).toBe('{"code":"Conflict","message":"Record in use"}');
  });

  it('cuts a huge raw body', () => {
    expect(errorFromResponse(base(500, 'x'.repeat(10_000))).rawBody).toHaveLength(4_000);
  });
});
