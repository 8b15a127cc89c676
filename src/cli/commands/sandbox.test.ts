import { Command } from 'commander';
import { describe, expect, it } from 'vitest';

import { FixtureError, type RunningSandbox } from '../../sandbox/index.js';
import { registerSandboxCommand, runSandbox } from './sandbox.js';

describe('psabridge sandbox', () => {
  it('serves the demo tenant, prints the URL, credentials and a curl line, and stops on abort', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    let started: RunningSandbox | undefined;
    const running = runSandbox({
      port: 0,
      signal: controller.signal,
      print: (line) => lines.push(line),
      onStarted: (sandbox) => (started = sandbox),
    });
    while (!started) await new Promise((r) => setTimeout(r, 10));
    const info = await fetch(`${started.url}/login/companyinfo/psademo`);
    expect(await info.json()).toMatchObject({ CompanyID: 'psademo', Codebase: 'v2025_1/' });
    const text = lines.join('\n');
    expect(text).toContain(started.url);
    expect(text).toContain('codebase: v2025_1/');
    expect(text).toContain('DemoPublicKey001');
    expect(text).toContain('DemoPrivateKey01');
    expect(text).toContain('8d4a1f6e-2b3c-4d5e-9f70-1a2b3c4d5e6f');
    expect(text).toMatch(/curl -s -u 'psademo\+DemoPublicKey001:DemoPrivateKey01'/);

    controller.abort();
    expect(await running).toBe(started.url);
    await expect(fetch(`${started.url}/__sandbox/health`)).rejects.toThrow();
  });

  it('refuses a fixture file that cannot be read, naming it', async () => {
    await expect(
      runSandbox({
        port: 0,
        fixturePath: '/nonexistent.json',
        signal: AbortSignal.abort(),
        print: () => undefined,
      }),
    ).rejects.toBeInstanceOf(FixtureError);
  });

  it('registers the command with --port, --host and --fixture', () => {
    const program = new Command();
    registerSandboxCommand(program);
    const command = program.commands.find((c) => c.name() === 'sandbox');
    expect(command?.options.map((o) => o.long)).toEqual(['--port', '--host', '--fixture']);
  });
});
