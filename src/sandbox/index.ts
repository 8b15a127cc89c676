/**
 * The Manage sandbox: a local emulator of the ConnectWise Manage REST API 3.0 (see
 * `src/sandbox/README.md`). Start it, point a client at `url`, and shape scenarios through
 * `state` (the in-memory tenant) and `faults` (injected failures).
 *
 * @example
 * const sandbox = await startSandbox();
 * const res = await fetch(`${sandbox.url}/v2025_1/apis/3.0/service/boards`, { headers });
 * sandbox.state.deactivateCompany('ACME');
 * sandbox.faults.add({ kind: 'status', status: 503, endpoint: 'createTicket', times: 1 });
 * await sandbox.close();
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { SandboxBehaviour } from './behaviour.js';
import { FaultController } from './faults/fault-controller.js';
import type { FaultRule } from './faults/fault-rule.js';
import { buildState } from './fixture/build-state.js';
import { DEMO_FIXTURE_PATH, loadFixtureFile } from './fixture/load-fixture.js';
import type { SandboxFixture } from './fixture/schema.js';
import { handleRequest } from './http/server.js';
import type { SandboxState } from './state/sandbox-state.js';

export type { SandboxBehaviour } from './behaviour.js';
export { DEFAULT_BEHAVIOUR } from './behaviour.js';
export type { ActiveFault, FaultDecision } from './faults/fault-controller.js';
export { FaultController, FaultRuleError } from './faults/fault-controller.js';
export type { FaultRule } from './faults/fault-rule.js';
export { FixtureError } from './fixture/fixture-error.js';
export type { FixtureIssue } from './fixture/fixture-error.js';
export { generateLargeFixture } from './fixture/large-fixture.js';
export { DEMO_FIXTURE_PATH, loadFixtureFile } from './fixture/load-fixture.js';
export type { SandboxFixture } from './fixture/schema.js';
export type { JournalEntry } from './state/request-journal.js';
export type { CompanyKey, NamedKey, NoteInput } from './state/sandbox-state.js';
export { SandboxState, SandboxStateError } from './state/sandbox-state.js';

/** The demo fixture's API members, clientId and codebase, for tests and the CLI banner. */
export const DEMO_CREDENTIALS = Object.freeze({
  companyId: 'psademo',
  codebase: 'v2025_1/',
  clientId: '8d4a1f6e-2b3c-4d5e-9f70-1a2b3c4d5e6f',
  /** Role "psabridge Integration": exactly the integration page's permissions. */
  bridge: { publicKey: 'DemoPublicKey001', privateKey: 'DemoPrivateKey01' },
  /** Lacks Service Tickets › Edit and Table Setup › Inquire. */
  limited: { publicKey: 'LimitedPublic001', privateKey: 'LimitedPrivate01' },
  /** Every permission, for inspecting the sandbox through the API. */
  admin: { publicKey: 'AdminPublicKey01', privateKey: 'AdminPrivateKey1' },
});

export interface SandboxOptions {
  /** Port to listen on; default 0 (any free port). */
  port?: number;
  /** Interface to listen on; default `127.0.0.1`. */
  host?: string;
  /** The tenant; default the demo fixture ({@link DEMO_FIXTURE_PATH}). */
  fixture?: SandboxFixture;
  /** Overrides of the UNVERIFIED/CONFLICT switches; default the reference's best guesses. */
  behaviour?: Partial<SandboxBehaviour>;
  /** Fault rules active from the start; default none. */
  faults?: FaultRule[];
  /** Clock for timestamps (`_info`, notes, closure); default the system clock. */
  now?: () => Date;
}

export interface RunningSandbox {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly state: SandboxState;
  readonly faults: FaultController;
  /** Stops listening and ends every open connection, held ones included. */
  close(): Promise<void>;
}

/**
 * Starts a sandbox.
 * @throws FixtureError for an invalid fixture; the listen error when the port is taken.
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const fixture = options.fixture ?? loadFixtureFile(DEMO_FIXTURE_PATH);
  const state = buildState(fixture, {
    ...(options.behaviour ? { behaviour: options.behaviour } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const faults = new FaultController(options.faults ?? []);
  const closing = new AbortController();
  const deps = { state, faults, closing: closing.signal };

  const server = createServer((req, res) => {
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    void handleRequest(req, res, deps);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;

  let closed: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    state,
    faults,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
