// Fault injection (reference §5.4, §6, §10 "Errors" and "Rate limits") and the admin API.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { FaultController } from './faults/fault-controller.js';
import type { RunningSandbox } from './index.js';
import { CwTestClient, parse, startDemoSandbox } from './test-support.js';

let sandbox: RunningSandbox;
let cw: CwTestClient;

beforeAll(async () => {
  sandbox = await startDemoSandbox();
  cw = new CwTestClient(sandbox);
});
afterAll(() => sandbox.close());
afterEach(() => {
  sandbox.faults.clear();
  sandbox.state.setBehaviour({ rateLimitBody: 'json' });
});

const ticket = { summary: 'fault test', company: { identifier: 'ACME' } };

describe('status faults', () => {
  it('answers 429 with Retry-After and the rate-limit body keyed "error"', async () => {
    sandbox.faults.add({
      kind: 'status',
      status: 429,
      retryAfterSeconds: 7,
      endpoint: 'listCompanies',
      times: 1,
    });
    const res = await cw.get('/company/companies');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toEqual({
      error: 'ConnectWiseAPI',
      message: 'Too many requests. Please try again in 7 seconds.',
    });
    expect((await cw.get('/company/companies')).status).toBe(200);
  });

  it('answers 500 with text containing "timeout"', async () => {
    sandbox.faults.add({ kind: 'status', status: 500, times: 1 });
    const res = await cw.get('/system/info');
    expect(res.status).toBe(500);
    expect(res.text.toLowerCase()).toContain('timeout');
  });

  it.each([502, 503, 504])('answers %i with a gateway page', async (status) => {
    sandbox.faults.add({ kind: 'status', status, times: 1 });
    const res = await cw.get('/system/info');
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });

  it('can send a custom body', async () => {
    sandbox.faults.add({ kind: 'status', status: 503, body: 'maintenance', times: 1 });
    expect((await cw.get('/system/info')).text).toBe('maintenance');
  });

  it('does not run the handler, so a faulted create makes no ticket', async () => {
    const before = sandbox.state.tickets.size;
    sandbox.faults.add({ kind: 'status', status: 503, endpoint: 'createTicket', times: 1 });
    expect((await cw.post('/service/tickets', ticket)).status).toBe(503);
    expect(sandbox.state.tickets.size).toBe(before);
  });
});

describe('matching', () => {
  it('matches by method and path pattern, and only the next N requests', async () => {
    sandbox.faults.add({
      kind: 'status',
      status: 502,
      method: 'get',
      path: '/service/tickets/:id',
      times: 2,
    });
    expect((await cw.get('/service/tickets')).status).toBe(200);
    expect((await cw.get('/service/tickets/30001')).status).toBe(502);
    expect((await cw.patch('/service/tickets/30001', [])).status).toBe(200);
    expect((await cw.get('/service/tickets/30002')).status).toBe(502);
    expect((await cw.get('/service/tickets/30002')).status).toBe(200);
    expect(sandbox.faults.list()).toEqual([]);
  });

  it('applies to an even share of matching requests with fraction', async () => {
    sandbox.faults.add({ kind: 'status', status: 503, path: '/system/*', fraction: 0.25 });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await cw.get('/system/info')).status);
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);
    expect(sandbox.faults.list()[0]).toMatchObject({ fired: 2 });
  });

  it('matches full paths outside the API root', async () => {
    sandbox.faults.add({ kind: 'status', status: 504, path: '/login/companyinfo/*', times: 1 });
    expect((await fetch(`${sandbox.url}/login/companyinfo/psademo`)).status).toBe(504);
  });
});

describe('latency', () => {
  it('delays and then answers normally', async () => {
    sandbox.faults.add({ kind: 'latency', latencyMs: 30, times: 1 });
    const res = await cw.get('/system/info');
    expect(res.status).toBe(200);
    const entry = sandbox.state.journal.entries().at(-1);
    expect(entry?.status).toBe(200);
    expect(typeof entry?.fault).toBe('string');
  });
});

describe('timeouts and resets', () => {
  it('holds a request without answering until the client gives up', async () => {
    sandbox.faults.add({ kind: 'timeout', times: 1 });
    await expect(
      fetch(`${cw.api}/system/info`, { headers: cw.headers(), signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow();
    expect((await cw.get('/system/info')).status).toBe(200);
  });

  it('closes the connection after holdMs', async () => {
    sandbox.faults.add({ kind: 'timeout', holdMs: 20, times: 1 });
    await expect(cw.get('/system/info')).rejects.toThrow();
  });

  it('resets the connection at once without handling the request', async () => {
    const before = sandbox.state.tickets.size;
    sandbox.faults.add({ kind: 'reset', endpoint: 'createTicket', times: 1 });
    await expect(cw.post('/service/tickets', ticket)).rejects.toThrow();
    expect(sandbox.state.tickets.size).toBe(before);
  });
});

describe('drop after commit', () => {
  it('commits the write and closes the connection without a response', async () => {
    const xref = `drop-${Date.now()}`;
    sandbox.faults.add({ kind: 'dropAfterCommit', endpoint: 'createTicket', times: 1 });
    await expect(cw.post('/service/tickets', { ...ticket, externalXRef: xref })).rejects.toThrow();
    expect(sandbox.state.listTickets({ externalXRef: xref })).toHaveLength(1);
    expect(sandbox.state.journal.entries('createTicket').at(-1)).toMatchObject({ status: 0 });
  });
});

describe('rate limit (token bucket)', () => {
  it('answers 429 with Retry-After once the burst is spent', async () => {
    sandbox.faults.add({ kind: 'rateLimit', requestsPerMinute: 1, burst: 2, path: '/system/info' });
    expect((await cw.get('/system/info')).status).toBe(200);
    expect((await cw.get('/system/info')).status).toBe(200);
    const limited = await cw.get('/system/info');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.body).toMatchObject({ error: 'ConnectWiseAPI' });
    expect((await cw.get('/company/companies')).status).toBe(200);
  });

  it('refills at the configured rate', () => {
    let now = 0;
    const faults = new FaultController(
      [{ kind: 'rateLimit', requestsPerMinute: 60, burst: 1 }],
      () => now,
    );
    const target = { method: 'GET', path: '/system/info' };
    expect(faults.decide(target).terminal).toBeUndefined();
    expect(faults.decide(target).terminal).toEqual({
      kind: 'status',
      status: 429,
      retryAfterSeconds: 1,
    });
    now += 1000;
    expect(faults.decide(target).terminal).toBeUndefined();
  });

  it('can answer with a CDN-style HTML page', async () => {
    sandbox.state.setBehaviour({ rateLimitBody: 'cloudflareHtml' });
    sandbox.faults.add({ kind: 'status', status: 429, times: 1 });
    const res = await cw.get('/system/info');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.text).toContain('1015');
  });
});

describe('FaultController', () => {
  it('validates rules and names the problem', () => {
    const faults = new FaultController();
    expect(() => faults.add({ kind: 'status', status: 200 })).toThrow(/status/);
    expect(() => faults.add({ kind: 'latency' } as never)).toThrow(/latencyMs/);
    expect(() => faults.set([{ kind: 'reset' }, { kind: 'nope' } as never])).toThrow(/\[1\]/);
  });

  it('adds latency of every matching rule and stops at the first terminal rule', () => {
    const faults = new FaultController([
      { kind: 'latency', latencyMs: 5 },
      { kind: 'latency', latencyMs: 7 },
      { kind: 'dropAfterCommit' },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 500 },
    ]);
    const decision = faults.decide({ method: 'GET', path: '/x' });
    expect(decision).toMatchObject({
      latencyMs: 12,
      dropAfterCommit: true,
      terminal: { status: 503 },
    });
    expect(decision.ruleIds).toHaveLength(4);
  });
});

describe('options.faults', () => {
  it('are active from the start', async () => {
    const own = await startDemoSandbox({ faults: [{ kind: 'status', status: 503, times: 1 }] });
    try {
      expect((await new CwTestClient(own).get('/system/info')).status).toBe(503);
    } finally {
      await own.close();
    }
  });
});

describe('admin API under /__sandbox/', () => {
  const admin = async (method: string, path: string, body?: unknown) =>
    parse<Record<string, unknown>>(
      await fetch(`${sandbox.url}/__sandbox${path}`, {
        method,
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      }),
    );

  it('reports health without credentials', async () => {
    const res = await admin('GET', '/health');
    expect(res.body).toMatchObject({ status: 'ok', companyId: 'psademo', codebase: 'v2025_1/' });
  });

  it('puts, lists, adds, deletes one and clears fault rules', async () => {
    const put = await admin('PUT', '/faults', [{ id: 'slow', kind: 'latency', latencyMs: 1 }]);
    expect(put.status).toBe(200);
    const added = await admin('POST', '/faults', { kind: 'status', status: 503, times: 1 });
    expect(added.status).toBe(201);
    expect((await admin('GET', '/faults')).body).toHaveLength(2);
    expect((await cw.get('/system/info')).status).toBe(503);
    expect((await admin('DELETE', '/faults/slow')).status).toBe(204);
    expect((await admin('DELETE', '/faults/slow')).status).toBe(404);
    expect((await admin('DELETE', '/faults')).status).toBe(204);
    expect((await admin('GET', '/faults')).body).toEqual([]);
  });

  it('refuses an invalid rule with a 400 naming the problem', async () => {
    const res = await admin('PUT', '/faults', [{ kind: 'status' }]);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid_fault_rule' } });
    expect((await admin('PUT', '/faults', { kind: 'reset' })).status).toBe(400);
    const broken = await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', body: '{' });
    expect(broken.status).toBe(400);
  });

  it('reads and patches behaviour switches', async () => {
    const res = await admin('PATCH', '/behaviour', { likeWildcards: false });
    expect(res.body).toMatchObject({ likeWildcards: false, clientIdPolicy: 'required' });
    expect(sandbox.state.behaviour.likeWildcards).toBe(false);
    expect((await admin('PATCH', '/behaviour', { nope: 1 })).status).toBe(400);
    await admin('PATCH', '/behaviour', { likeWildcards: true });
  });

  it('lists and clears the request journal', async () => {
    await cw.get('/system/info');
    const entries = (await admin('GET', '/requests')).body as unknown as {
      endpoint?: string;
      member?: string;
    }[];
    expect(entries.at(-1)).toMatchObject({ endpoint: 'systemInfo', member: 'bridge-api' });
    expect((await admin('DELETE', '/requests')).status).toBe(204);
    expect(sandbox.state.journal.entries()).toEqual([]);
  });

  it('answers unknown admin routes with 404', async () => {
    expect((await admin('GET', '/nothing')).status).toBe(404);
  });
});

describe('close()', () => {
  it('ends held requests and stops listening', async () => {
    const own = await startDemoSandbox({ faults: [{ kind: 'timeout' }] });
    const pending = fetch(`${new CwTestClient(own).api}/system/info`, { headers: cw.headers() });
    await new Promise((r) => setTimeout(r, 50));
    await own.close();
    await expect(pending).rejects.toThrow();
    await expect(fetch(`${own.url}/__sandbox/health`)).rejects.toThrow();
  });
});
