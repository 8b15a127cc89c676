/**
 * The demo's Manage sandbox: the demo fixture plus the tickets earlier demo runs left (see
 * `sandbox-tickets.ts`), on the demo port, or on a free port when the default one is taken.
 */
import type { RunningSandbox, SandboxFixture } from '../sandbox/index.js';
import {
  DEMO_FIXTURE_PATH,
  FixtureError,
  loadFixtureFile,
  startSandbox,
} from '../sandbox/index.js';
import { DemoError } from './errors.js';
import {
  loadSavedTickets,
  saveTickets,
  ticketsAsFixture,
  withTickets,
  type FixtureTicketInput,
} from './sandbox-tickets.js';

/** The sandbox's port unless told otherwise: 8787, as `psabridge sandbox`. */
export const DEFAULT_DEMO_SANDBOX_PORT = 8787;

/** Options of {@link startDemoSandbox}. */
export interface DemoSandboxOptions {
  /** Default {@link DEFAULT_DEMO_SANDBOX_PORT}; 0 picks a free port. */
  readonly port?: number;
  /** Listen on a free port when `port` is taken, instead of failing. Default false. */
  readonly fallbackToFreePort?: boolean;
  /** The saved tickets file, in the data directory. */
  readonly ticketsFile: string;
  /** The tenant. Default the demo fixture. */
  readonly fixture?: SandboxFixture;
  /** Writes one line for the operator. */
  readonly print: (line: string) => void;
}

/** A started demo sandbox. */
export interface DemoSandbox {
  readonly sandbox: RunningSandbox;
  /** Writes the tickets made since the fixture to the saved tickets file. */
  readonly save: () => Promise<void>;
}

/**
 * Starts the sandbox with the saved tickets. Saved tickets that no longer load (a changed
 * fixture) are left out with a warning rather than stopping the demo.
 *
 * @throws DemoError when the port is taken and `fallbackToFreePort` is false.
 */
export async function startDemoSandbox(options: DemoSandboxOptions): Promise<DemoSandbox> {
  const { print, ticketsFile } = options;
  const base = options.fixture ?? loadFixtureFile(DEMO_FIXTURE_PATH);
  let saved: FixtureTicketInput[] = [];
  try {
    saved = await loadSavedTickets(ticketsFile);
  } catch (error) {
    print(
      `warning: the sandbox tickets saved in ${ticketsFile} cannot be read (${(error as Error).message}); the sandbox starts without them`,
    );
  }

  const port = options.port ?? DEFAULT_DEMO_SANDBOX_PORT;
  let sandbox: RunningSandbox;
  try {
    sandbox = await listen(withTickets(base, saved), port, options);
  } catch (error) {
    if (!(error instanceof FixtureError) || saved.length === 0) throw error;
    print(
      `warning: the sandbox tickets saved in ${ticketsFile} do not fit the demo fixture (${error.message.split('\n')[0] ?? ''}); the sandbox starts without them`,
    );
    saved = [];
    sandbox = await listen(base, port, options);
  }

  const savedIds = new Set(saved.flatMap((ticket) => (ticket.id === undefined ? [] : [ticket.id])));
  const baseIds = new Set(
    sandbox.state
      .listTickets()
      .map((ticket) => ticket.id)
      .filter((id) => !savedIds.has(id)),
  );
  return {
    sandbox,
    save: async () => {
      await saveTickets(ticketsFile, ticketsAsFixture(sandbox.state, baseIds));
    },
  };
}

async function listen(
  fixture: SandboxFixture,
  port: number,
  options: DemoSandboxOptions,
): Promise<RunningSandbox> {
  try {
    return await startSandbox({ port, fixture });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    if (options.fallbackToFreePort !== true) {
      throw new DemoError(
        `Port ${port} is in use, so the Manage sandbox cannot listen there. Stop what uses it, or choose another port with --sandbox-port (0 picks a free one).`,
        { cause: error },
      );
    }
    const sandbox = await startSandbox({ port: 0, fixture });
    options.print(`port ${port} is in use; the Manage sandbox listens on ${sandbox.port} instead`);
    return sandbox;
  }
}
