/**
 * The service logger: pino, with every place a secret could appear redacted by path. Only
 * entry points create one; libraries take it (or emit events) and never log on their own.
 */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/config.js';

/**
 * Log paths that can carry a secret: credentials in request and response headers, and fields
 * named like secrets at the top level or one level down (`{ body: { password } }`).
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  ...['password', 'token', 'secret', 'privateKey', 'apiKey', 'masterKey', 'sessionToken'].flatMap(
    (key) => [key, `*.${key}`],
  ),
];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Default `info`. */
  readonly level?: LogLevel;
  /** Where JSON lines go. Default standard output. */
  readonly destination?: DestinationStream;
}

/** A pino logger writing JSON lines with secrets replaced by `[redacted]`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const settings = {
    level: options.level ?? 'info',
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
