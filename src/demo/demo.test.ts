import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createLogger } from '../api/logger.js';
import { parseConfig } from '../config/config.js';
import { DEMO_CREDENTIALS } from '../sandbox/index.js';
import { openStorage } from '../storage/open.js';
import { DEMO_CONFIG_PATH } from './demo-config.js';
import type { Happening } from './happenings.js';
import { runDemo, type RunningDemo } from './run-demo.js';

const BIN = fileURLToPath(new URL('../../bin/psabridge.js', import.meta.url));

/** How long the test waits for the demo to reach a state before it fails: generous, not a speed bar. */
const PATIENCE_MS = 40_000;

let dir: string;
let dataDir: string;
let configPath: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'psabridge-demo-'));
  dataDir = path.join(dir, 'data');
  // The shipped file holds device tickets for 15 seconds (so a storm can form first); the test
  // takes the hold away so the story plays out in seconds. Everything else is the shipped file.
  const file = JSON.parse(await readFile(DEMO_CONFIG_PATH, 'utf8')) as {
    rules: { storm: { holdMinutes: number } };
  };
  file.rules.storm.holdMinutes = 0;
  configPath = path.join(dir, 'demo.json');
  await writeFile(configPath, JSON.stringify(file));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface CwTicket {
  id: number;
  summary: string;
  closedFlag: boolean;
  company: { identifier: string };
  status: { name: string };
}
interface CwNote {
  text: string;
  internalAnalysisFlag: boolean;
  resolutionFlag: boolean;
}

/** A GET on the sandbox's ConnectWise API as its admin member, as anyone would inspect Manage. */
async function cw<T>(sandboxUrl: string, resource: string): Promise<T> {
  const { companyId, codebase, clientId, admin } = DEMO_CREDENTIALS;
  const auth = Buffer.from(`${companyId}+${admin.publicKey}:${admin.privateKey}`).toString(
    'base64',
  );
  const response = await fetch(`${sandboxUrl}/${codebase}apis/3.0${resource}`, {
    headers: { authorization: `Basic ${auth}`, clientId },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

/** Polls `probe` until it returns a value, or fails after {@link PATIENCE_MS}. */
async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + PATIENCE_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('psabridge demo', () => {
  let first: RunningDemo;
  let acmeTicket: CwTicket;
  const lines: string[] = [];

  it('creates, notes and closes tickets in the sandbox, and shows Initech as blocked', async () => {
    const controller = new AbortController();
    const happenings: Happening[] = [];
    let ready!: (demo: RunningDemo) => void;
    const started = new Promise<RunningDemo>((resolve) => (ready = resolve));
    const running = runDemo({
      config: parseConfig({ PSABRIDGE_DATA_DIR: dataDir, PSABRIDGE_PORT: '0' }),
      logger: createLogger({ level: 'silent' }),
      signal: controller.signal,
      print: (line) => lines.push(line),
      env: {},
      configPath,
      sandboxPort: 0,
      onReady: ready,
      onHappening: (happening) => happenings.push(happening),
    });
    try {
      first = await Promise.race([
        started,
        running.then(() => Promise.reject(new Error(`the demo stopped:\n${lines.join('\n')}`))),
      ]);
      const { sandbox } = first;

      // ACME-FS01: one ticket for the failure and its repeat, then closed after the recoveries.
      acmeTicket = await eventually('ACME-FS01 ticket closed', async () => {
        const tickets = await cw<CwTicket[]>(
          sandbox.url,
          `/service/tickets?conditions=${encodeURIComponent('company/identifier="ACME" and summary like "ACME-FS01%"')}`,
        );
        expect(tickets.length).toBeLessThanOrEqual(1);
        return tickets.find((ticket) => ticket.closedFlag);
      });
      expect(acmeTicket.summary).toContain('VSS_0x8004230f');
      expect(acmeTicket.status.name).toBe('Closed');
      const notes = await cw<CwNote[]>(sandbox.url, `/service/tickets/${acmeTicket.id}/notes`);
      expect(
        notes.some((note) => note.internalAnalysisFlag && /1 more problem/.test(note.text)),
      ).toBe(true);
      expect(
        notes.some((note) => note.resolutionFlag && /Recovered: 2 successes/.test(note.text)),
      ).toBe(true);

      // Initech is inactive in ConnectWise: no ticket, and the bridge's API says why.
      const blocked = await eventually('Initech blocked', async () => {
        const response = await fetch(`${first.apiUrl}/api/v1/delivery`, {
          headers: { authorization: `Bearer ${first.apiToken}` },
        });
        expect(response.status).toBe(200);
        const status = (await response.json()) as {
          blockedJobs: { incidentKey: string | null; code: string | null; reason: string }[];
        };
        return status.blockedJobs.find((job) => job.incidentKey?.includes('/initech/'));
      });
      expect(blocked.reason).toMatch(/Initech.*inactive/);
      expect(
        await cw<CwTicket[]>(
          sandbox.url,
          '/service/tickets?conditions=company/identifier="Initech"',
        ),
      ).toEqual([]);

      // The console told each of these as it happened.
      const told = (kind: string, company: string): boolean =>
        happenings.some((h) => h.kind === kind && h.company === company);
      expect(told('created', 'ACME') && told('noted', 'ACME') && told('closed', 'ACME')).toBe(true);
      expect(told('blocked', 'Initech')).toBe(true);
      expect(lines.join('\n')).toContain(`Authorization: Bearer ${first.apiToken}`);
    } finally {
      controller.abort();
      await running;
    }
    expect(lines.at(-1)).toBe('Manage sandbox stopped.');
  });

  it('starts again on the same data directory without duplicating anything', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    for (const name of Object.keys(env)) {
      if (/^(PSABRIDGE_|DATABASE_URL$)/.test(name)) delete env[name];
    }
    const child = spawn(
      process.execPath,
      [
        BIN,
        'demo',
        '--port',
        '0',
        '--sandbox-port',
        '0',
        '--data-dir',
        dataDir,
        '--config',
        configPath,
      ],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    let code: number | null;
    try {
      // The sandbox still has the first run's tickets: ACME-FS01's is reopened, not recreated.
      await eventually('ACME-FS01 ticket reopened', () => {
        if (child.exitCode !== null) throw new Error(`demo exited early: ${stdout}\n${stderr}`);
        return new RegExp(`#${acmeTicket.id} reopened +ACME`).test(stdout) ? true : undefined;
      });
    } finally {
      child.kill('SIGTERM');
      code = await exited;
    }
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/applied to account "Demo MSP": (?!.*admin)(?!.*ingest token)/);
    expect(stdout).toContain('with the password printed at the first start');
    expect(stdout).toContain(`Authorization: Bearer ${first.apiToken}`);

    const storage = await openStorage({ sqlitePath: path.join(dataDir, 'psabridge.db') });
    try {
      const count = async (table: 'users' | 'api_tokens' | 'ingest_tokens' | 'accounts') =>
        Number(
          (
            await storage.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count('accounts')).toBe(1);
      expect(await count('users')).toBe(1);
      expect(await count('api_tokens')).toBe(1);
      expect(await count('ingest_tokens')).toBe(1);
    } finally {
      await storage.close();
    }
  });
});
