/**
 * What every long-running command does at the process edge: stop on Ctrl+C or SIGTERM, and log
 * through pino (pretty on a terminal, JSON lines otherwise).
 */
import PinoPretty from 'pino-pretty';
import type { Logger } from 'pino';

import { createLogger } from '../api/logger.js';
import type { LogLevel } from '../config/config.js';

/** A signal the first SIGINT or SIGTERM aborts, and the way to stop listening for them. */
export interface StopSignal {
  readonly signal: AbortSignal;
  /** Removes the signal handlers (a command that ran in-process must leave none behind). */
  release(): void;
}

/** Aborts on the first SIGINT or SIGTERM, so daemons stop cleanly. */
export function stopSignal(): StopSignal {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/** The command's logger at `level`: readable lines on a terminal, JSON lines when piped. */
export function commandLogger(level: LogLevel): Logger {
  return createLogger({
    level,
    ...(process.stdout.isTTY ? { destination: PinoPretty({ ignore: 'pid,hostname' }) } : {}),
  });
}
