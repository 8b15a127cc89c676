// Reference §10 "Errors", the security-role checks, and "bad input never crashes".
import { request } from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { REQUIRED_PERMISSIONS } from '../connectwise/permissions.js';
import { ENDPOINTS } from '../connectwise/endpoints.js';
import type { RunningSandbox } from './index.js';
import { CwTestClient, startDemoSandbox } from './test-support.js';

interface CwError {
  code: string;
  message: string;
  errors?: { code: string; message: string; resource: string; field: string }[] | null;
}

let sandbox: RunningSandbox;
let bridge: CwTestClient;
let limited: CwTestClient;

beforeAll(async () => {
  sandbox = await startDemoSandbox();
  bridge = new CwTestClient(sandbox, 'bridge');
  limited = new CwTestClient(sandbox, 'limited');
});
afterAll(() => sandbox.close());

const SECURITY = {
  code: 'Security',
  message: 'You do not have security permission to perform this action.',
};

describe('error envelope', () => {
  it('validation errors carry {code, message, errors[{code, message, resource, field}]}', async () => {
    const res = await bridge.post<CwError>('/service/tickets', { summary: 5 });
    expect(res.body.code).toBe('InvalidObject');
    for (const item of res.body.errors ?? []) {
      expect(Object.keys(item).sort()).toEqual(['code', 'field', 'message', 'resource']);
      expect(item.resource).toBe('ticket');
    }
  });

  it('403 and 404 bodies have no errors key', async () => {
    const forbidden = await limited.get('/service/boards');
    expect(forbidden.body).toEqual(SECURITY);
    const missing = await bridge.get('/company/contacts/57919');
    expect(missing.body).toEqual({ code: 'NotFound', message: 'Contact 57919 not found' });
  });

  it('names the camelCase model as resource and the JSON path as field', async () => {
    const res = await bridge.post<CwError>('/service/tickets/30001/notes', { text: 7 });
    expect(res.body.errors?.[0]).toMatchObject({ resource: 'serviceNote', field: 'text' });
  });

  it('answers 415 for a body that is not sent as JSON', async () => {
    const res = await bridge.request('POST', '/service/tickets', {
      raw: 'summary=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
  });
});

describe('security roles are checked before anything else', () => {
  it('the integration role grants exactly the integration page permissions', () => {
    const role = sandbox.state.role('psabridge Integration');
    const granted = Object.entries(role.permissions).flatMap(([fn, levels]) =>
      Object.entries(levels)
        .filter(([, level]) => level !== 'None')
        .map(([action, level]) => `${fn}.${action}=${level}`),
    );
    expect(granted.sort()).toEqual(
      REQUIRED_PERMISSIONS.map((p) => `${p.fn}.${p.action}=All`).sort(),
    );
  });

  it('refuses every endpoint whose row the role lacks with 403 Security', async () => {
    for (const [name, def] of Object.entries(ENDPOINTS)) {
      if (!('permission' in def)) continue;
      const { fn, action } = def.permission;
      const allowed =
        sandbox.state.levelFor(sandbox.state.member('limited-api'), fn, action) !== 'None';
      if (allowed) continue;
      const path = def.path.replace(':parentId', '30001').replace(':id', '1');
      const res = await limited.request(
        def.method,
        path,
        def.method === 'GET' || def.method === 'DELETE' ? {} : { body: {} },
      );
      expect([name, res.status, res.body]).toEqual([name, 403, SECURITY]);
    }
  });

  it('probe: POST {} is 403 without Add and 400 InvalidObject with it (nothing is created)', async () => {
    const before = sandbox.state.tickets.size;
    const own = await startDemoSandbox();
    try {
      own.state.setRoleLevel('psabridge Limited', 'serviceTickets', 'add', 'None');
      expect((await new CwTestClient(own, 'limited').post('/service/tickets', {})).body).toEqual(
        SECURITY,
      );
    } finally {
      await own.close();
    }
    const allowed = await bridge.post<CwError>('/service/tickets', {});
    expect(allowed.status).toBe(400);
    expect(allowed.body.code).toBe('InvalidObject');
    expect(sandbox.state.tickets.size).toBe(before);
  });

  it('probe: PATCH /service/tickets/0 with [] is 403 without Edit and 404 with it', async () => {
    expect((await limited.patch('/service/tickets/0', [])).body).toEqual(SECURITY);
    const allowed = await bridge.patch('/service/tickets/0', []);
    expect(allowed.status).toBe(404);
  });

  it('a member without permission gets 403 even for a malformed body', async () => {
    const res = await limited.request('PATCH', '/service/tickets/30001', { raw: '{not json' });
    expect(res.status).toBe(403);
  });

  it('follows role changes at once', async () => {
    const own = await startDemoSandbox();
    try {
      const cw = new CwTestClient(own, 'bridge');
      expect((await cw.get('/service/boards')).status).toBe(200);
      own.state.setRoleLevel('psabridge Integration', 'tableSetup', 'inquire', 'None');
      expect((await cw.get('/service/boards')).status).toBe(403);
      own.state.setBehaviour({ setupTablesOpenForInquiry: true });
      expect((await cw.get('/service/boards')).status).toBe(200);
    } finally {
      await own.close();
    }
  });

  it('a My level shows only the records the member entered', async () => {
    const own = await startDemoSandbox();
    try {
      own.state.setRoleLevel('psabridge Integration', 'serviceTickets', 'inquire', 'My');
      const cw = new CwTestClient(own, 'bridge');
      const mine = await cw.post<{ id: number }>('/service/tickets', {
        summary: 'mine',
        company: { identifier: 'ACME' },
      });
      const list = await cw.get<{ id: number }[]>('/service/tickets');
      expect(list.body.map((t) => t.id)).toEqual([mine.body.id]);
      expect((await cw.get('/service/tickets/30001')).status).toBe(403);
    } finally {
      await own.close();
    }
  });
});

describe('404 for a missing record', () => {
  it.each([
    ['/company/companies/9', 'Company 9 not found'],
    ['/service/boards/9', 'Service Board 9 not found'],
    ['/service/boards/9/statuses', 'Service Board 9 not found'],
    ['/service/tickets/9', 'Ticket not found'],
    ['/service/tickets/9/notes', 'Ticket not found'],
  ])('GET %s → NotFound "%s"', async (path, message) => {
    const res = await bridge.get(path);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'NotFound', message });
  });
});

describe('bad input never crashes', () => {
  it.each([
    ['malformed JSON', '{"summary": "x",'],
    ['an empty body', ''],
    ['a JSON string', '"hello"'],
    ['a JSON array', '[1, 2]'],
    ['summary as a number', '{"summary": 12, "company": {"identifier": "ACME"}}'],
    ['company as a string', '{"summary": "x", "company": "ACME"}'],
    ['company id as a string', '{"summary": "x", "company": {"id": "250"}}'],
    ['board as an array', '{"summary": "x", "company": {"id": 250}, "board": [21]}'],
    ['severity outside the enum', '{"summary": "x", "company": {"id": 250}, "severity": "Urgent"}'],
    [
      'integratorTags of numbers',
      '{"summary": "x", "company": {"id": 250}, "integratorTags": [1]}',
    ],
    ['deeply nested junk', `{"summary": "x", "company": ${'['.repeat(500)}${']'.repeat(500)}}`],
  ])('POST with %s → ConnectWise-shaped 400', async (_what, raw) => {
    const res = await bridge.request<CwError>('POST', '/service/tickets', { raw });
    expect(res.status).toBe(400);
    expect(typeof res.body.code).toBe('string');
    expect(typeof res.body.message).toBe('string');
  });

  it.each([
    ['an object', '{"op": "replace"}'],
    ['a string', '"summary"'],
    ['operations without op', '[{"path": "summary", "value": "x"}]'],
    ['an unknown op', '[{"op": "move", "path": "summary", "value": "x"}]'],
    ['a non-string path', '[{"op": "replace", "path": 5, "value": "x"}]'],
    ['null entries', '[null]'],
    ['a wrong value type', '[{"op": "replace", "path": "summary", "value": {"a": 1}}]'],
  ])('PATCH with %s → 400', async (_what, raw) => {
    const res = await bridge.request<CwError>('PATCH', '/service/tickets/30001', { raw });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidObject');
  });

  it('answers a body over the limit with 413 in the ConnectWise envelope', async () => {
    const res = await bridge.request<CwError>('POST', '/service/tickets', {
      raw: JSON.stringify({
        summary: 'x',
        company: { id: 250 },
        initialDescription: 'y'.repeat(1_100_000),
      }),
    });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('RequestEntityTooLarge');
  });

  it.each([
    'conditions=id%20%3D',
    'conditions=(id%20%3D%201',
    'conditions=summary%20%3D%20%22unterminated',
    'conditions=id%20%3D%201%20and',
    'conditions=%5Bnot%20a%20date%5D%20%3D%201',
    'pageSize=abc',
    'pageSize=0',
    'pageSize=-5',
    'page=0',
    'page=1.5',
    'orderBy=%2C',
    'childConditions=%3D%3D',
  ])('GET with %s → 400 InvalidObject', async (query) => {
    const res = await bridge.get<CwError>(`/service/tickets?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('InvalidObject');
  });

  it('survives a raw request with a broken Authorization header and odd paths', async () => {
    const send = (path: string, headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${sandbox.url}${path}`, { headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    expect(
      await send('/v2025_1/apis/3.0/system/info', { authorization: 'Basic ***', clientId: 'x' }),
    ).toBe(401);
    expect(
      await send('/v2025_1/apis/3.0/%E0%A4%A', { authorization: 'Basic ***', clientId: 'x' }),
    ).toBe(401);
    expect(await send('/login/companyinfo/%', {})).toBe(200);
    expect(
      await send('/v2025_1/apis/3.0/system/info', {
        host: 'not a host',
        authorization: 'x',
        clientId: 'x',
      }),
    ).toBe(401);
    expect((await bridge.get('/system/info')).status).toBe(200);
  });

  it('survives a client that disconnects halfway through its body', async () => {
    const url = new URL(`${bridge.api}/service/tickets`);
    const req = request(url, {
      method: 'POST',
      headers: {
        ...bridge.headers(),
        'content-type': 'application/json',
        'content-length': '1000',
      },
    });
    req.on('error', () => undefined);
    req.write('{"summary": "cut');
    await new Promise((r) => setTimeout(r, 50));
    req.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect((await bridge.get('/system/info')).status).toBe(200);
  });

  it('never answers 500 to any of the above', () => {
    const statuses = sandbox.state.journal.entries().map((e) => e.status);
    expect(statuses).not.toContain(500);
  });
});
