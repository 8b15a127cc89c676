import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ManageClient } from '../connectwise/client/index.js';
import { REQUIRED_PERMISSIONS } from '../connectwise/permissions.js';
import type { RunningSandbox } from '../sandbox/index.js';
import { DEMO_CREDENTIALS, startSandbox } from '../sandbox/index.js';
import { checkPermissions, probeFor } from './permission-check.js';
import { BRIDGE_ROLE } from './test-support.js';

let sandbox: RunningSandbox;
let client: ManageClient;

beforeAll(async () => {
  sandbox = await startSandbox();
  client = new ManageClient({
    site: sandbox.url,
    companyId: DEMO_CREDENTIALS.companyId,
    ...DEMO_CREDENTIALS.bridge,
    clientId: DEMO_CREDENTIALS.clientId,
    retry: { maxAttempts: 1 },
  });
});
afterAll(async () => {
  await sandbox.close();
});

describe('checkPermissions', () => {
  it('has a probe for every permission the integration page lists', () => {
    for (const permission of REQUIRED_PERMISSIONS) {
      expect(probeFor(permission.fn, permission.action), permission.label).toBeDefined();
    }
  });

  it('reports every permission granted for a role with exactly the page’s permissions', async () => {
    const report = await checkPermissions(client);
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.lines.map((l) => l.label)).toEqual(REQUIRED_PERMISSIONS.map((p) => p.label));
  });

  // Each permission removed in turn: exactly that one is named missing, with where to grant it.
  for (const permission of REQUIRED_PERMISSIONS) {
    it(`names "${permission.label}" alone when the role lacks it`, async () => {
      sandbox.state.setRoleLevel(BRIDGE_ROLE, permission.fn, permission.action, 'None');
      try {
        const report = await checkPermissions(client);

        expect(report.ok).toBe(false);
        const missing = report.lines.filter((l) => l.status === 'missing');
        expect(missing.map((l) => l.label)).toEqual([permission.label]);
        expect(missing[0]?.message).toContain('System › Security Roles');
        expect(report.lines.filter((l) => l.status === 'granted')).toHaveLength(
          REQUIRED_PERMISSIONS.length - 1,
        );
        expect(report.problems).toEqual([
          expect.objectContaining({
            code: 'permission_missing',
            field: 'permissions',
            message: expect.stringContaining(permission.label) as string,
          }),
        ]);
      } finally {
        sandbox.state.setRoleLevel(BRIDGE_ROLE, permission.fn, permission.action, 'All');
      }
    });
  }

  it('creates and changes nothing in ConnectWise while probing Add and Edit', async () => {
    const ticketsBefore = sandbox.state.tickets.size;
    sandbox.state.journal.clear();

    await checkPermissions(client);

    expect(sandbox.state.tickets.size).toBe(ticketsBefore);
    const writes = sandbox.state.journal
      .entries()
      .filter((e) => e.method !== 'GET')
      .map((e) => `${e.method} ${e.endpoint ?? ''} ${e.status}`);
    expect(writes.sort()).toEqual(['PATCH patchTicket 404', 'POST createTicket 400']);
  });

  it('asks for one record per Inquire probe', async () => {
    sandbox.state.journal.clear();
    await checkPermissions(client);
    const reads = sandbox.state.journal.entries().filter((e) => e.method === 'GET');
    expect(reads).toHaveLength(5);
    for (const read of reads) expect(read.url).toContain('pageSize=1');
  });

  it('leaves a line unchecked, with the reason, when its probe gets no answer', async () => {
    const id = sandbox.faults.add({ kind: 'status', status: 503, endpoint: 'listContacts' });
    try {
      const report = await checkPermissions(client);
      const contacts = report.lines.find((l) => l.fn === 'contacts');
      expect(contacts?.status).toBe('unchecked');
      expect(report.ok).toBe(false);
      expect(report.problems.map((p) => p.code)).toEqual(['connectwise_unavailable']);
    } finally {
      sandbox.faults.remove(id);
    }
  });
});
