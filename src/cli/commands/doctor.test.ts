import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, startSandbox, type RunningSandbox } from '../../sandbox/index.js';

const BIN = fileURLToPath(new URL('../../../bin/psabridge.js', import.meta.url));

let sandbox: RunningSandbox;
let dir: string;
beforeAll(async () => {
  sandbox = await startSandbox();
  dir = await mkdtemp(path.join(tmpdir(), 'psabridge-doctor-cli-'));
});
afterAll(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `psabridge doctor …` as a child process with its own data directory. */
function runDoctor(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'doctor', ...args],
      {
        cwd: dir,
        env: {
          PATH: process.env['PATH'] ?? '',
          PSABRIDGE_DATA_DIR: path.join(dir, `data-${randomBytes(4).toString('hex')}`),
          LOG_LEVEL: 'silent',
          ...env,
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

async function configFile(companies: readonly object[], extra: object = {}): Promise<string> {
  const file = path.join(dir, `psabridge-${randomBytes(4).toString('hex')}.json`);
  const config = {
    account: { name: 'CLI MSP' },
    connectwise: {
      site: sandbox.url,
      companyId: DEMO_CREDENTIALS.companyId,
      publicKey: DEMO_CREDENTIALS.bridge.publicKey,
      privateKeyEnv: 'CW_PRIVATE_KEY',
    },
    board: {
      board: 'Backup Alerts',
      type: 'Backup',
      subtype: 'Failed',
      item: 'Job',
      newStatus: 'New',
      closedStatus: 'Closed',
      priorities: {
        critical: 'Priority 1 - Critical',
        high: 'Priority 2 - High',
        medium: 'Priority 3 - Normal',
        low: 'Priority 4 - Low',
      },
    },
    companies,
    ...extra,
  };
  await writeFile(file, JSON.stringify(config, null, 2));
  return file;
}

const SECRETS = { CW_PRIVATE_KEY: DEMO_CREDENTIALS.bridge.privateKey };

describe.concurrent('psabridge doctor', () => {
  it('exits 0 and says all is well when nothing stops tickets', async () => {
    const file = await configFile([{ name: 'ACME' }, { name: 'Acme Corp', cwIdentifier: 'ACME' }]);
    const run = await runDoctor(['--config', file], SECRETS);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Companies: 2 of 2 ready');
    expect(run.stdout).toContain('All well');
  }, 90_000);

  it('exits 1 and prints each problem with its fix when a company cannot get tickets', async () => {
    const file = await configFile([{ name: 'ACME' }, { name: 'Initech' }, { name: 'Umbrella' }]);
    const run = await runDoctor(['--config', file], SECRETS);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Company 'Initech' is inactive in ConnectWise");
    expect(run.stdout).toContain('fix: Set its status to Active (Companies › Company › Status).');
    expect(run.stdout).toContain("'Umbrella' has no contacts");
    expect(run.stdout).toContain('2 problem(s) stop tickets');
  }, 90_000);

  it('prints the report as JSON with --json', async () => {
    const file = await configFile([{ name: 'Initech' }]);
    const run = await runDoctor(['--config', file, '--json'], SECRETS);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      ok: boolean;
      companies: { name: string; problems: { code: string }[] }[];
    };
    expect(report.ok).toBe(false);
    expect(report.companies).toEqual([
      expect.objectContaining({
        name: 'Initech',
        problems: [expect.objectContaining({ code: 'inactive' })],
      }),
    ]);
  }, 90_000);

  it('exits 1 when ConnectWise refuses the keys of the file', async () => {
    const file = await configFile([{ name: 'ACME' }]);
    const run = await runDoctor(['--config', file], { CW_PRIVATE_KEY: 'NotTheKey000000' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('connectwise');
  }, 90_000);

  it('exits 2 on an invalid file or a missing secret, naming the JSON path', async () => {
    const invalid = await configFile([{ name: '' }]);
    const bad = await runDoctor(['--config', invalid], SECRETS);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('companies.0.name');

    const file = await configFile([{ name: 'ACME' }]);
    const noSecret = await runDoctor(['--config', file]);
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toContain('connectwise.privateKeyEnv');
    expect(noSecret.stderr).toContain('CW_PRIVATE_KEY is not set');
  }, 90_000);

  it('exits 2 on a usage error', async () => {
    const unknownOption = await runDoctor(['--no-such-option']);
    expect(unknownOption.code).toBe(2);
    const noAccount = await runDoctor([]);
    expect(noAccount.code).toBe(2);
    expect(noAccount.stderr).toContain('no account yet');
  }, 90_000);
});
