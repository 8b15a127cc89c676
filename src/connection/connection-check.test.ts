import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import type { RunningSandbox } from '../sandbox/index.js';
import { DEFAULT_BEHAVIOUR, DEMO_CREDENTIALS, startSandbox } from '../sandbox/index.js';
import type { CheckConnectionOptions } from './connection-check.js';
import { checkConnection } from './connection-check.js';
import { closedPort, demoInput, startHtmlServer } from './test-support.js';
import type { ConnectionCheckReport } from './types.js';

let sandbox: RunningSandbox;
const options: CheckConnectionOptions = {
  clientId: DEMO_CREDENTIALS.clientId,
  // One attempt each, so a failure is reported as soon as it happens.
  manage: { timeoutMs: 5_000, retry: { maxAttempts: 1 } },
};

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox.close();
});
afterEach(() => {
  sandbox.state.setBehaviour({ ...DEFAULT_BEHAVIOUR });
  sandbox.faults.clear();
});

function codes(report: ConnectionCheckReport): string[] {
  return report.problems.map((p) => p.code);
}

function stepStatuses(report: ConnectionCheckReport): string[] {
  return report.steps.map((s) => `${s.name}:${s.status}`);
}

describe('checkConnection against the sandbox', () => {
  it('passes the three steps for the demo API member and finds the codebase', async () => {
    const report = await checkConnection(demoInput(sandbox), options);

    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(stepStatuses(report)).toEqual(['site:passed', 'keys:passed', 'permissions:passed']);
    expect(report.apiBase).toBe(sandbox.url);
    expect(report.codebase).toBe('v2025_1/');
    expect(report.companyName).toBe('PSA Demo MSP');
    expect(report.version).toMatch(/^v2025\.1/);
    expect(report.permissions.map((l) => l.status)).toEqual(Array(7).fill('granted'));
  });

  it('reports an unknown company id at the site step and skips the rest', async () => {
    const report = await checkConnection(demoInput(sandbox, { companyId: 'nosuchco' }), options);

    expect(codes(report)).toEqual(['unknown_company']);
    expect(report.problems[0]?.field).toBe('companyId');
    expect(report.problems[0]?.message).toContain('"nosuchco"');
    expect(report.problems[0]?.fix).toMatch(/login screen/);
    expect(stepStatuses(report)).toEqual(['site:failed', 'keys:skipped', 'permissions:skipped']);
    expect(report.permissions.every((l) => l.status === 'unchecked')).toBe(true);
  });

  it('reports wrong keys (401) at the keys step with how to make new ones', async () => {
    const report = await checkConnection(
      demoInput(sandbox, { privateKey: 'WrongPrivate0001' }),
      options,
    );

    expect(codes(report)).toEqual(['wrong_keys']);
    expect(report.problems[0]?.fix).toMatch(/API Keys tab/);
    expect(stepStatuses(report)).toEqual(['site:passed', 'keys:failed', 'permissions:skipped']);
    expect(report.codebase).toBe('v2025_1/');
  });

  it('reports wrong keys the same way with the UserNotAuthenticated 401 body', async () => {
    sandbox.state.setBehaviour({ unauthorizedBody: 'UserNotAuthenticated' });
    const report = await checkConnection(
      demoInput(sandbox, { publicKey: 'NoSuchPublicKey1' }),
      options,
    );
    expect(codes(report)).toEqual(['wrong_keys']);
  });

  it('reports wrong keys when ConnectWise answers bad credentials with a 404, as on cloud', async () => {
    sandbox.state.setBehaviour({ badCredentials: '404' });
    const report = await checkConnection(
      demoInput(sandbox, { privateKey: 'WrongPrivate0001' }),
      options,
    );
    expect(codes(report)).toEqual(['wrong_keys']);
    expect(report.problems[0]?.message).toMatch(/404/);
  });

  it('says the company id is case-sensitive when only its case differs', async () => {
    const report = await checkConnection(demoInput(sandbox, { companyId: 'PSADEMO' }), options);
    expect(codes(report)).toEqual(['wrong_keys']);
    expect(report.problems[0]?.message).toContain('knows this company as "psademo"');
  });

  it('reports a missing clientId as the bridge configuration to fix, before any call', async () => {
    sandbox.state.journal.clear();
    const report = await checkConnection(demoInput(sandbox), { ...options, clientId: ' ' });

    expect(codes(report)).toEqual(['client_id_missing']);
    expect(report.problems[0]?.fix).toContain('PSABRIDGE_CLIENT_ID');
    expect(sandbox.state.journal.entries()).toEqual([]);
  });

  it('reports a clientId ConnectWise does not accept with its own code', async () => {
    sandbox.state.setBehaviour({ clientIdPolicy: 'registered' });
    const report = await checkConnection(demoInput(sandbox), {
      ...options,
      clientId: '00000000-0000-4000-8000-000000000000',
    });
    expect(codes(report)).toEqual(['client_id_rejected']);
    expect(report.problems[0]?.fix).toContain('developer.connectwise.com/ClientID');
    expect(stepStatuses(report)).toEqual(['site:passed', 'keys:failed', 'permissions:skipped']);
  });

  it('names each permission the limited API member lacks, and which are granted', async () => {
    const report = await checkConnection(
      demoInput(sandbox, {
        publicKey: DEMO_CREDENTIALS.limited.publicKey,
        privateKey: DEMO_CREDENTIALS.limited.privateKey,
      }),
      options,
    );

    expect(report.ok).toBe(false);
    expect(stepStatuses(report)).toEqual(['site:passed', 'keys:passed', 'permissions:failed']);
    const missing = report.permissions.filter((l) => l.status === 'missing').map((l) => l.label);
    expect(missing).toEqual([
      'Service Desk › Service Tickets › Edit Level: All',
      'System › Table Setup (customize › Service / Service Board) › Inquire Level: All',
    ]);
    expect(report.permissions.filter((l) => l.status === 'granted')).toHaveLength(5);
    expect(codes(report)).toEqual(['permission_missing', 'permission_missing']);
    expect(report.problems[0]?.fix).toContain('System › Security Roles');
  });

  it('reports a site that answers HTML as not ConnectWise', async () => {
    const html = await startHtmlServer();
    try {
      const report = await checkConnection(demoInput(sandbox, { site: html.url }), options);
      expect(codes(report)).toEqual(['not_connectwise']);
      expect(report.problems[0]?.field).toBe('site');
      expect(report.problems[0]?.fix).toMatch(/na\.myconnectwise\.net/);
    } finally {
      await html.close();
    }
  });

  it('reports a host that does not resolve as not found', async () => {
    const report = await checkConnection(
      demoInput(sandbox, { site: 'psabridge-no-such-host.invalid' }),
      options,
    );
    expect(codes(report)).toEqual(['host_not_found']);
    expect(report.apiBase).toBe('https://psabridge-no-such-host.invalid');
  });

  it('reports a closed port as a refused connection', async () => {
    const port = await closedPort();
    const report = await checkConnection(
      demoInput(sandbox, { site: `http://127.0.0.1:${port}` }),
      options,
    );
    expect(codes(report)).toEqual(['connection_refused']);
    expect(report.problems[0]?.message).toContain(`127.0.0.1:${port}`);
  });

  it('reports HTTPS to a server that does not speak it as a TLS error', async () => {
    const html = await startHtmlServer();
    try {
      const report = await checkConnection(
        demoInput(sandbox, { site: `https://127.0.0.1:${html.port}` }),
        options,
      );
      expect(codes(report)).toEqual(['tls_error']);
      expect(report.problems[0]?.fix).toContain('NODE_EXTRA_CA_CERTS');
    } finally {
      await html.close();
    }
  });

  it('reports a site that never answers as a timeout', async () => {
    sandbox.faults.add({ kind: 'timeout', path: '/login/companyinfo/*' });
    const report = await checkConnection(demoInput(sandbox), {
      ...options,
      manage: { timeoutMs: 200, retry: { maxAttempts: 1 } },
    });
    expect(codes(report)).toEqual(['timeout']);
    expect(stepStatuses(report)).toEqual(['site:failed', 'keys:skipped', 'permissions:skipped']);
  });

  it('reports a site with a path as invalid without calling anything', async () => {
    const report = await checkConnection(
      demoInput(sandbox, { site: 'na.myconnectwise.net/v4_6_release/apis/3.0' }),
      options,
    );
    expect(codes(report)).toEqual(['site_invalid']);
    expect(report.apiBase).toBeNull();
  });

  it('reports a key pasted with spaces as malformed, naming the field', async () => {
    const report = await checkConnection(
      demoInput(sandbox, { privateKey: 'Demo Private' }),
      options,
    );
    expect(codes(report)).toEqual(['credentials_malformed']);
    expect(report.problems[0]?.field).toBe('privateKey');
    expect(report.problems[0]?.message).not.toContain('Demo Private');
  });

  it('reports ConnectWise failing with 503 as unavailable, not as wrong keys', async () => {
    sandbox.faults.add({ kind: 'status', status: 503, endpoint: 'systemInfo' });
    const report = await checkConnection(demoInput(sandbox), options);
    expect(codes(report)).toEqual(['connectwise_unavailable']);
  });
});
