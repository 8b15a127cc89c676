// Edge cases that a real server cannot easily produce on demand (a hostile Link header, a
// redirect to a sign-in page, an HTML answer, a listener that throws), driven through an
// injected fetch. Everything else is tested against the real sandbox over HTTP.
import { describe, expect, it } from 'vitest';

import { where } from '../conditions/index.js';
import {
  ManageAuthenticationError,
  ManageConfigError,
  ManageOutcomeUnknownError,
  ManageSiteError,
} from './errors.js';
import type { ManageClientEvent } from './events.js';
import type { ManageClientOptions } from './manage-client.js';
import { ManageClient } from './manage-client.js';

const credentials = {
  site: 'na.myconnectwise.net',
  companyId: 'acme',
  publicKey: 'PublicKeyAAAA111',
  privateKey: 'PrivateKeyZZZZ99',
  clientId: '11111111-2222-4333-8444-555555555555',
} as const;

type Handler = (request: Request) => Response | Promise<Response>;

/** A fetch that records each request and answers with `handler`. */
function fakeFetch(handler: Handler): { fetch: typeof fetch; requests: Request[] } {
  const requests: Request[] = [];
  const fake = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    requests.push(request);
    return Promise.resolve(handler(request));
  };
  return { fetch: fake, requests };
}

const json = (body: unknown, init: ResponseInit = {}): Response =>
  new Response(JSON.stringify(body), {
    ...init,
    headers: { 'content-type': 'application/json', ...init.headers },
  });

function client(handler: Handler, options: Partial<ManageClientOptions> = {}) {
  const events: ManageClientEvent[] = [];
  const fake = fakeFetch(handler);
  const manage = new ManageClient({
    ...credentials,
    fetch: fake.fetch,
    sleep: () => Promise.resolve(),
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { manage, events, requests: fake.requests };
}

const companyInfo = {
  CompanyName: 'Acme',
  Codebase: 'v2025_1/',
  VersionCode: 'v2025.1',
  VersionNumber: 'v4.6.1',
  CompanyID: 'acme',
  IsCloud: 'True',
};

describe('ManageClient headers', () => {
  it('looks the codebase up without credentials, then authenticates every call', async () => {
    const { manage, requests } = client((request) =>
      request.url.includes('/login/companyinfo/')
        ? json(companyInfo)
        : json({ version: 'v2025.1' }),
    );
    await manage.systemInfo();

    const [lookup, call] = requests;
    expect(lookup?.url).toBe('https://api-na.myconnectwise.net/login/companyinfo/acme');
    expect(lookup?.headers.get('authorization')).toBeNull();
    expect(lookup?.headers.get('clientid')).toBe(credentials.clientId);
    expect(call?.url).toBe('https://api-na.myconnectwise.net/v2025_1/apis/3.0/system/info');
    expect(call?.headers.get('authorization')).toBe(
      `Basic ${Buffer.from('acme+PublicKeyAAAA111:PrivateKeyZZZZ99').toString('base64')}`,
    );
    expect(call?.headers.get('clientid')).toBe(credentials.clientId);
    expect(call?.headers.get('accept')).toBe('application/json');
  });

  it('pins the model version in Accept when asked', async () => {
    const { manage, requests } = client(() => json({ version: 'v2025.1' }), {
      codebase: 'v2025_1',
      apiVersion: '2025.1',
    });
    await manage.systemInfo();
    expect(requests[0]?.headers.get('accept')).toBe(
      'application/vnd.connectwise.com+json; version=2025.1',
    );
    expect(requests[0]?.url).toContain('/v2025_1/apis/3.0/');
  });
});

describe('ManageClient secrecy', () => {
  it('keeps keys, clientId and filter values out of events and errors', async () => {
    const { manage, events } = client(
      () =>
        json({ code: 'Unauthorized', message: 'Incorrect public/private key' }, { status: 401 }),
      { codebase: 'v2025_1/' },
    );
    const error: unknown = await manage.companies
      .list({ conditions: where.eq('identifier', 'SecretCustomerName') })
      .toArray()
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ManageAuthenticationError);
    const exposed =
      JSON.stringify(events) + String(error) + JSON.stringify(error) + (error as Error).stack;
    for (const secret of [
      credentials.publicKey,
      credentials.privateKey,
      credentials.clientId,
      'SecretCustomerName',
      Buffer.from('acme+PublicKeyAAAA111:PrivateKeyZZZZ99').toString('base64'),
    ]) {
      expect(exposed).not.toContain(secret);
    }
    expect(events[0]).toEqual({
      type: 'request',
      method: 'GET',
      path: '/company/companies',
      attempt: 1,
    });
    expect(JSON.stringify(manage)).not.toContain(credentials.privateKey);
  });
});

describe('ManageClient paging', () => {
  it("follows rel=next on the client's own host, whatever host the link names", async () => {
    const { manage, requests } = client(
      (request) => {
        const page = new URL(request.url).searchParams.get('page') ?? '1';
        const next =
          page === '1'
            ? {
                link: '<https://evil.example/v2025_1/apis/3.0/company/companies?page=2&pageSize=1000>; rel="next"',
              }
            : undefined;
        return json([{ id: Number(page), identifier: `C${page}`, name: 'x' }], {
          headers: next ?? {},
        });
      },
      { codebase: 'v2025_1/' },
    );
    const companies = await manage.companies.list({ conditions: 'deletedFlag = false' }).toArray();

    expect(companies.map((c) => c.id)).toEqual([1, 2]);
    expect(requests.map((r) => new URL(r.url).host)).toEqual([
      'api-na.myconnectwise.net',
      'api-na.myconnectwise.net',
    ]);
    // The link left the conditions out; the client kept them.
    expect(new URL(requests[1]!.url).searchParams.get('conditions')).toBe('deletedFlag = false');
  });

  it('refuses a next link that points at the page just read instead of looping', async () => {
    const { manage, requests } = client(
      () =>
        json([{ id: 1 }], {
          headers: {
            link: '<https://x/v2025_1/apis/3.0/company/companies?pageSize=1000>; rel="next"',
          },
        }),
      { codebase: 'v2025_1/' },
    );
    await expect(manage.companies.list().toArray()).rejects.toThrow(/points at the page just read/);
    expect(requests).toHaveLength(1);
  });
});

describe('ManageClient wrong sites', () => {
  it('reports a redirect (a sign-in page) without following it', async () => {
    const { manage, requests } = client(
      () => new Response(null, { status: 302, headers: { location: 'https://login.example/sso' } }),
      { codebase: 'v2025_1/' },
    );
    const error: unknown = await manage.systemInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManageSiteError);
    expect((error as Error).message).toMatch(/redirected \(HTTP 302\) to login\.example/);
    expect(requests).toHaveLength(1);
  });

  it('reports an HTML answer to the codebase lookup as the wrong site', async () => {
    const { manage } = client(
      () => new Response('<!DOCTYPE html><html><body>Welcome</body></html>', { status: 200 }),
    );
    await expect(manage.companyInfo()).rejects.toThrow(ManageSiteError);
    await expect(manage.companyInfo()).rejects.toThrow(/not a ConnectWise site/);
  });

  it('reports a 404 from the codebase lookup as the wrong site', async () => {
    const { manage } = client(() => new Response('Not Found', { status: 404 }));
    await expect(manage.companyInfo()).rejects.toThrow(/has no \/login\/companyinfo/);
  });

  it('explains "SSL is required." (a cloud tenant on its sign-in host)', async () => {
    const { manage } = client(
      () => json({ code: 'Security', message: 'SSL is required.', errors: null }, { status: 403 }),
      { codebase: 'v2025_1/' },
    );
    await expect(manage.systemInfo()).rejects.toThrow(/api- host/);
  });

  it('reports a 200 that is not JSON as the wrong site', async () => {
    const { manage } = client(() => new Response('<html></html>'), { codebase: 'v2025_1/' });
    await expect(manage.tickets.get(1)).rejects.toThrow(ManageSiteError);
  });
});

describe('ManageClient cancellation and listeners', () => {
  it("stops a read at once when the caller aborts, with the caller's reason", async () => {
    const controller = new AbortController();
    const { manage } = client(
      (request) =>
        new Promise<Response>((_, reject) =>
          request.signal.addEventListener('abort', () => reject(request.signal.reason as Error)),
        ),
      { codebase: 'v2025_1/' },
    );
    const call = manage.tickets.get(1, { signal: controller.signal });
    controller.abort(new Error('shutting down'));
    await expect(call).rejects.toThrow('shutting down');
  });

  it('reports a create cancelled under way as outcome-unknown, one cancelled before as not sent', async () => {
    let sent: () => void = () => undefined;
    const underWay = new Promise<void>((resolve) => (sent = resolve));
    const { manage, requests } = client(
      (request) =>
        new Promise<Response>((_, reject) => {
          request.signal.addEventListener('abort', () => reject(request.signal.reason as Error));
          sent();
        }),
      { codebase: 'v2025_1/' },
    );
    const ticket = { summary: 'x', company: { id: 1 } };

    const controller = new AbortController();
    const call = manage.tickets.create(ticket, { signal: controller.signal });
    await underWay;
    controller.abort(new Error('shutting down'));
    await expect(call).rejects.toBeInstanceOf(ManageOutcomeUnknownError);

    const early = manage.tickets.create(ticket, { signal: AbortSignal.abort(new Error('stop')) });
    await expect(early).rejects.toThrow('stop');
    expect(requests).toHaveLength(1);
  });

  it('ignores a listener that throws', async () => {
    const manage = new ManageClient({
      ...credentials,
      codebase: 'v2025_1/',
      fetch: fakeFetch(() => json({ version: 'v2025.1' })).fetch,
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    await expect(manage.systemInfo()).resolves.toEqual({ version: 'v2025.1' });
  });
});

describe('ManageClient options', () => {
  it.each([
    [{ privateKey: '' }, /private key is empty/],
    [{ publicKey: 'abc def' }, /public key contains spaces/],
    [{ clientId: ' ' }, /clientId is empty/],
    [{ companyId: '' }, /company ID is empty/],
    [{ apiVersion: 'latest' }, /apiVersion must look like 2025\.1/],
    [{ codebase: '../x' }, /not a ConnectWise codebase/],
    [{ timeoutMs: 0 }, /timeoutMs must be a positive/],
    [{ site: 'na.myconnectwise.net/apis' }, /host only/],
  ])('refuses %j with a message that never repeats a key', (override, message) => {
    let thrown: unknown;
    try {
      new ManageClient({ ...credentials, ...override });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ManageConfigError);
    expect((thrown as Error).message).toMatch(message);
    expect((thrown as Error).message).not.toContain(credentials.privateKey);
  });
});
