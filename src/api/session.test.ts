import { expect, it } from 'vitest';
import { createApiToken } from '../accounts/api-tokens.js';
import { SESSION_COOKIE } from './contract/session.js';
import {
  TEST_PASSWORD,
  addUser,
  createTestApp,
  describeAppEachDialect,
  seedAccount,
  signIn,
} from './testing.js';

describeAppEachDialect('sign-in and authentication', (ctx) => {
  it('signs in with email and password and sets a safe session cookie', async () => {
    const { account, user } = await seedAccount(ctx.storage, { name: 'Acme MSP' });
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: user.email.toUpperCase(), password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      account: { id: account.id, name: 'Acme MSP' },
      role: 'admin',
      via: 'session',
      user: { id: user.id, email: user.email },
    });

    const cookie = res.cookies.find((c) => c.name === SESSION_COOKIE);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.value).toMatch(/^psb_/);
    // The test config listens on loopback, where Secure cookies would be dropped over http.
    expect(cookie?.secure).toBeUndefined();
    expect(new Date(String(cookie?.expires)).getTime()).toBeGreaterThan(Date.now());

    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      cookies: { [SESSION_COOKIE]: cookie?.value ?? '' },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ user: { id: user.id }, role: 'admin' });
  });

  it('gives an unknown email and a wrong password the same 401 answer', async () => {
    const { user } = await seedAccount(ctx.storage);
    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: user.email, password: 'not the password' },
    });
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: 'nobody@example.com', password: TEST_PASSWORD },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual({
      error: { code: 'unauthorized', message: 'Email or password is incorrect.' },
    });
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.cookies).toEqual([]);
  });

  it('refuses a disabled user with the same answer', async () => {
    const { account } = await seedAccount(ctx.storage);
    const viewer = await addUser(ctx.storage, account.id, 'viewer');
    const adminCookie = await signIn(
      ctx.app,
      (await addUser(ctx.storage, account.id, 'admin')).email,
    );
    await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${viewer.id}`,
      headers: { cookie: adminCookie },
      payload: { disabled: true },
    });
    await expect(signIn(ctx.app, viewer.email)).rejects.toThrow(
      /401.*Email or password is incorrect/,
    );
  });

  it('signs out: the cookie is cleared and the session stops working', async () => {
    const { user } = await seedAccount(ctx.storage);
    const cookie = await signIn(ctx.app, user.email);
    const out = await ctx.app.inject({
      method: 'DELETE',
      url: '/api/v1/session',
      headers: { cookie },
    });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === SESSION_COOKIE)?.value).toBe('');
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
    expect(me.json()).toEqual({
      error: { code: 'unauthorized', message: 'Your session has ended. Sign in again.' },
    });
  });

  it('requires credentials everywhere but health, sign-in and the docs', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/users'],
      ['POST', '/api/v1/users'],
      ['GET', '/api/v1/tokens'],
      ['DELETE', '/api/v1/tokens/tok_01JAAAAAAAAAAAAAAAAAAAAAAA'],
    ] as const) {
      const res = await ctx.app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    }
    expect((await ctx.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(
      200,
    );
    expect((await ctx.app.inject({ method: 'GET', url: '/api/docs/' })).statusCode).toBe(200);
  });

  it("accepts an API token as a bearer token with the token's role", async () => {
    const { account } = await seedAccount(ctx.storage);
    const { token } = await createApiToken(ctx.storage.db, account.id, {
      name: 'script',
      role: 'viewer',
    });
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      account: { id: account.id, name: 'Test MSP' },
      role: 'viewer',
      via: 'api_token',
      user: null,
    });
  });

  it('refuses malformed, unknown and revoked bearer tokens', async () => {
    const { user } = await seedAccount(ctx.storage);
    const cookie = await signIn(ctx.app, user.email);
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie },
      payload: { name: 'to revoke', role: 'admin' },
    });
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json<{ token: string; apiToken: { id: string } }>();
    const asToken = (authorization: string) =>
      ctx.app.inject({ method: 'GET', url: '/api/v1/users', headers: { authorization } });

    expect((await asToken(`Bearer ${token}`)).statusCode).toBe(200);
    expect((await asToken(`Basic ${token}`)).json()).toMatchObject({
      error: { code: 'unauthorized' },
    });
    expect((await asToken('Bearer psb_unknown')).statusCode).toBe(401);

    const revoke = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${apiToken.id}`,
      headers: { cookie },
    });
    expect(revoke.statusCode).toBe(204);
    const refused = await asToken(`Bearer ${token}`);
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toEqual({
      error: { code: 'unauthorized', message: 'The API token is unknown or revoked.' },
    });
  });

  it('answers health with the database state', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.json()).toEqual({ status: 'ok', database: 'ok' });
  });
});

describeAppEachDialect(
  'sign-in rate limit',
  (ctx) => {
    it('answers 429 rate_limited after too many attempts from one address', async () => {
      const attempt = () =>
        ctx.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          remoteAddress: '203.0.113.9',
          payload: { email: 'x@example.com', password: 'wrong password' },
        });
      expect((await attempt()).statusCode).toBe(401);
      expect((await attempt()).statusCode).toBe(401);
      const limited = await attempt();
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ error: { code: 'rate_limited' } });
      expect(limited.headers['retry-after']).toBeDefined();
    });
  },
  { loginRateLimit: { max: 2, windowMs: 60_000 } },
);

it('marks the session cookie Secure when configured', async () => {
  const { parseConfig } = await import('../config/config.js');
  const test = await createTestApp('sqlite', {
    config: parseConfig({ PSABRIDGE_HOST: '0.0.0.0', PSABRIDGE_DATA_DIR: '/nonexistent' }),
  });
  try {
    const { user } = await seedAccount(test.storage);
    const res = await test.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    expect(res.cookies.find((c) => c.name === SESSION_COOKIE)?.secure).toBe(true);
  } finally {
    await test.dispose();
  }
});
