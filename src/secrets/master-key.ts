/**
 * The master key: given in configuration, or kept in a key file in the data directory that is
 * created on first start. A key file anyone else can read is refused, since it unlocks every
 * stored ConnectWise private key.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MasterKeyError } from './errors.js';

const KEY_BYTES = 32;

/** Options of {@link loadMasterKey}. */
export interface MasterKeyOptions {
  /** A key given directly (from `PSABRIDGE_MASTER_KEY`); wins over the file when set. */
  readonly key?: Uint8Array | undefined;
  /** The key file to read, or to create with mode 0600 when it does not exist. */
  readonly keyFile: string;
}

/**
 * Returns the master key: `key` when given, else the contents of `keyFile`, creating that file
 * with a fresh random key (mode 0600) on first use.
 *
 * @throws {MasterKeyError} when the file is readable by group or others, or does not hold 32
 *   bytes in base64.
 */
export async function loadMasterKey(options: MasterKeyOptions): Promise<Uint8Array> {
  if (options.key) {
    if (options.key.length !== KEY_BYTES) {
      throw new MasterKeyError(
        `The master key must be ${KEY_BYTES} bytes, got ${options.key.length}.`,
      );
    }
    return options.key;
  }
  return readOrCreateKeyFile(options.keyFile);
}

/**
 * Reads a base64 key file, or creates it with a random 32-byte key and mode 0600.
 *
 * @throws {MasterKeyError} when the file's mode lets group or others read it, or its content is
 *   not 32 bytes in base64.
 */
export async function readOrCreateKeyFile(keyFile: string): Promise<Uint8Array> {
  await mkdir(path.dirname(keyFile), { recursive: true, mode: 0o700 });
  try {
    // `wx` fails when the file exists, so two processes starting together cannot both create one.
    await writeFile(keyFile, randomBytes(KEY_BYTES).toString('base64') + '\n', {
      flag: 'wx',
      mode: 0o600,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new MasterKeyError(`Cannot create the master key file ${keyFile}: ${String(err)}`, {
        cause: err,
      });
    }
  }

  const info = await stat(keyFile);
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8).padStart(3, '0');
    throw new MasterKeyError(
      `The master key file ${keyFile} has mode ${mode}, so other users can read it. ` +
        `Restrict it with: chmod 600 ${keyFile}`,
    );
  }
  const text = (await readFile(keyFile, 'utf8')).trim();
  const key = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || key.length !== KEY_BYTES) {
    throw new MasterKeyError(
      `The master key file ${keyFile} does not hold ${KEY_BYTES} bytes in base64. Restore it from ` +
        'your backup; a new key cannot decrypt secrets stored under the old one.',
    );
  }
  return new Uint8Array(key);
}
