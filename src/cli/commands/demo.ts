/**
 * `psabridge demo` (what `npm start` runs): the product on its embedded defaults with demo data
 * flowing. It starts the Manage sandbox, the bridge (SQLite in the data directory, the API, the
 * worker) configured against the sandbox by `demo/psabridge.demo.json`, and a feed of backup
 * events; prints a short guide and one line per ticket happening; and stops everything on
 * Ctrl+C (SIGINT) or SIGTERM. See `src/demo/README.md`.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

import { Command, InvalidArgumentError } from 'commander';

import { ConfigError, parseConfig } from '../../config/config.js';
import { ConfigApplyError, ConfigFileError } from '../../config-file/index.js';
import { DemoError, runDemo } from '../../demo/index.js';
import { MasterKeyError } from '../../secrets/errors.js';
import { StorageError } from '../../storage/errors.js';
import { commandLogger, stopSignal } from '../process-edge.js';

interface DemoFlags {
  port?: number;
  sandboxPort?: number;
  dataDir?: string;
  config?: string;
  feed: boolean;
}

function portOption(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new InvalidArgumentError('use a port number from 0 to 65535 (0 picks a free port).');
  }
  return port;
}

/** The `demo` subcommand. */
export function demoCommand(): Command {
  return new Command('demo')
    .description(
      'Run the product with demo data: the Manage sandbox, the bridge configured against it, and a feed of backup events',
    )
    .option('--port <port>', 'port of the bridge API (default PSABRIDGE_PORT or 8080)', portOption)
    .option(
      '--sandbox-port <port>',
      'port of the Manage sandbox (default 8787, or a free port when 8787 is taken)',
      portOption,
    )
    .option('--data-dir <dir>', 'data directory (default PSABRIDGE_DATA_DIR or ./data)')
    .option('--config <file>', 'configuration file to apply (default demo/psabridge.demo.json)')
    .option('--no-feed', 'do not send demo events (the bridge and sandbox still run)')
    .action(async (flags: DemoFlags) => {
      const stop = stopSignal();
      try {
        // The process edge: `.env`, then the environment, then the flags.
        const envFile = path.join(process.cwd(), '.env');
        if (existsSync(envFile)) process.loadEnvFile(envFile);
        const config = parseConfig({
          ...process.env,
          ...(flags.port !== undefined && { PSABRIDGE_PORT: String(flags.port) }),
          ...(flags.dataDir !== undefined && { PSABRIDGE_DATA_DIR: flags.dataDir }),
        });
        // The demo tells its own story line by line; the log shows only warnings unless
        // LOG_LEVEL asks for more.
        const level = process.env.LOG_LEVEL ? config.logLevel : 'warn';
        const logger = commandLogger(level);
        await runDemo({
          config,
          logger,
          signal: stop.signal,
          print: (line) => process.stdout.write(`${line}\n`),
          env: process.env,
          ...(flags.config !== undefined && { configPath: path.resolve(flags.config) }),
          ...(flags.sandboxPort !== undefined && { sandboxPort: flags.sandboxPort }),
          feed: flags.feed,
        });
      } catch (err) {
        process.exitCode = reportStartupError(err, flags);
      } finally {
        stop.release();
      }
    });
}

/** Prints why the demo could not start, and returns the exit code. */
function reportStartupError(err: unknown, flags: DemoFlags): number {
  if (
    err instanceof ConfigError ||
    err instanceof MasterKeyError ||
    err instanceof StorageError ||
    err instanceof ConfigFileError ||
    err instanceof ConfigApplyError ||
    err instanceof DemoError
  ) {
    process.stderr.write(`psabridge demo: ${err.message}\n`);
    return 2;
  }
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE' || code === 'EACCES') {
    process.stderr.write(
      `psabridge demo: the bridge API cannot listen (${code}): ${(err as Error).message}. ` +
        `Stop what uses the port, or choose another with --port${flags.port === undefined ? ' (e.g. npm start -- --port 8081)' : ''}; 0 picks a free one.\n`,
    );
    return 2;
  }
  process.stderr.write(
    `psabridge demo failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  return 1;
}
