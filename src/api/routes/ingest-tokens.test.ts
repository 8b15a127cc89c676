import { expect, it } from 'vitest';
import { addUser, describeAppEachDialect, seedAccount, signIn } from '../testing.js';

interface TokenView {
  id: string;
  name: string;
  hint: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

describeAppEachDialect('ingest tokens API', (ctx) => {
  it('creates a token, shows the secret once and never lists it', async () => {
    const { user } = await seedAccount(ctx.storage);
    const cookie = await signIn(ctx.app, user.email);
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/ingest-tokens',
      headers: { cookie },
      payload: { name: '  Backup console  ' },
    });
    expect(created.statusCode).toBe(201);
    const { token, ingestToken } = created.json<{ token: string; ingestToken: TokenView }>();
    expect(token).toMatch(/^psb_/);
    expect(ingestToken).toEqual({
      id: expect.stringMatching(/^itk_/) as unknown,
      name: 'Backup console',
      hint: token.slice(0, 8),
      createdAt: expect.any(String) as unknown,
      lastUsedAt: null,
      revokedAt: null,
    });

    const listed = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/ingest-tokens',
      headers: { cookie },
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ tokens: TokenView[] }>().tokens).toEqual([ingestToken]);
    expect(listed.body).not.toContain(token.slice(8));
  });

  it('shows when a token was last used and when it was revoked', async () => {
    const { user } = await seedAccount(ctx.storage);
    const cookie = await signIn(ctx.app, user.email);
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/ingest-tokens',
      headers: { cookie },
      payload: { name: 'sender' },
    });
    const { token, ingestToken } = created.json<{ token: string; ingestToken: TokenView }>();
    await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify({
        type: 'backup.succeeded',
        occurredAt: '2026-12-03T10:00:00Z',
        company: 'ACME',
        device: { id: 'd' },
      }),
    });
    for (let i = 0; i < 2; i++) {
      const revoked = await ctx.app.inject({
        method: 'DELETE',
        url: `/api/v1/ingest-tokens/${ingestToken.id}`,
        headers: { cookie },
      });
      expect(revoked.statusCode).toBe(204);
    }
    const listed = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/ingest-tokens',
      headers: { cookie },
    });
    const [view] = listed.json<{ tokens: TokenView[] }>().tokens;
    expect(view?.lastUsedAt).toEqual(expect.any(String));
    expect(view?.revokedAt).toEqual(expect.any(String));
  });

  it('answers 404 for a token of another account, which keeps working', async () => {
    const a = await seedAccount(ctx.storage);
    const b = await seedAccount(ctx.storage);
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/ingest-tokens',
      headers: { cookie: await signIn(ctx.app, a.user.email) },
      payload: { name: 'A' },
    });
    const { ingestToken } = created.json<{ ingestToken: TokenView }>();
    const cookieB = await signIn(ctx.app, b.user.email);
    const res = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/ingest-tokens/${ingestToken.id}`,
      headers: { cookie: cookieB },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('not_found');
    const listB = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/ingest-tokens',
      headers: { cookie: cookieB },
    });
    expect(listB.json()).toEqual({ tokens: [] });
  });

  it('is for admins only', async () => {
    const { account } = await seedAccount(ctx.storage);
    const viewer = await addUser(ctx.storage, account.id, 'viewer');
    const cookie = await signIn(ctx.app, viewer.email);
    for (const [method, url] of [
      ['GET', '/api/v1/ingest-tokens'],
      ['POST', '/api/v1/ingest-tokens'],
      ['DELETE', '/api/v1/ingest-tokens/itk_01JEXAMPLE0000000000000000'],
    ] as const) {
      const res = await ctx.app.inject({
        method,
        url,
        headers: { cookie },
        payload: { name: 'x' },
      });
      expect(res.statusCode).toBe(403);
    }
    const anonymous = await ctx.app.inject({ method: 'GET', url: '/api/v1/ingest-tokens' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('refuses a token without a name', async () => {
    const { user } = await seedAccount(ctx.storage);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/ingest-tokens',
      headers: { cookie: await signIn(ctx.app, user.email) },
      payload: { name: '   ' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('validation_failed');
  });
});
