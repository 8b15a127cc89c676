import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../api/logger.js';
import { parseConfig } from '../../config/config.js';
import { serve } from './serve.js';

const BIN = fileURLToPath(new URL('../../../bin/psabridge.js', import.meta.url));

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'psabridge-serve-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('serve', () => {
  it('serves the API, says how to create the first admin, and stops on abort', async () => {
    const config = parseConfig({
      PSABRIDGE_DATA_DIR: dataDir,
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
      print: (line) => {
        lines.push(line);
        const url = /listening on (\S+)/.exec(line)?.[1];
        if (url) listening(url);
      },
    });
    const url = await Promise.race([started, stopped]);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', database: 'ok' });

    controller.abort();
    expect(await stopped).toBe(url);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(lines.join('\n')).toContain('psabridge user add --email you@example.com');
    expect((await stat(path.join(dataDir, 'master.key'))).mode & 0o777).toBe(0o600);
  });

  it('runs as `psabridge serve` and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, PSABRIDGE_DATA_DIR: dataDir, PSABRIDGE_PORT: '0', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /listening on (\S+)/.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      void exited.then((code) => reject(new Error(`serve exited (${code}) early: ${stderr}`)));
    });

    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toContain('No users yet');
    expect(stderr).toBe('');
  });

  it('refuses to start on a bad configuration, naming the variable', async () => {
    const child = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, PSABRIDGE_DATA_DIR: dataDir, PSABRIDGE_PORT: 'eighty' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('PSABRIDGE_PORT: should be a port number between 0 and 65535');
  });
});
