// Reference §10 "Auth & routing", one group per checklist item (impersonation tokens excluded).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { DEMO_CREDENTIALS, type RunningSandbox } from './index.js';
import { basicAuth, CwTestClient, parse, startDemoSandbox } from './test-support.js';

let sandbox: RunningSandbox;
let cw: CwTestClient;

beforeAll(async () => {
  sandbox = await startDemoSandbox();
  cw = new CwTestClient(sandbox);
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.state.setBehaviour({
    clientIdPolicy: 'required',
    unauthorizedBody: 'Unauthorized',
    badCredentials: '401',
    badCodebase: 'notFound',
    sslRequiredStatus: 0,
    systemInfoNeedsRights: false,
  });
});

const raw = (path: string, init: RequestInit = {}) =>
  fetch(`${sandbox.url}${path}`, init).then((res) => parse<Record<string, unknown>>(res));

describe('codebases', () => {
  it('serves the API under both v4_6_release/ and the tenant codebase v2025_1/', async () => {
    const classic = await new CwTestClient(sandbox, 'bridge', 'v4_6_release/').get('/system/info');
    const versioned = await cw.get('/system/info');
    expect(classic.status).toBe(200);
    expect(versioned.status).toBe(200);
  });

  it('answers an unknown codebase with the endpoint-does-not-exist 404 by default', async () => {
    const res = await new CwTestClient(sandbox, 'bridge', 'v2019_3/').get('/system/info');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'ConnectWiseApi', message: 'The endpoint does not exist.' });
  });

  it('in gateway mode answers a bad codebase with 400 plain text "Cannot route"', async () => {
    sandbox.state.setBehaviour({ badCodebase: 'gateway' });
    const res = await new CwTestClient(sandbox, 'bridge', 'v2019_3/').get('/system/info');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(res.text).toBe('Cannot route. Codebase/company is invalid');
  });

  it('in gateway mode also refuses a doubled API root', async () => {
    sandbox.state.setBehaviour({ badCodebase: 'gateway' });
    const res = await cw.get('/apis/3.0/system/info');
    expect(res.status).toBe(400);
    expect(res.text).toBe('Cannot route. Codebase/company is invalid');
  });
});

describe('codebase switch (cloud upgrade)', () => {
  it('moves the tenant to the new codebase and 404s the old one', async () => {
    const own = await startDemoSandbox();
    try {
      own.state.setCodebase('v2025_2/');
      const info = await parse<{ Codebase: string }>(
        await fetch(`${own.url}/login/companyinfo/psademo`),
      );
      expect(info.body.Codebase).toBe('v2025_2/');
      expect((await new CwTestClient(own, 'bridge', 'v2025_1/').get('/system/info')).status).toBe(
        404,
      );
      expect((await new CwTestClient(own, 'bridge', 'v2025_2/').get('/system/info')).status).toBe(
        200,
      );
      expect(
        (await new CwTestClient(own, 'bridge', 'v4_6_release/').get('/system/info')).status,
      ).toBe(200);
    } finally {
      await own.close();
    }
  });
});

describe('unknown routes and methods', () => {
  it('answers an unknown endpoint with 404 ConnectWiseApi "The endpoint does not exist."', async () => {
    const res = await cw.get('/service/nothing/here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'ConnectWiseApi', message: 'The endpoint does not exist.' });
  });

  it('answers a non-numeric id as an unknown endpoint', async () => {
    expect((await cw.get('/service/tickets/abc')).status).toBe(404);
  });

  it('answers a wrong method on a known path with 405 and Allow', async () => {
    const res = await cw.request('DELETE', '/company/companies');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toContain('GET');
    expect(res.body).toMatchObject({ code: 'ConnectWiseApi' });
  });

  it('matches paths ignoring case, as ASP.NET routing does', async () => {
    expect((await cw.get('/Service/Boards')).status).toBe(200);
  });
});

describe('GET /login/companyinfo/{id}', () => {
  it('answers without authentication, with the documented keys, IsCloud as a string and a trailing-slash codebase', async () => {
    const res = await raw('/login/companyinfo/psademo');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({
      CompanyName: 'PSA Demo MSP',
      Codebase: 'v2025_1/',
      VersionCode: 'v2025.1',
      VersionNumber: 'v4.6.10431',
      CompanyID: 'psademo',
      IsCloud: 'True',
      SiteUrl: new URL(sandbox.url).host,
    });
  });

  it('answers 200 with a JSON null for an unknown company', async () => {
    const res = await raw('/login/companyinfo/nosuchcompany');
    expect(res.status).toBe(200);
    expect(res.text).toBe('null');
  });
});

describe('Basic authentication', () => {
  const call = (authorization: string | undefined) =>
    raw('/v2025_1/apis/3.0/system/info', {
      headers: {
        clientId: DEMO_CREDENTIALS.clientId,
        ...(authorization ? { authorization } : {}),
      },
    });

  it('accepts companyId+publicKey:privateKey of an API member', async () => {
    expect((await call(basicAuth('DemoPublicKey001', 'DemoPrivateKey01'))).status).toBe(200);
  });

  it('compares the company id case-sensitively', async () => {
    const res = await call(basicAuth('DemoPublicKey001', 'DemoPrivateKey01', 'PSADemo'));
    expect(res.status).toBe(401);
  });

  it('refuses a wrong private key, a missing header, and a revoked key', async () => {
    expect((await call(basicAuth('DemoPublicKey001', 'wrong'))).status).toBe(401);
    expect((await call(undefined)).status).toBe(401);
    const own = await startDemoSandbox();
    try {
      own.state.revokeApiKey('LimitedPublic001');
      const res = await new CwTestClient(own, 'limited').get('/system/info');
      expect(res.status).toBe(401);
    } finally {
      await own.close();
    }
  });
});

describe('bad credentials on cloud (optional)', () => {
  it('can surface as a 404', async () => {
    sandbox.state.setBehaviour({ badCredentials: '404' });
    const res = await call401();
    expect(res.status).toBe(404);
  });

  it('can surface as no response at all', async () => {
    sandbox.state.setBehaviour({ badCredentials: 'noResponse' });
    await expect(call401()).rejects.toThrow();
  });

  function call401() {
    return raw('/v2025_1/apis/3.0/system/info', {
      headers: { clientId: DEMO_CREDENTIALS.clientId, authorization: basicAuth('x', 'y') },
    });
  }
});

describe('401 body', () => {
  const bad = () =>
    raw('/v2025_1/apis/3.0/system/info', {
      headers: { clientId: DEMO_CREDENTIALS.clientId, authorization: basicAuth('x', 'y') },
    });

  it('is {code: Unauthorized} by default', async () => {
    expect((await bad()).body).toEqual({
      code: 'Unauthorized',
      message: 'Incorrect public/private key',
    });
  });

  it('is {code: ConnectWiseApi, message: UserNotAuthenticated} when switched', async () => {
    sandbox.state.setBehaviour({ unauthorizedBody: 'UserNotAuthenticated' });
    expect((await bad()).body).toEqual({ code: 'ConnectWiseApi', message: 'UserNotAuthenticated' });
  });
});

describe('clientId header', () => {
  const withClientId = (clientId: string | undefined) =>
    raw('/v2025_1/apis/3.0/system/info', {
      headers: {
        authorization: basicAuth('DemoPublicKey001', 'DemoPrivateKey01'),
        ...(clientId !== undefined ? { clientId } : {}),
      },
    });

  it('refuses a missing clientId with a 400 that names clientId', async () => {
    const res = await withClientId(undefined);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'ConnectWiseApi' });
    expect(String(res.body['message'])).toContain('clientId');
  });

  it('accepts any non-empty clientId under the default policy', async () => {
    expect((await withClientId('some-other-guid')).status).toBe(200);
  });

  it('accepts only registered clientIds under the registered policy', async () => {
    sandbox.state.setBehaviour({ clientIdPolicy: 'registered' });
    expect((await withClientId('some-other-guid')).status).toBe(400);
    expect((await withClientId(DEMO_CREDENTIALS.clientId)).status).toBe(200);
  });

  it('skips the check under the ignored policy', async () => {
    sandbox.state.setBehaviour({ clientIdPolicy: 'ignored' });
    expect((await withClientId(undefined)).status).toBe(200);
  });
});

describe('header names are case-insensitive', () => {
  it.each(['clientId', 'ClientID', 'ClientId', 'clientid'])('accepts %s', async (name) => {
    const res = await raw('/v2025_1/apis/3.0/system/info', {
      headers: {
        Authorization: basicAuth('DemoPublicKey001', 'DemoPrivateKey01'),
        [name]: DEMO_CREDENTIALS.clientId,
      },
    });
    expect(res.status).toBe(200);
  });
});

describe('Accept version header', () => {
  it('is optional and accepted with a version', async () => {
    const res = await cw.get('/system/info', {
      accept: 'application/vnd.connectwise.com+json; version=2025.1, application/json',
    });
    expect(res.status).toBe(200);
  });
});

describe('response headers', () => {
  it('carries api-current-version, x-cw-request-id and no-cache headers', async () => {
    const res = await cw.get('/system/info');
    expect(res.headers.get('api-current-version')).toBe('2025.1');
    expect(res.headers.get('x-cw-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  it('gives each response its own request id', async () => {
    const a = await cw.get('/system/info');
    const b = await cw.get('/system/info');
    expect(a.headers.get('x-cw-request-id')).not.toBe(b.headers.get('x-cw-request-id'));
  });
});

describe('SSL is required (non-api- host simulation)', () => {
  it('answers every API call with the Security "SSL is required." body when switched on', async () => {
    sandbox.state.setBehaviour({ sslRequiredStatus: 403 });
    const res = await cw.get('/system/info');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ code: 'Security', message: 'SSL is required.', errors: null });
  });
});

describe('GET /system/info', () => {
  it('answers Info with a v-prefixed version', async () => {
    const res = await cw.get<Record<string, unknown>>('/system/info');
    expect(res.body).toMatchObject({ version: 'v2025.1.10431', isCloud: true, cloudRegion: 'NA' });
  });

  it('optionally answers 401 UserNotAuthenticated to a member whose role has no inquire rights', async () => {
    const own = await startDemoSandbox({ behaviour: { systemInfoNeedsRights: true } });
    try {
      for (const fn of [
        'companyMaintenance',
        'contacts',
        'projectTickets',
        'serviceTickets',
      ] as const) {
        own.state.setRoleLevel('psabridge Limited', fn, 'inquire', 'None');
      }
      const res = await new CwTestClient(own, 'limited').get('/system/info');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'ConnectWiseApi', message: 'UserNotAuthenticated' });
      expect((await new CwTestClient(own, 'bridge').get('/system/info')).status).toBe(200);
    } finally {
      await own.close();
    }
  });
});
