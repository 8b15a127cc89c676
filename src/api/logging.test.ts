import { Writable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import { describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from './contract/session.js';
import { createLogger } from './logger.js';
import { TEST_PASSWORD, describeAppEachDialect, seedAccount } from './testing.js';

describeAppEachDialect('secrets in answers and logs', (ctx) => {
  it('never writes a password, session token or API token to an answer or a log line', async () => {
    const { user } = await seedAccount(ctx.storage);
    const seen: string[] = [];
    const send = async (request: InjectOptions) => {
      const res = await ctx.app.inject(request);
      seen.push(JSON.stringify(res.headers), res.body);
      return res;
    };

    const login = await send({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    const session = login.cookies.find((c) => c.name === SESSION_COOKIE)?.value ?? '';
    const cookie = `${SESSION_COOKIE}=${session}`;
    await send({
      method: 'POST',
      url: '/api/v1/session',
      payload: { email: user.email, password: `${TEST_PASSWORD}!` },
    });
    const created = await send({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie },
      payload: { name: 't' },
    });
    const token = created.json<{ token: string }>().token;
    const newPassword = 'a brand new secret phrase';
    await send({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie },
      payload: { email: 'n@example.com', displayName: 'N', password: newPassword },
    });
    await send({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
    await send({
      method: 'GET',
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${token}x` },
    });
    await send({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } });

    const logs = ctx.logs();
    expect(logs).toContain('"reqId"');
    // The session token and API token travel in the answers that create them, and nowhere else.
    const answers = seen.join('\n');
    expect(answers.split(token).length - 1).toBe(1);
    for (const secret of [TEST_PASSWORD, newPassword, session.slice(4), token.slice(4)]) {
      expect(logs).not.toContain(secret);
    }
    expect(answers).not.toContain(TEST_PASSWORD);
    expect(answers).not.toContain(newPassword);
    expect(answers).not.toMatch(/argon2/);
  });
});

describe('createLogger', () => {
  it('redacts credentials by path, wherever a caller logs them', () => {
    let out = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        out += chunk.toString('utf8');
        done();
      },
    });
    const logger = createLogger({ level: 'info', destination });
    logger.info(
      {
        req: {
          headers: { authorization: 'Bearer psb_secret1', cookie: 'psabridge_session=psb_secret2' },
        },
        res: { headers: { 'set-cookie': 'psabridge_session=psb_secret3' } },
        body: { password: 'hunter2hunter2', email: 'a@example.com' },
        privateKey: 'cw-private-key',
        connection: { privateKey: 'cw-private-key-2' },
      },
      'request',
    );
    expect(out).toContain('a@example.com');
    expect(out).toContain('[redacted]');
    for (const secret of [
      'psb_secret1',
      'psb_secret2',
      'psb_secret3',
      'hunter2',
      'cw-private-key',
    ]) {
      expect(out).not.toContain(secret);
    }
  });
});
