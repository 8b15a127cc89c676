import { Readable } from 'node:stream';
import { expect, it } from 'vitest';
import { createApiToken } from '../../accounts/api-tokens.js';
import { createIngestToken } from '../../ingest/tokens.js';
import type { Storage } from '../../storage/open.js';
import { EVENTS_BODY_LIMIT_BYTES } from '../contract/events.js';
import { describeAppEachDialect, seedAccount, signIn, type TestApp } from '../testing.js';

type Json = Record<string, unknown>;

const NDJSON = 'application/x-ndjson';

function event(overrides: Json = {}): Json {
  return {
    type: 'backup.failed',
    occurredAt: '2026-12-03T10:00:00Z',
    company: 'ACME',
    device: { id: 'dev-42', name: 'ACME-FS01', os: 'Windows Server 2022' },
    job: { id: 'job-9', name: 'Nightly', errorCode: 'VSS_0x8004230f', bytes: 1048576, files: 120 },
    message: 'VSS snapshot failed',
    ...overrides,
  };
}

/** A new account with an ingest token. */
async function sender(storage: Storage): Promise<{ accountId: string; token: string }> {
  const { account } = await seedAccount(storage);
  const { token } = await createIngestToken(storage.db, account.id, 'backup console');
  return { accountId: account.id, token };
}

async function post(
  ctx: TestApp,
  token: string | undefined,
  body: unknown,
  contentType = 'application/json',
) {
  return ctx.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: {
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      'content-type': contentType,
    },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

/** Rows of the account in each table ingestion writes. */
async function counts(storage: Storage, accountId: string) {
  const count = async (table: 'events' | 'jobs' | 'companies' | 'devices'): Promise<number> => {
    const row = await storage.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return {
    events: await count('events'),
    jobs: await count('jobs'),
    companies: await count('companies'),
    devices: await count('devices'),
  };
}

const NOTHING = { events: 0, jobs: 0, companies: 0, devices: 0 };

describeAppEachDialect('POST /api/v1/events', (ctx) => {
  it('accepts one JSON event with 202 and stores it with one queued job of its company', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const res = await post(ctx, token, event({ id: 'evt-1' }));

    expect(res.statusCode).toBe(202);
    const body = res.json<{ accepted: number; duplicates: number; eventIds: string[] }>();
    expect(body).toEqual({
      accepted: 1,
      duplicates: 0,
      eventIds: [expect.stringMatching(/^evt_/)],
    });

    const stored = await ctx.storage.db
      .selectFrom('events')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      id: body.eventIds[0],
      client_event_id: 'evt-1',
      type: 'backup.failed',
      occurred_at: '2026-12-03T10:00:00.000Z',
    });
    expect(JSON.parse(stored[0]?.payload ?? '')).toMatchObject({
      company: 'ACME',
      device: { id: 'dev-42' },
      job: { errorCode: 'VSS_0x8004230f' },
    });

    const company = await ctx.storage.db
      .selectFrom('companies')
      .selectAll()
      .where('account_id', '=', accountId)
      .executeTakeFirstOrThrow();
    expect(company).toMatchObject({ name: 'ACME', registered_by: 'event' });
    expect(stored[0]?.company_id).toBe(company.id);

    const jobs = await ctx.storage.db
      .selectFrom('jobs')
      .selectAll()
      .where('account_id', '=', accountId)
      .execute();
    expect(jobs).toEqual([
      expect.objectContaining({
        kind: 'event',
        ordering_key: `company:${company.id}`,
        event_id: body.eventIds[0],
        payload: '{}',
        state: 'queued',
        attempts: 0,
      }),
    ]);
  });

  it('accepts a JSON array and NDJSON, counting every event', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const array = await post(ctx, token, [
      event({ id: 'a-1' }),
      event({ id: 'a-2', type: 'backup.succeeded' }),
      event({ company: 'Globex', device: { id: 'gx-1' } }),
    ]);
    expect(array.statusCode).toBe(202);
    expect(array.json()).toMatchObject({ accepted: 3, duplicates: 0 });

    const lines = [event({ id: 'n-1' }), event({ id: 'n-2' }), event({ company: 'Initech' })]
      .map((e) => JSON.stringify(e))
      .join('\n\n');
    const ndjson = await post(ctx, token, `${lines}\n`, `${NDJSON}; charset=utf-8`);
    expect(ndjson.statusCode).toBe(202);
    expect(ndjson.json()).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(ndjson.json<{ eventIds: string[] }>().eventIds).toHaveLength(3);

    expect(await counts(ctx.storage, accountId)).toEqual({
      events: 6,
      jobs: 6,
      companies: 3,
      devices: 3,
    });
  });

  it('stores an event id repeated within one request once, with one job', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const res = await post(ctx, token, [event({ id: 'same' }), event({ id: 'same' }), event()]);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ accepted: 2, duplicates: 1 });
    expect(await counts(ctx.storage, accountId)).toMatchObject({ events: 2, jobs: 2 });
  });

  it('counts an id already stored by an earlier request as a duplicate and queues nothing', async () => {
    const { accountId, token } = await sender(ctx.storage);
    expect((await post(ctx, token, event({ id: 'once' }))).json()).toMatchObject({ accepted: 1 });

    const again = await post(ctx, token, [event({ id: 'once' }), event({ id: 'twice' })]);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(again.json<{ eventIds: string[] }>().eventIds).toHaveLength(1);
    expect(await counts(ctx.storage, accountId)).toMatchObject({ events: 2, jobs: 2 });
  });

  it('stores an id sent by concurrent requests once, with one job', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post(ctx, token, [
          event({ id: 'raced' }),
          event({ id: `own-${i}`, company: `New ${i % 2}` }),
        ]),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(6).fill(202));
    const bodies = results.map((r) => r.json<{ accepted: number; duplicates: number }>());
    expect(bodies.reduce((sum, b) => sum + b.accepted, 0)).toBe(7);
    expect(bodies.reduce((sum, b) => sum + b.duplicates, 0)).toBe(5);

    const raced = await ctx.storage.db
      .selectFrom('events')
      .innerJoin('jobs', 'jobs.event_id', 'events.id')
      .select('jobs.id')
      .where('events.account_id', '=', accountId)
      .where('events.client_event_id', '=', 'raced')
      .execute();
    expect(raced).toHaveLength(1);
    // Two new companies named by several requests at once are registered once each.
    expect(await counts(ctx.storage, accountId)).toEqual({
      events: 7,
      jobs: 7,
      companies: 3,
      devices: 3,
    });
  });

  it('stores each id once when concurrent requests share many ids in different orders', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const shared = Array.from({ length: 60 }, (_, i) =>
      event({ id: `s-${i}`, company: `Co ${i % 7}`, device: { id: `d-${i % 13}` } }),
    );
    // Companies and devices known beforehand, so the requests contend on the event ids alone.
    await post(
      ctx,
      token,
      shared.map((e) => ({ ...e, id: `warm-${String(e['id'])}` })),
    );
    // Each request holds the same events, rotated and some reversed.
    const bodies = Array.from({ length: 8 }, (_, r) => {
      const rotated = [...shared.slice(r * 7), ...shared.slice(0, r * 7)];
      return r % 2 === 0 ? rotated : rotated.reverse();
    });
    const results = await Promise.all(bodies.map((body) => post(ctx, token, body)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(202));
    const accepted = results.map((r) => r.json<{ accepted: number }>().accepted);
    expect(accepted.reduce((a, b) => a + b, 0)).toBe(60);
    expect(await counts(ctx.storage, accountId)).toEqual({
      events: 120,
      jobs: 120,
      companies: 7,
      // 7 and 13 are coprime: 60 events name 60 different (company, device) pairs.
      devices: 60,
    });
  });

  it('registers the companies and devices events name, keeping device details current', async () => {
    const { accountId, token } = await sender(ctx.storage);
    await post(ctx, token, [
      event({ company: 'Umbrella', device: { id: 'u-1', name: 'UMB-DC01' } }),
      event({ company: 'Umbrella', device: { id: 'u-2' } }),
      event({ company: 'StarkInd', device: { id: 'u-1', os: 'Ubuntu 24.04' } }),
    ]);
    await post(ctx, token, event({ company: 'Umbrella', device: { id: 'u-1', os: 'Windows 11' } }));

    const devices = await ctx.storage.db
      .selectFrom('devices')
      .innerJoin('companies', 'companies.id', 'devices.company_id')
      .select(['companies.name as company', 'device_key', 'devices.name', 'os'])
      .where('devices.account_id', '=', accountId)
      .orderBy('companies.name')
      .orderBy('device_key')
      .execute();
    expect(devices).toEqual([
      { company: 'StarkInd', device_key: 'u-1', name: null, os: 'Ubuntu 24.04' },
      { company: 'Umbrella', device_key: 'u-1', name: 'UMB-DC01', os: 'Windows 11' },
      { company: 'Umbrella', device_key: 'u-2', name: null, os: null },
    ]);
    const companies = await ctx.storage.db
      .selectFrom('companies')
      .select(['name', 'registered_by'])
      .where('account_id', '=', accountId)
      .orderBy('name')
      .execute();
    expect(companies).toEqual([
      { name: 'StarkInd', registered_by: 'event' },
      { name: 'Umbrella', registered_by: 'event' },
    ]);
  });

  it('queues the jobs of one company in request order', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const types = ['backup.failed', 'backup.warning', 'backup.succeeded', 'backup.missed'];
    const res = await post(
      ctx,
      token,
      Array.from({ length: 200 }, (_, i) => event({ type: types[i % 4], id: `ord-${199 - i}` })),
    );
    const eventIds = res.json<{ eventIds: string[] }>().eventIds;
    const jobs = await ctx.storage.db
      .selectFrom('jobs')
      .select('event_id')
      .where('account_id', '=', accountId)
      .orderBy('id')
      .execute();
    expect(jobs.map((job) => job.event_id)).toEqual(eventIds);
    expect([...eventIds].sort()).toEqual(eventIds);
  });

  it('accepts every field at the longest the contract allows, counted in characters', async () => {
    const { accountId, token } = await sender(ctx.storage);
    // Characters outside the Basic Multilingual Plane take two UTF-16 units each.
    const wide = (n: number): string => '\u{1F3E2}'.repeat(n);
    const res = await post(
      ctx,
      token,
      event({
        id: wide(128),
        company: wide(100),
        device: { id: wide(128), name: wide(200), os: wide(200) },
        message: wide(4000),
        occurredAt: '0001-01-01T00:00:00Z',
      }),
    );
    expect(res.statusCode).toBe(202);
    expect(await counts(ctx.storage, accountId)).toEqual({
      events: 1,
      jobs: 1,
      companies: 1,
      devices: 1,
    });
  });

  const badEvents: [string, Json, string][] = [
    ['an unknown type', { type: 'backup.exploded' }, 'type'],
    ['an occurredAt that is no date-time', { occurredAt: 'yesterday' }, 'occurredAt'],
    ['an occurredAt without a zone', { occurredAt: '2026-12-03T10:00:00' }, 'occurredAt'],
    ['an empty company', { company: '  ' }, 'company'],
    ['a company that is no string', { company: 42 }, 'company'],
    ['a device without id', { device: { name: 'ACME-FS01' } }, 'device.id'],
    ['a negative job.bytes', { job: { bytes: -1 } }, 'job.bytes'],
    ['a fractional job.bytes', { job: { bytes: 1.5 } }, 'job.bytes'],
    ['a message over 4,000 characters', { message: 'x'.repeat(4001) }, 'message'],
    ['an id over 128 characters', { id: 'i'.repeat(129) }, 'id'],
    ['an unknown field', { sevrity: 'high' }, 'sevrity'],
  ];
  for (const [what, overrides, path] of badEvents) {
    it(`refuses a request with ${what} with 400 naming index and field, storing nothing`, async () => {
      const { accountId, token } = await sender(ctx.storage);
      const res = await post(ctx, token, [event({ id: 'fine' }), event(overrides)]);

      expect(res.statusCode).toBe(400);
      const body = res.json<{ error: { code: string; message: string; errors: Json[] } }>();
      expect(body.error.code).toBe('validation_failed');
      expect(body.error.message).toMatch(/nothing was stored/);
      expect(body.error.errors).toEqual([
        { index: 1, path, message: expect.stringContaining(path) as unknown },
      ]);
      expect(await counts(ctx.storage, accountId)).toEqual(NOTHING);
    });
  }

  it('lists every bad event of a request at once', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const res = await post(ctx, token, [
      event({ type: 'nope' }),
      event(),
      event({ device: { id: '' }, message: 7 }),
    ]);
    expect(res.statusCode).toBe(400);
    const errors = res.json<{ error: { errors: Json[] } }>().error.errors;
    expect(errors.map((e) => [e['index'], e['path']])).toEqual([
      [0, 'type'],
      [2, 'device.id'],
      [2, 'message'],
    ]);
    expect(await counts(ctx.storage, accountId)).toEqual(NOTHING);
  });

  it('refuses 1,001 events with 413, storing nothing', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const res = await post(
      ctx,
      token,
      Array.from({ length: 1001 }, () => event()),
    );
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      error: {
        code: 'payload_too_large',
        message: expect.stringMatching(/1,001 events/) as unknown,
      },
    });
    expect(await counts(ctx.storage, accountId)).toEqual(NOTHING);
  });

  it('refuses a body over the byte limit with 413, storing nothing', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const padding = ' '.repeat(EVENTS_BODY_LIMIT_BYTES);
    const res = await post(ctx, token, `${JSON.stringify(event())}${padding}`);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({
      error: {
        code: 'payload_too_large',
        message: expect.stringMatching(/at most 5\.0 MiB/) as unknown,
      },
    });

    // Without a declared length the body is cut off at the limit while it is read.
    const chunked = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': NDJSON },
      payload: Readable.from([Buffer.from(JSON.stringify(event())), Buffer.from(padding)]),
    });
    expect(chunked.statusCode).toBe(413);
    expect(chunked.json<{ error: { code: string } }>().error.code).toBe('payload_too_large');
    expect(await counts(ctx.storage, accountId)).toEqual(NOTHING);
  });

  it('refuses other content types with 415, storing nothing', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const text = await post(ctx, token, JSON.stringify(event()), 'text/plain');
    expect(text.statusCode).toBe(415);
    expect(text.json()).toEqual({
      error: {
        code: 'unsupported_media_type',
        message: expect.stringMatching(/application\/json or application\/x-ndjson/) as unknown,
      },
    });
    const form = await post(ctx, token, 'type=backup.failed', 'application/x-www-form-urlencoded');
    expect(form.statusCode).toBe(415);
    const latin1 = await post(ctx, token, event(), 'application/json; charset=iso-8859-1');
    expect(latin1.statusCode).toBe(415);
    const none = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      headers: { authorization: `Bearer ${token}` },
      payload: Buffer.from(JSON.stringify(event())),
    });
    expect(none.statusCode).toBe(415);
    expect(await counts(ctx.storage, accountId)).toEqual(NOTHING);
  });

  it('refuses NDJSON with a broken line with 400 naming its index and line', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const body = `${JSON.stringify(event())}\n\n{"type": "backup.failed",\n${JSON.stringify(event())}\n`;
    const res = await post(ctx, token, body, NDJSON);
    expect(res.statusCode).toBe(400);
    const error = res.json<{ error: { code: string; message: string; errors: Json[] } }>().error;
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/line 3/);
    expect(error.errors).toEqual([
      {
        index: 1,
        path: '',
        message: expect.stringMatching(/^line 3 is not valid JSON/) as unknown,
      },
    ]);

    const invalid = await post(ctx, token, `${JSON.stringify(event({ type: 'x' }))}\n`, NDJSON);
    expect(invalid.json<{ error: { errors: Json[] } }>().error.errors).toEqual([
      { index: 0, path: 'type', message: expect.stringMatching(/^line 1: type /) as unknown },
    ]);
    expect(await counts(ctx.storage, accountId)).toEqual(NOTHING);
  });

  it('refuses broken JSON and an empty body with 400, storing nothing', async () => {
    const { accountId, token } = await sender(ctx.storage);
    const broken = await post(ctx, token, '{"type": "backup.failed",');
    expect(broken.statusCode).toBe(400);
    expect(broken.json<{ error: { code: string } }>().error.code).toBe('bad_request');
    const empty = await post(ctx, token, '');
    expect(empty.statusCode).toBe(400);
    expect(empty.json<{ error: { message: string } }>().error.message).toMatch(/body is empty/);
    expect(await counts(ctx.storage, accountId)).toEqual(NOTHING);
  });

  it('answers 401 in the error envelope without a valid ingest token', async () => {
    const { account, user } = await seedAccount(ctx.storage);
    const { token: apiToken } = await createApiToken(ctx.storage.db, account.id, {
      name: 'script',
      role: 'admin',
    });
    const cookie = await signIn(ctx.app, user.email);
    const attempts = [
      await post(ctx, undefined, event()),
      await post(ctx, 'psb_not-a-real-token-at-all-xxxxxxxxxxxxxxxxxxx', event()),
      await post(ctx, apiToken, event()),
      await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { cookie, 'content-type': 'application/json' },
        payload: JSON.stringify(event()),
      }),
      await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: 'Basic dXNlcjpwYXNz', 'content-type': 'application/json' },
        payload: JSON.stringify(event()),
      }),
    ];
    for (const res of attempts) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      expect(res.json()).toEqual({
        error: { code: 'unauthorized', message: expect.stringMatching(/ingest token/) as unknown },
      });
    }
    expect(await counts(ctx.storage, account.id)).toEqual(NOTHING);
  });

  it('checks the token before the body: a bad body without a token still gets 401', async () => {
    const res = await post(ctx, undefined, 'not json at all', 'text/plain');
    expect(res.statusCode).toBe(401);
  });

  it('stops accepting a token once it is revoked', async () => {
    const { account, user } = await seedAccount(ctx.storage);
    const cookie = await signIn(ctx.app, user.email);
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/ingest-tokens',
      headers: { cookie },
      payload: { name: 'backup console' },
    });
    const { token, ingestToken } = created.json<{ token: string; ingestToken: { id: string } }>();
    expect((await post(ctx, token, event())).statusCode).toBe(202);

    const revoked = await ctx.app.inject({
      method: 'DELETE',
      url: `/api/v1/ingest-tokens/${ingestToken.id}`,
      headers: { cookie },
    });
    expect(revoked.statusCode).toBe(204);
    const after = await post(ctx, token, event());
    expect(after.statusCode).toBe(401);
    expect(await counts(ctx.storage, account.id)).toMatchObject({ events: 1, jobs: 1 });
  });

  it("stores events only into the token's own account", async () => {
    const a = await sender(ctx.storage);
    const b = await sender(ctx.storage);
    expect((await post(ctx, a.token, [event({ id: 'shared' }), event()])).statusCode).toBe(202);
    expect(await counts(ctx.storage, b.accountId)).toEqual(NOTHING);

    // The same client id in another account is another event.
    const inB = await post(ctx, b.token, event({ id: 'shared' }));
    expect(inB.json()).toMatchObject({ accepted: 1, duplicates: 0 });
    expect(await counts(ctx.storage, a.accountId)).toEqual({
      events: 2,
      jobs: 2,
      companies: 1,
      devices: 1,
    });
    expect(await counts(ctx.storage, b.accountId)).toEqual({
      events: 1,
      jobs: 1,
      companies: 1,
      devices: 1,
    });
  });

  it('stores every event with its job: each accepted event has exactly one', async () => {
    const { accountId, token } = await sender(ctx.storage);
    await post(
      ctx,
      token,
      Array.from({ length: 1000 }, (_, i) =>
        event({ id: `bulk-${i}`, company: `Company ${i % 37}`, device: { id: `d-${i % 101}` } }),
      ),
    );
    const orphans = await ctx.storage.db
      .selectFrom('events')
      .leftJoin('jobs', 'jobs.event_id', 'events.id')
      .select((eb) => eb.fn.count<number>('jobs.id').as('jobs'))
      .where('events.account_id', '=', accountId)
      .groupBy('events.id')
      .execute();
    expect(orphans).toHaveLength(1000);
    expect(orphans.every((row) => Number(row.jobs) === 1)).toBe(true);
    // 37 and 101 are coprime, so each of the 1,000 events names another (company, device).
    expect(await counts(ctx.storage, accountId)).toEqual({
      events: 1000,
      jobs: 1000,
      companies: 37,
      devices: 1000,
    });
  });
});
