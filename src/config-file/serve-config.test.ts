import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLogger } from '../api/logger.js';
import { serve } from '../cli/commands/serve.js';
import { parseConfig } from '../config/config.js';
import { DEMO_CREDENTIALS, startSandbox, type RunningSandbox } from '../sandbox/index.js';

let sandbox: RunningSandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  dir = await mkdtemp(path.join(tmpdir(), 'psabridge-serve-config-'));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

it('serve --config applies the file at start, so its admin can sign in and see its companies', async () => {
  const file = path.join(dir, 'psabridge.json');
  await writeFile(
    file,
    JSON.stringify({
      account: { name: 'Served MSP' },
      admin: { email: 'ops@example.com', passwordEnv: 'ADMIN_PASSWORD' },
      connectwise: {
        site: sandbox.url,
        companyId: DEMO_CREDENTIALS.companyId,
        publicKey: DEMO_CREDENTIALS.bridge.publicKey,
        privateKeyEnv: 'CW_PRIVATE_KEY',
      },
      companies: [{ name: 'ACME' }],
    }),
  );
  const config = parseConfig({
    PSABRIDGE_DATA_DIR: path.join(dir, 'data'),
    PSABRIDGE_PORT: '0',
    LOG_LEVEL: 'silent',
  });
  const lines: string[] = [];
  const controller = new AbortController();
  let listening!: (url: string) => void;
  const started = new Promise<string>((resolve) => (listening = resolve));
  const stopped = serve({
    config,
    logger: createLogger({ level: 'silent' }),
    signal: controller.signal,
    worker: false,
    configFile: {
      path: file,
      env: {
        ADMIN_PASSWORD: 'correct horse battery staple',
        CW_PRIVATE_KEY: DEMO_CREDENTIALS.bridge.privateKey,
      },
    },
    print: (line) => {
      lines.push(line);
      const url = /listening on (\S+)/.exec(line)?.[1];
      if (url) listening(url);
    },
  });
  try {
    const url = await Promise.race([started, stopped]);
    expect(lines[0]).toContain(`configuration ${file} applied to account "Served MSP"`);

    const login = await fetch(`${url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ops@example.com', password: 'correct horse battery staple' }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const companies = await fetch(`${url}/api/v1/companies/ACME`, { headers: { cookie } });
    expect(companies.status).toBe(200);
    expect(await companies.json()).toMatchObject({ name: 'ACME', registeredBy: 'config' });
  } finally {
    controller.abort();
    await stopped;
  }
});
