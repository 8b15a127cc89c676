import { expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT_BYTES } from './app.js';
import { ErrorBodySchema } from './contract/errors.js';
import { createTestApp, describeAppEachDialect, seedAccount, signIn } from './testing.js';

/** Asserts the body is the one error envelope and returns its `error`. */
function envelope(body: string) {
  return ErrorBodySchema.strict().parse(JSON.parse(body)).error;
}

describeAppEachDialect('error envelope', (ctx) => {
  const adminCookie = async () => {
    const { user } = await seedAccount(ctx.storage);
    return signIn(ctx.app, user.email);
  };

  it('answers bad JSON with 400 bad_request and a clear message', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@example.com", ',
    });
    expect(res.statusCode).toBe(400);
    expect(envelope(res.body)).toEqual({
      code: 'bad_request',
      message: 'The request body is not valid JSON. Send a JSON document.',
    });
  });

  it('answers an unknown route with a 404 envelope, signed in or not', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/nothing-here?x=1' });
    expect(res.statusCode).toBe(404);
    expect(envelope(res.body)).toEqual({
      code: 'not_found',
      message: 'No endpoint GET /api/v1/nothing-here.',
    });
  });

  it('answers an oversized body with 413 payload_too_large', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({
        email: 'a@example.com',
        password: 'x'.repeat(DEFAULT_BODY_LIMIT_BYTES),
      }),
    });
    expect(res.statusCode).toBe(413);
    expect(envelope(res.body).code).toBe('payload_too_large');
  });

  it('answers an unsupported content type with 415', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'content-type': 'application/xml' },
      payload: '<login/>',
    });
    expect(res.statusCode).toBe(415);
    expect(envelope(res.body).code).toBe('unsupported_media_type');
  });

  it('answers schema failures with 400 validation_failed and every field path', async () => {
    const cookie = await adminCookie();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie },
      payload: { email: 'not-an-email', displayName: '', role: 'owner', password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    const error = envelope(res.body);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toBe('The request body is not valid.');
    expect(error.errors?.map((e) => e.path).sort()).toEqual([
      'displayName',
      'email',
      'password',
      'role',
    ]);
    expect(error.errors?.find((e) => e.path === 'password')?.message).toBe(
      'use at least 12 characters',
    );
  });

  it('names path parameters that fail validation', async () => {
    const cookie = await adminCookie();
    const res = await ctx.app.inject({
      method: 'DELETE',
      url: '/api/v1/users/42',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(400);
    expect(envelope(res.body).errors).toEqual([{ path: 'path.id', message: 'not a valid id' }]);
  });

  it('sends a request id with every answer', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['x-request-id']).toMatch(/^req_/);
  });
});

it('answers an unexpected failure with a bare 500 and the request id, logging the cause', async () => {
  const test = await createTestApp('sqlite');
  try {
    const { user } = await seedAccount(test.storage);
    const cookie = await signIn(test.app, user.email);
    // A database that went away mid-flight is the unexpected failure every handler can meet.
    await test.storage.close();
    const res = await test.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(res.statusCode).toBe(500);
    const requestId = res.headers['x-request-id'];
    expect(envelope(res.body)).toEqual({ code: 'internal', message: 'internal error', requestId });
    expect(res.body).not.toMatch(/sqlite|database|at .*\.ts/i);
    expect(test.logs()).toContain(`"reqId":"${String(requestId)}"`);
    expect(test.logs()).toContain('request failed');
  } finally {
    await test.dispose();
  }
});
