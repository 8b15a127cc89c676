/**
 * `psabridge sandbox`: runs the Manage sandbox on its own, prints how to reach it (base URL,
 * codebase, API-member credentials, clientId, an example curl line), and stops on SIGINT/SIGTERM.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';

import type { RunningSandbox, SandboxFixture } from '../../sandbox/index.js';
import {
  DEMO_CREDENTIALS,
  DEMO_FIXTURE_PATH,
  FixtureError,
  loadFixtureFile,
  startSandbox,
} from '../../sandbox/index.js';
import { stopSignal } from '../process-edge.js';

/** The port `psabridge sandbox` listens on by default. */
export const DEFAULT_SANDBOX_PORT = 8787;

export interface RunSandboxOptions {
  /** Default {@link DEFAULT_SANDBOX_PORT}. */
  readonly port?: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Fixture file; default the demo fixture. */
  readonly fixturePath?: string;
  /** Aborting it stops the sandbox. */
  readonly signal: AbortSignal;
  /** Writes one line for the operator. */
  readonly print: (line: string) => void;
  /** Called once the sandbox listens (tests use it to reach the server). */
  readonly onStarted?: (sandbox: RunningSandbox) => void;
}

/**
 * Runs the sandbox until `signal` aborts.
 * @returns the base URL it listened on, once it has stopped.
 * @throws FixtureError for an unreadable or invalid fixture file.
 */
export async function runSandbox(options: RunSandboxOptions): Promise<string> {
  const fixturePath = options.fixturePath ?? DEMO_FIXTURE_PATH;
  const fixture = loadFixtureFile(fixturePath);
  const sandbox = await startSandbox({
    port: options.port ?? DEFAULT_SANDBOX_PORT,
    host: options.host ?? '127.0.0.1',
    fixture,
  });
  try {
    options.onStarted?.(sandbox);
    for (const line of banner(sandbox, fixture, fixturePath === DEMO_FIXTURE_PATH)) {
      options.print(line);
    }
    await new Promise<void>((resolve) => {
      if (options.signal.aborted) return resolve();
      options.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    options.print('Manage sandbox is stopping…');
    return sandbox.url;
  } finally {
    await sandbox.close();
  }
}

function banner(sandbox: RunningSandbox, fixture: SandboxFixture, demo: boolean): string[] {
  const { companyId, codebase } = sandbox.state.tenant;
  const api = `${sandbox.url}/${codebase}apis/3.0`;
  const lines = [
    `Manage sandbox (ConnectWise REST API 3.0 emulator) is listening on ${sandbox.url}`,
    `  company id: ${companyId}    codebase: ${codebase}    API root: ${api}`,
    `  codebase lookup: ${sandbox.url}/login/companyinfo/${companyId}`,
    `  admin API: ${sandbox.url}/__sandbox/health, /__sandbox/faults, /__sandbox/behaviour, /__sandbox/requests`,
  ];
  if (demo) {
    const { bridge, limited, admin, clientId } = DEMO_CREDENTIALS;
    lines.push(
      `  clientId: ${clientId}`,
      `  bridge-api  (integration role):  public ${bridge.publicKey}  private ${bridge.privateKey}`,
      `  limited-api (no ticket edit, no table setup): public ${limited.publicKey}  private ${limited.privateKey}`,
      `  admin-api   (every permission):  public ${admin.publicKey}  private ${admin.privateKey}`,
      'Try:',
      `  curl -s -u '${companyId}+${bridge.publicKey}:${bridge.privateKey}' -H 'clientId: ${clientId}' '${api}/service/boards'`,
    );
  } else {
    const keys = (fixture.members ?? []).flatMap((m) =>
      (m.apiKeys ?? []).map(
        (k) => `  ${m.identifier}: public ${k.publicKey} (private key in the fixture)`,
      ),
    );
    const clientId = fixture.tenant.clientIds?.[0] ?? '<any GUID>';
    lines.push(`  clientId: ${clientId}`, ...keys, 'Try:');
    lines.push(
      `  curl -s -u '${companyId}+PUBLIC:PRIVATE' -H 'clientId: ${clientId}' '${api}/system/info'`,
    );
  }
  lines.push('Press Ctrl+C to stop.');
  return lines;
}

function portOption(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('use a port number from 0 to 65535.');
  }
  return port;
}

/** Adds `psabridge sandbox [--port N] [--host H] [--fixture FILE]` to the program. */
export function registerSandboxCommand(program: Command): void {
  program
    .command('sandbox')
    .description('Run the ConnectWise Manage sandbox (a local REST API 3.0 emulator) on its own.')
    .option('--port <port>', `port to listen on (default ${DEFAULT_SANDBOX_PORT})`, portOption)
    .option('--host <host>', 'interface to listen on (default 127.0.0.1)')
    .option(
      '--fixture <file>',
      'JSON fixture with the tenant to emulate (default: the demo tenant)',
    )
    .action(async (opts: { port?: number; host?: string; fixture?: string }) => {
      const stop = stopSignal();
      try {
        await runSandbox({
          ...(opts.port !== undefined ? { port: opts.port } : {}),
          ...(opts.host !== undefined ? { host: opts.host } : {}),
          ...(opts.fixture !== undefined ? { fixturePath: opts.fixture } : {}),
          signal: stop.signal,
          print: (line) => console.log(line),
        });
      } catch (error) {
        if (!(error instanceof FixtureError)) throw error;
        console.error(error.message);
        process.exitCode = 2;
      } finally {
        stop.release();
      }
    });
}
