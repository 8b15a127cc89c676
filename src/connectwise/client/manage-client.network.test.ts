// Connection failures over real sockets on 127.0.0.1: refused, reset after the request was
// read, and a TLS handshake against a port that does not speak TLS.
import type { AddressInfo, Server, Socket } from 'node:net';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';

import { ManageConnectionError, ManageOutcomeUnknownError } from './errors.js';
import type { ManageClientEvent } from './events.js';
import { ManageClient } from './manage-client.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function listen(onSocket: (socket: Socket) => void): Promise<number> {
  const server = createServer(onSocket);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function clientFor(site: string, events: ManageClientEvent[]): ManageClient {
  return new ManageClient({
    site,
    companyId: 'psademo',
    publicKey: 'DemoPublicKey001',
    privateKey: 'DemoPrivateKey01',
    clientId: '8d4a1f6e-2b3c-4d5e-9f70-1a2b3c4d5e6f',
    codebase: 'v2025_1/',
    retry: { maxAttempts: 3 },
    sleep: () => Promise.resolve(),
    onEvent: (event) => events.push(event),
  });
}

describe('ManageClient over broken connections', () => {
  it('retries even a create when the connection is refused (nothing was sent)', async () => {
    const events: ManageClientEvent[] = [];
    const manage = clientFor(`http://127.0.0.1:${await closedPort()}`, events);
    const error: unknown = await manage.tickets
      .create({ summary: 'Backup failed', company: { id: 1 } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ManageConnectionError);
    expect(error).toMatchObject({
      kind: 'refused',
      causeCode: 'ECONNREFUSED',
      requestMayHaveBeenSent: false,
    });
    expect((error as Error).message).toMatch(/refused the connection.*Check the site and port/);
    expect(events.filter((e) => e.type === 'request')).toHaveLength(3);
    expect(
      events.filter((e) => e.type === 'retry').map((e) => e.type === 'retry' && e.reason),
    ).toEqual([
      'connection failed before sending (ECONNREFUSED)',
      'connection failed before sending (ECONNREFUSED)',
    ]);
  });

  it('does not resend a create whose connection was reset after sending', async () => {
    let received = 0;
    const port = await listen((socket) =>
      socket.once('data', () => {
        received++;
        socket.resetAndDestroy();
      }),
    );
    const events: ManageClientEvent[] = [];
    const error: unknown = await clientFor(`http://127.0.0.1:${port}`, events)
      .tickets.create({ summary: 'Backup failed', company: { id: 1 } })
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ManageOutcomeUnknownError);
    expect((error as Error).cause).toBeInstanceOf(ManageConnectionError);
    expect((error as Error).message).toMatch(/externalXRef/);
    expect(received).toBe(1);
  });

  it('retries a read whose connection was reset', async () => {
    let received = 0;
    const port = await listen((socket) =>
      socket.once('data', () => {
        received++;
        socket.resetAndDestroy();
      }),
    );
    const error: unknown = await clientFor(`http://127.0.0.1:${port}`, [])
      .tickets.get(1)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManageConnectionError);
    expect(error).toMatchObject({ kind: 'reset', requestMayHaveBeenSent: true });
    expect(received).toBe(3);
  });

  it('names a TLS failure as such when the port does not speak TLS', async () => {
    const port = await listen((socket) => socket.once('data', () => socket.destroy()));
    const error: unknown = await clientFor(`https://127.0.0.1:${port}`, [])
      .systemInfo()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManageConnectionError);
    expect(error).toMatchObject({ kind: 'tls', requestMayHaveBeenSent: false });
    expect((error as Error).message).toMatch(/TLS handshake with 127\.0\.0\.1:\d+ failed/);
  });
});
