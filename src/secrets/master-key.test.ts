import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MasterKeyError } from './errors.js';
import { loadMasterKey, readOrCreateKeyFile } from './master-key.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'psabridge-key-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('master key file', () => {
  it('is created with mode 0600 and 32 random bytes, then read back unchanged', async () => {
    const file = path.join(dir, 'nested', 'master.key');
    const first = await readOrCreateKeyFile(file);
    expect(first).toHaveLength(32);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const second = await readOrCreateKeyFile(file);
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
  });

  it('is refused when group or others can read it, with the chmod to run', async () => {
    const file = path.join(dir, 'master.key');
    await readOrCreateKeyFile(file);
    await chmod(file, 0o644);
    await expect(readOrCreateKeyFile(file)).rejects.toThrow(MasterKeyError);
    await expect(readOrCreateKeyFile(file)).rejects.toThrow(`mode 644`);
    await expect(readOrCreateKeyFile(file)).rejects.toThrow(`chmod 600 ${file}`);
  });

  it('is refused when it does not hold 32 bytes', async () => {
    const file = path.join(dir, 'master.key');
    await writeFile(file, Buffer.alloc(16).toString('base64'), { mode: 0o600 });
    await expect(readOrCreateKeyFile(file)).rejects.toThrow(/does not hold 32 bytes/);
  });

  it('is not touched when a key is configured directly', async () => {
    const file = path.join(dir, 'master.key');
    const key = new Uint8Array(32).fill(3);
    expect(await loadMasterKey({ key, keyFile: file })).toBe(key);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });
});
