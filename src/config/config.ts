/**
 * The service's configuration: one zod schema over environment variables, parsed once at the
 * process edge. Libraries never read `process.env`; they take the typed {@link Config} (or a
 * slice of it) as options.
 */
import path from 'node:path';
import { z } from 'zod';

/** The product's ConnectWise clientId; the sandbox's demo fixture registers this value. */
export const DEFAULT_CLIENT_ID = '8d4a1f6e-2b3c-4d5e-9f70-1a2b3c4d5e6f';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the service keeps its rows: an embedded SQLite file or a PostgreSQL server. */
export type DatabaseTarget =
  | { readonly kind: 'sqlite'; readonly sqlitePath: string }
  | { readonly kind: 'postgres'; readonly url: string };

/** The parsed, validated configuration. Every path is absolute. */
export interface Config {
  /** `PSABRIDGE_DATA_DIR`, default `./data`: the SQLite file and the master key file live here. */
  readonly dataDir: string;
  /** From `DATABASE_URL`: PostgreSQL for `postgres://…`, else `<dataDir>/psabridge.db`. */
  readonly database: DatabaseTarget;
  /** `PSABRIDGE_HOST`, default `127.0.0.1`. */
  readonly host: string;
  /** `PSABRIDGE_PORT`, default `8080`. */
  readonly port: number;
  /** `PSABRIDGE_MASTER_KEY` (base64 of 32 bytes), when given; else {@link masterKeyFile} is used. */
  readonly masterKey: Uint8Array | undefined;
  /** `<dataDir>/master.key`: created on first start (mode 0600) when no key is given. */
  readonly masterKeyFile: string;
  /** `PSABRIDGE_CLIENT_ID`: the clientId header ConnectWise requires of every integration. */
  readonly clientId: string;
  /** `LOG_LEVEL`, default `info`. */
  readonly logLevel: LogLevel;
  /** `PSABRIDGE_SECURE_COOKIES`: default true, except when the host is a loopback address. */
  readonly secureCookies: boolean;
}

/** The environment variables the service reads; anything else in the environment is ignored. */
export type ConfigEnv = Readonly<Record<string, string | undefined>>;

/** Thrown when the environment does not describe a usable configuration; lists every problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n') +
        '\nFix these environment variables (or the .env file) and start again.',
    );
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

const emptyToUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const optionalText = z.preprocess(emptyToUndefined, z.string().trim().optional());

const booleanText = z.preprocess(
  emptyToUndefined,
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], {
      error: 'should be true or false',
    })
    .transform((v) => v === 'true' || v === '1' || v === 'yes')
    .optional(),
);

const envSchema = z.object({
  PSABRIDGE_DATA_DIR: optionalText,
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((v) => /^(postgres|postgresql):\/\/[^/]/.test(v) || /^(sqlite|file):./.test(v), {
        error: 'should be a postgres://user:password@host:port/database URL, or sqlite:<path>',
      })
      .optional(),
  ),
  PSABRIDGE_HOST: optionalText,
  PSABRIDGE_PORT: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\d+$/, { error: 'should be a port number between 0 and 65535' })
      .transform(Number)
      .refine((n) => n <= 65535, { error: 'should be a port number between 0 and 65535' })
      .optional(),
  ),
  PSABRIDGE_MASTER_KEY: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .refine((v) => /^[A-Za-z0-9+/_-]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32, {
        error:
          'should be 32 random bytes in base64 (generate one with: openssl rand -base64 32); ' +
          'leave it unset to use a key file in the data directory',
      })
      .transform((v) => new Uint8Array(Buffer.from(v, 'base64')))
      .optional(),
  ),
  PSABRIDGE_CLIENT_ID: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, {
        error: 'should be the GUID ConnectWise issued for this integration',
      })
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' ? emptyToUndefined(v.trim().toLowerCase()) : v),
    z.enum(LOG_LEVELS, { error: `should be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  ),
  PSABRIDGE_SECURE_COOKIES: booleanText,
});

/**
 * Parses and validates the configuration from an environment (usually `process.env`).
 *
 * @param env the environment variables; only the ones listed on {@link Config} are read.
 * @param cwd base for a relative `PSABRIDGE_DATA_DIR` or `sqlite:` path. Default `process.cwd()`.
 * @throws {ConfigError} listing every bad variable and what it should be.
 * @example
 * const config = parseConfig({ PSABRIDGE_DATA_DIR: '/var/lib/psabridge' });
 * config.database; // { kind: 'sqlite', sqlitePath: '/var/lib/psabridge/psabridge.db' }
 */
export function parseConfig(env: ConfigEnv, cwd: string = process.cwd()): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  const e = parsed.data;

  const dataDir = path.resolve(cwd, e.PSABRIDGE_DATA_DIR ?? './data');
  const host = e.PSABRIDGE_HOST ?? '127.0.0.1';
  return Object.freeze({
    dataDir,
    database: databaseTarget(e.DATABASE_URL, dataDir, cwd),
    host,
    port: e.PSABRIDGE_PORT ?? 8080,
    masterKey: e.PSABRIDGE_MASTER_KEY,
    masterKeyFile: path.join(dataDir, 'master.key'),
    clientId: (e.PSABRIDGE_CLIENT_ID ?? DEFAULT_CLIENT_ID).toLowerCase(),
    logLevel: e.LOG_LEVEL ?? 'info',
    // Browsers drop `Secure` cookies on plain http, which a loopback install uses; anything
    // reachable from elsewhere is expected to sit behind TLS.
    secureCookies: e.PSABRIDGE_SECURE_COOKIES ?? !LOOPBACK_HOSTS.has(host.toLowerCase()),
  });
}

function databaseTarget(url: string | undefined, dataDir: string, cwd: string): DatabaseTarget {
  if (url === undefined) {
    return Object.freeze({ kind: 'sqlite', sqlitePath: path.join(dataDir, 'psabridge.db') });
  }
  if (/^postgres(ql)?:\/\//.test(url)) return Object.freeze({ kind: 'postgres', url });
  const file = url.replace(/^(sqlite|file):(\/\/)?/, '');
  return Object.freeze({ kind: 'sqlite', sqlitePath: path.resolve(cwd, file) });
}
