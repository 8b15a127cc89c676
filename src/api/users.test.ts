import { expect, it } from 'vitest';
import { createApiToken } from '../accounts/api-tokens.js';
import type { UserView } from './contract/users.js';
import { TEST_PASSWORD, addUser, describeAppEachDialect, seedAccount, signIn } from './testing.js';

describeAppEachDialect('users API', (ctx) => {
  const asAdmin = async () => {
    const { account, user } = await seedAccount(ctx.storage);
    return { account, admin: user, cookie: await signIn(ctx.app, user.email) };
  };

  it('lets an admin create, list, change and delete users', async () => {
    const { cookie, admin } = await asAdmin();
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie },
      payload: {
        email: 'New.Person@Example.com',
        displayName: 'New Person',
        password: TEST_PASSWORD,
      },
    });
    expect(created.statusCode).toBe(201);
    const user = created.json<UserView>();
    expect(user).toMatchObject({
      email: 'new.person@example.com',
      role: 'viewer',
      disabled: false,
    });

    const listed = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { cookie },
    });
    expect(
      listed
        .json<{ users: UserView[] }>()
        .users.map((u) => u.id)
        .sort(),
    ).toEqual([admin.id, user.id].sort());

    const patched = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: { cookie },
      payload: { role: 'admin', displayName: 'Promoted' },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ role: 'admin', displayName: 'Promoted' });

    const deleted = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${user.id}`,
      headers: { cookie },
    });
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    const again = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${user.id}`,
      headers: { cookie },
    });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('answers a taken email with 409 conflict', async () => {
    const { cookie, admin } = await asAdmin();
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie },
      payload: { email: admin.email, displayName: 'Twin', password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error: {
        code: 'conflict',
        message: `A user with email ${admin.email} already exists; choose another email.`,
      },
    });
  });

  it('refuses to remove the last admin with 409 conflict', async () => {
    const { cookie, admin } = await asAdmin();
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.id}`,
      headers: { cookie },
      payload: { role: 'viewer' },
    });
    expect(res.statusCode).toBe(409);
    const { error } = res.json<{ error: { code: string; message: string } }>();
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/last enabled admin/);
  });

  it('refuses an empty change', async () => {
    const { cookie, admin } = await asAdmin();
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.id}`,
      headers: { cookie },
      payload: {},
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: 'validation_failed' } });
  });

  it('refuses every write from a viewer, by session or by token, with 403', async () => {
    const { account, admin } = await asAdmin();
    const viewer = await addUser(ctx.storage, account.id, 'viewer');
    const viewerCookie = await signIn(ctx.app, viewer.email);
    const { token } = await createApiToken(ctx.storage.db, account.id, {
      name: 'ro',
      role: 'viewer',
    });

    const writes = [
      {
        method: 'POST',
        url: '/api/v1/users',
        payload: { email: 'x@example.com', displayName: 'X', password: TEST_PASSWORD },
      },
      { method: 'PATCH', url: `/api/v1/users/${admin.id}`, payload: { displayName: 'X' } },
      { method: 'DELETE', url: `/api/v1/users/${admin.id}` },
      { method: 'POST', url: '/api/v1/tokens', payload: { name: 'x' } },
      { method: 'DELETE', url: '/api/v1/tokens/tok_01JAAAAAAAAAAAAAAAAAAAAAAA' },
    ] as const;
    for (const headers of [{ cookie: viewerCookie }, { authorization: `Bearer ${token}` }]) {
      for (const write of writes) {
        const res = await ctx.app.inject({ ...write, headers });
        expect(res.statusCode, `${write.method} ${write.url}`).toBe(403);
        expect(res.json()).toEqual({
          error: { code: 'forbidden', message: 'This needs the admin role; your role is viewer.' },
        });
      }
    }
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/me',
      headers: { cookie: viewerCookie },
    });
    expect(me.json()).toMatchObject({ role: 'viewer' });
    const stillThere = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: {
        authorization: `Bearer ${(await createApiToken(ctx.storage.db, account.id, { name: 'adm', role: 'admin' })).token}`,
      },
    });
    expect(
      stillThere.json<{ users: UserView[] }>().users.find((u) => u.id === admin.id)?.displayName,
    ).toBe('Test admin');
  });

  it("never shows or changes another account's users or tokens", async () => {
    const first = await asAdmin();
    const second = await asAdmin();
    const theirToken = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie: first.cookie },
      payload: { name: 'first account token' },
    });
    const theirTokenId = theirToken.json<{ apiToken: { id: string } }>().apiToken.id;

    const users = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/users',
      headers: { cookie: second.cookie },
    });
    expect(users.json<{ users: UserView[] }>().users.map((u) => u.id)).toEqual([second.admin.id]);
    const tokens = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: { cookie: second.cookie },
    });
    expect(tokens.json()).toEqual({ tokens: [] });

    for (const request of [
      {
        method: 'PATCH',
        url: `/api/v1/users/${first.admin.id}`,
        payload: { displayName: 'taken over' },
      },
      { method: 'DELETE', url: `/api/v1/users/${first.admin.id}` },
      { method: 'DELETE', url: `/api/v1/tokens/${theirTokenId}` },
    ] as const) {
      const res = await ctx.app.inject({ ...request, headers: { cookie: second.cookie } });
      expect(res.statusCode, `${request.method} ${request.url}`).toBe(404);
    }
    const firstTokens = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: { cookie: first.cookie },
    });
    expect(firstTokens.json()).toMatchObject({ tokens: [{ id: theirTokenId, revokedAt: null }] });
  });

  it("shows a token's secret once and only its hint afterwards", async () => {
    const { cookie, admin } = await asAdmin();
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie },
      payload: { name: 'nightly export', role: 'admin' },
    });
    expect(created.statusCode).toBe(201);
    const { token, apiToken } = created.json<{
      token: string;
      apiToken: Record<string, unknown>;
    }>();
    expect(token).toMatch(/^psb_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toMatchObject({
      name: 'nightly export',
      role: 'admin',
      hint: token.slice(0, 8),
      createdByUserId: admin.id,
    });

    const listed = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/tokens',
      headers: { cookie },
    });
    expect(listed.body).not.toContain(token);
    expect(listed.body).not.toContain(token.slice(8));
    expect(listed.json()).toMatchObject({
      tokens: [{ id: apiToken['id'], hint: token.slice(0, 8) }],
    });
  });
});
