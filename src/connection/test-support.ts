/**
 * Helpers for this part's tests: the demo tenant's credentials on a running sandbox, and small
 * local servers that are not ConnectWise (an HTML page, a closed port).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { RunningSandbox } from '../sandbox/index.js';
import { DEMO_CREDENTIALS } from '../sandbox/index.js';
import type { BoardSelection, ConnectionInput } from './types.js';

/** The demo fixture's role with exactly the integration page's permissions. */
export const BRIDGE_ROLE = 'psabridge Integration';

/** The bridge member's credentials on `sandbox`. */
export function demoInput(
  sandbox: RunningSandbox,
  overrides: Partial<ConnectionInput> = {},
): ConnectionInput {
  return {
    site: sandbox.url,
    companyId: DEMO_CREDENTIALS.companyId,
    publicKey: DEMO_CREDENTIALS.bridge.publicKey,
    privateKey: DEMO_CREDENTIALS.bridge.privateKey,
    ...overrides,
  };
}

/**
 * A valid selection on the demo board "Backup Alerts": Backup / Failed / Job, New → Closed,
 * the default team, priorities 1–4.
 */
export const DEMO_SELECTION: BoardSelection = Object.freeze({
  boardId: 21,
  typeId: 201,
  subtypeId: 301,
  itemId: 401,
  newStatusId: 101,
  closedStatusId: 105,
  teamId: null,
  priorities: Object.freeze({ critical: 1, high: 2, medium: 3, low: 4 }),
});

/** A plain HTTP server on 127.0.0.1 answering every request with an HTML page. */
export async function startHtmlServer(): Promise<{
  url: string;
  port: number;
  close(): Promise<void>;
}> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><html><body><h1>Welcome to our intranet</h1></body></html>');
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => closeServer(server),
  };
}

/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await closeServer(server);
  return port;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
