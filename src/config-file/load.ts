/** Reading and validating a configuration file, and reading the secrets it names. */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { ConfigFileError, ConfigSecretError, type ConfigFileIssue } from './errors.js';
import { configFileSchema, type ConfigFile } from './schema.js';

/** The environment secrets are read from: variable name → value. */
export type SecretEnv = Readonly<Record<string, string | undefined>>;

/** The secrets a file names, read from the environment. */
export interface ConfigSecrets {
  readonly privateKey?: string;
  readonly adminPassword?: string;
  readonly ingestToken?: string;
}

function issuesOf(error: z.ZodError): ConfigFileIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/**
 * Validates parsed JSON as a configuration file.
 *
 * @param source names the file in messages. Default `configuration`.
 * @throws ConfigFileError listing every problem by JSON path.
 * @example
 * const file = parseConfigFile(JSON.parse(text), 'psabridge.json');
 */
export function parseConfigFile(json: unknown, source = 'configuration'): ConfigFile {
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) throw new ConfigFileError(source, issuesOf(parsed.error));
  return parsed.data;
}

/**
 * Reads and validates the configuration file at `path`.
 *
 * @throws ConfigFileError when it cannot be read, is not JSON, or does not match the format.
 */
export async function loadConfigFile(path: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new ConfigFileError(
      path,
      [
        {
          path: '',
          message: `cannot be read (${code ?? 'error'}); check the path and its permissions`,
        },
      ],
      { cause },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ConfigFileError(
      path,
      [{ path: '', message: `is not JSON: ${(cause as Error).message}` }],
      { cause },
    );
  }
  return parseConfigFile(json, path);
}

/**
 * Reads every secret the file names from `env`, so a missing one is reported before anything is
 * applied.
 *
 * @throws ConfigSecretError naming each variable that is unset or empty, by JSON path.
 */
export function readConfigSecrets(
  file: ConfigFile,
  env: SecretEnv,
  source = 'configuration',
): ConfigSecrets {
  const issues: ConfigFileIssue[] = [];
  // Keys and tokens never hold spaces, so a stray newline from a .env file is dropped; a
  // password is taken exactly as given.
  const read = (path: string, name: string | undefined, trim = true): string | undefined => {
    if (name === undefined) return undefined;
    const value = env[name];
    if (value === undefined || value.trim() === '') {
      issues.push({
        path,
        message: `the environment variable ${name} is ${value === undefined ? 'not set' : 'empty'}; set it to the secret (the file only names it)`,
      });
      return undefined;
    }
    return trim ? value.trim() : value;
  };
  const privateKey = read('connectwise.privateKeyEnv', file.connectwise?.privateKeyEnv);
  const adminPassword = read('admin.passwordEnv', file.admin?.passwordEnv, false);
  const ingestToken = read('ingestToken.tokenEnv', file.ingestToken?.tokenEnv);
  if (issues.length > 0) throw new ConfigSecretError(source, issues);
  return {
    ...(privateKey === undefined ? {} : { privateKey }),
    ...(adminPassword === undefined ? {} : { adminPassword }),
    ...(ingestToken === undefined ? {} : { ingestToken }),
  };
}
