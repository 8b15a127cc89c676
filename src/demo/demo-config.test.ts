import { readFile } from 'node:fs/promises';

import { describe, expect, it } from 'vitest';

import { parseConfigFile, type ConfigFile } from '../config-file/index.js';
import { parseRulesOverride, resolveRules } from '../domain/index.js';
import { DEMO_CREDENTIALS } from '../sandbox/index.js';
import { DEMO_CONFIG_PATH, demoSetup } from './demo-config.js';
import { DemoError } from './errors.js';

const KEY = new Uint8Array(32).fill(7);
const OTHER_KEY = new Uint8Array(32).fill(8);

async function shippedFile(): Promise<ConfigFile> {
  return parseConfigFile(JSON.parse(await readFile(DEMO_CONFIG_PATH, 'utf8')), DEMO_CONFIG_PATH);
}

const input = { sandboxUrl: 'http://127.0.0.1:9999', env: {}, masterKey: KEY, adminExists: false };

describe('demo/psabridge.demo.json', () => {
  it('is a valid configuration file whose rules validate', async () => {
    const file = await shippedFile();
    expect(parseRulesOverride(file.rules).ok).toBe(true);
    expect(file.connectwise?.companyId).toBe(DEMO_CREDENTIALS.companyId);
    expect(file.connectwise?.publicKey).toBe(DEMO_CREDENTIALS.bridge.publicKey);
    expect(file.companies?.map((c) => c.name)).toEqual(
      expect.arrayContaining(['ACME', 'Globex', 'WAYNE', 'StarkInd', 'Initech', 'Umbrella']),
    );
  });

  it('notes repeats at once and holds device tickets for a storm, as the feed expects', async () => {
    const rules = resolveRules((await shippedFile()).rules);
    expect(rules.conditions.backup.noteIntervalMinutes).toBe(0);
    expect(rules.conditions.backup.closeAfterSuccesses).toBe(2);
    expect(rules.storm.enabled).toBe(true);
    // WAYNE fails on 4 devices; the storm needs at most 3 and a hold to gather them.
    expect(rules.storm.devices).toBeLessThanOrEqual(3);
    expect(rules.storm.holdMinutes).toBeGreaterThan(0);
  });
});

describe('demoSetup', () => {
  it('points the connection at the sandbox and supplies the demo private key', async () => {
    const setup = demoSetup(await shippedFile(), input);
    expect(setup.file.connectwise?.site).toBe('http://127.0.0.1:9999');
    expect(setup.env.PSABRIDGE_DEMO_CW_PRIVATE_KEY).toBe(DEMO_CREDENTIALS.bridge.privateKey);
  });

  it('derives the same ingest token from the same master key, another from another', async () => {
    const file = await shippedFile();
    const a = demoSetup(file, input).ingestToken;
    expect(a).toMatch(/^psb_[A-Za-z0-9_-]{43}$/);
    expect(demoSetup(file, input).ingestToken).toBe(a);
    expect(demoSetup(file, { ...input, masterKey: OTHER_KEY }).ingestToken).not.toBe(a);
    expect(demoSetup(file, input).env.PSABRIDGE_DEMO_INGEST_TOKEN).toBe(a);
  });

  it('generates a password only while the admin does not exist', async () => {
    const file = await shippedFile();
    const first = demoSetup(file, input);
    expect(first.passwordSource).toBe('generated');
    expect(first.password).toMatch(/^[A-Za-z0-9_-]{18}$/);
    expect(first.file.admin?.email).toBe('admin@demo.local');
    expect(first.env.PSABRIDGE_DEMO_PASSWORD).toBe(first.password);

    const again = demoSetup(file, { ...input, adminExists: true });
    expect(again.passwordSource).toBe('kept');
    expect(again.password).toBeUndefined();
    // Without a password the admin is left as it is (applying it would change the password).
    expect(again.file.admin).toBeUndefined();
    expect(again.adminEmail).toBe('admin@demo.local');
  });

  it('takes secrets from the environment when it sets them', async () => {
    const env = {
      PSABRIDGE_DEMO_PASSWORD: 'a password from the environment',
      PSABRIDGE_DEMO_INGEST_TOKEN: 'psb_from_the_environment_0123456789abcdef',
      PSABRIDGE_DEMO_CW_PRIVATE_KEY: 'OtherPrivateKey1',
    };
    const setup = demoSetup(await shippedFile(), { ...input, env, adminExists: true });
    expect(setup.passwordSource).toBe('env');
    expect(setup.file.admin).toBeDefined();
    expect(setup.ingestToken).toBe(env.PSABRIDGE_DEMO_INGEST_TOKEN);
    expect(setup.env).toMatchObject(env);
  });

  it('refuses a file without the sections the demo needs', async () => {
    const { ingestToken: _dropped, ...file } = await shippedFile();
    expect(() => demoSetup(file, input)).toThrow(DemoError);
    expect(() => demoSetup(file, input)).toThrow(/"ingestToken"/);
  });
});
