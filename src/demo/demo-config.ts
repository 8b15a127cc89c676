/**
 * The demo's configuration as code: `demo/psabridge.demo.json` (the documented example of a
 * configuration file), adapted to the running sandbox, with the secrets it names supplied by
 * the demo when the environment does not set them.
 */
import { fileURLToPath } from 'node:url';

import type { ConfigFile, SecretEnv } from '../config-file/index.js';
import { DEMO_CREDENTIALS } from '../sandbox/index.js';
import { deriveDemoToken, generateDemoPassword } from './demo-secrets.js';
import { DemoError } from './errors.js';

/** `demo/psabridge.demo.json` of this repository. */
export const DEMO_CONFIG_PATH = fileURLToPath(
  new URL('../../demo/psabridge.demo.json', import.meta.url),
);

/** How the admin's password was settled for this start. */
export type DemoPasswordSource =
  /** Taken from the variable the file names (`PSABRIDGE_DEMO_PASSWORD` in the demo file). */
  | 'env'
  /** Generated now: the admin did not exist yet. Shown once. */
  | 'generated'
  /** The admin exists and no password was given: the stored one is kept. */
  | 'kept';

/** The demo's configuration for one start. */
export interface DemoSetup {
  /** The file to apply: its site is the running sandbox; `admin` left out when `kept`. */
  readonly file: ConfigFile;
  /** The secrets the file names, from the environment or supplied by the demo. */
  readonly env: SecretEnv;
  /** The admin's email, when the file declares one. */
  readonly adminEmail: string | undefined;
  /** The password to print: set for `generated` and `env`, undefined for `kept`. */
  readonly password: string | undefined;
  readonly passwordSource: DemoPasswordSource;
  /** The ingest token the feed sends events with. */
  readonly ingestToken: string;
}

/** What {@link demoSetup} adapts the file to. */
export interface DemoSetupInput {
  /** The sandbox's base URL, e.g. `http://127.0.0.1:8787`: the connection's site. */
  readonly sandboxUrl: string;
  /** The process environment: a secret set there wins over the demo's. */
  readonly env: SecretEnv;
  /** The bridge's master key, from which the ingest token is derived. */
  readonly masterKey: Uint8Array;
  /** Whether the file's admin already exists (an earlier start created it). */
  readonly adminExists: boolean;
  /** Names the file in messages. Default `the demo configuration`. */
  readonly source?: string;
}

/**
 * Adapts the demo's configuration file to this start. Secrets the environment does not set are
 * supplied: the sandbox's demo private key (not a secret: the sandbox is local and its keys are
 * documented), an ingest token derived from the master key (the same on every start), and an
 * admin password generated only while the admin does not exist, so a second start never changes
 * the password printed by the first.
 *
 * @throws DemoError when the file has no `connectwise` or no `ingestToken` section: the demo
 *   needs both to reach the sandbox and to send events.
 */
export function demoSetup(file: ConfigFile, input: DemoSetupInput): DemoSetup {
  const source = input.source ?? 'the demo configuration';
  const { connectwise, ingestToken } = file;
  if (!connectwise || !ingestToken) {
    throw new DemoError(
      `${source} needs a "connectwise" and an "ingestToken" section: the demo connects the bridge to the sandbox and sends events with that token. Start from demo/psabridge.demo.json.`,
    );
  }
  const given = (name: string): string | undefined => {
    const value = input.env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };

  const token = given(ingestToken.tokenEnv)?.trim() ?? deriveDemoToken(input.masterKey, 'ingest');
  const env: Record<string, string> = {
    [connectwise.privateKeyEnv]:
      given(connectwise.privateKeyEnv) ?? DEMO_CREDENTIALS.bridge.privateKey,
    [ingestToken.tokenEnv]: token,
  };

  let password: string | undefined;
  let passwordSource: DemoPasswordSource = 'kept';
  if (file.admin) {
    password = given(file.admin.passwordEnv);
    if (password !== undefined) passwordSource = 'env';
    else if (!input.adminExists) {
      password = generateDemoPassword();
      passwordSource = 'generated';
    }
    if (password !== undefined) env[file.admin.passwordEnv] = password;
  }

  const { admin, ...rest } = file;
  const adapted: ConfigFile = {
    ...rest,
    ...(admin && password !== undefined ? { admin } : {}),
    connectwise: { ...connectwise, site: input.sandboxUrl },
  };
  return {
    file: adapted,
    env,
    adminEmail: admin?.email,
    password,
    passwordSource,
    ingestToken: token,
  };
}
