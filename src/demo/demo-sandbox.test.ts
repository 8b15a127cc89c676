import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { DEMO_CREDENTIALS } from '../sandbox/index.js';
import { startDemoSandbox, type DemoSandbox } from './demo-sandbox.js';
import { DemoError } from './errors.js';

let dir: string;
let ticketsFile: string;
const started: DemoSandbox[] = [];
const lines: string[] = [];
const print = (line: string): void => void lines.push(line);

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'psabridge-demo-sandbox-'));
  ticketsFile = path.join(dir, 'tickets.json');
  lines.length = 0;
});

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.sandbox.close()));
  await rm(dir, { recursive: true, force: true });
});

async function start(options: { port?: number; fallbackToFreePort?: boolean } = {}) {
  const demo = await startDemoSandbox({ port: 0, ...options, ticketsFile, print });
  started.push(demo);
  return demo;
}

/** Creates a ticket as the bridge does: through the API, as the bridge's API member. */
async function createTicket(url: string, summary: string): Promise<{ id: number }> {
  const { companyId, codebase, clientId, bridge } = DEMO_CREDENTIALS;
  const auth = Buffer.from(`${companyId}+${bridge.publicKey}:${bridge.privateKey}`).toString(
    'base64',
  );
  const response = await fetch(`${url}/${codebase}apis/3.0/service/tickets`, {
    method: 'POST',
    headers: { authorization: `Basic ${auth}`, clientId, 'content-type': 'application/json' },
    body: JSON.stringify({
      summary,
      company: { identifier: 'ACME' },
      board: { name: 'Backup Alerts' },
      externalXRef: 'psab1:test.1',
    }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: number };
}

function occupiedPort(): Promise<{ server: Server; port: number }> {
  const server = createServer();
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port }),
    ),
  );
}

describe('startDemoSandbox', () => {
  it('keeps the tickets of a run, with their ids, status and notes, for the next start', async () => {
    const first = await start();
    const { state } = first.sandbox;
    const before = state.listTickets().length;
    const made = await createTicket(first.sandbox.url, 'ACME-FS01: backup failed');
    state.addNote(made.id, { text: 'Backup failed.', detailDescriptionFlag: true }, 'bridge-api');
    state.addNote(made.id, { text: 'Recovered.', resolutionFlag: true }, 'bridge-api');
    state.setTicketStatus(made.id, 'Closed');
    await first.save();
    await first.sandbox.close();

    const second = await start();
    const again = second.sandbox.state.getTicket(made.id);
    expect(again).toMatchObject({
      summary: 'ACME-FS01: backup failed',
      closedFlag: true,
      externalXRef: 'psab1:test.1',
      company: { identifier: 'ACME' },
    });
    expect(again?.status.name).toBe('Closed');
    expect(second.sandbox.state.listNotes(made.id).map((n) => [n.text, n.resolutionFlag])).toEqual([
      ...state.listNotes(made.id).map((n) => [n.text, n.resolutionFlag]),
    ]);
    expect(second.sandbox.state.listTickets()).toHaveLength(before + 1);
    // A new ticket never takes a kept ticket's id.
    expect(second.sandbox.state.nextTicketId()).toBeGreaterThan(made.id);
  });

  it('starts without saved tickets it cannot read, and says so', async () => {
    await writeFile(ticketsFile, '{"version": 7}');
    const demo = await start();
    expect(demo.sandbox.state.listTickets().length).toBeGreaterThan(0);
    expect(lines.join('\n')).toMatch(/cannot be read .*starts without them/);
  });

  it('refuses a port in use with a clear reason', async () => {
    const { server, port } = await occupiedPort();
    try {
      const attempt = start({ port, fallbackToFreePort: false });
      await expect(attempt).rejects.toThrow(DemoError);
      await expect(attempt).rejects.toThrow(`Port ${port} is in use`);
    } finally {
      server.close();
    }
  });

  it('listens on a free port instead when allowed, and says which', async () => {
    const { server, port } = await occupiedPort();
    try {
      const demo = await start({ port, fallbackToFreePort: true });
      expect(demo.sandbox.port).not.toBe(port);
      expect(lines).toContain(
        `port ${port} is in use; the Manage sandbox listens on ${demo.sandbox.port} instead`,
      );
    } finally {
      server.close();
    }
  });
});
