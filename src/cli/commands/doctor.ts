/**
 * `psabridge doctor`: prints, per company, what would stop a ticket, and exits 0 when nothing
 * does, 1 when something does, 2 on a usage or configuration error.
 *
 * With `--config FILE` it checks a configuration file on its own: the file is applied to a
 * throwaway database (its secrets read from the environment, its keys authenticated against
 * ConnectWise) and the doctor runs there, so the service's database is never touched. Without
 * it, the doctor runs on the configured database for one account.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { listAccounts } from '../../accounts/accounts.js';
import { ConfigError, type Config } from '../../config/config.js';
import { loadConfigFromProcess } from '../../config/load.js';
import {
  applyConfigFile,
  ConfigApplyError,
  ConfigFileError,
  loadConfigFile,
  type ConfigFileIssue,
} from '../../config-file/index.js';
import { formatDoctorReport, runDoctor, type DoctorReport } from '../../doctor/index.js';
import { MasterKeyError } from '../../secrets/errors.js';
import { loadMasterKey } from '../../secrets/master-key.js';
import { SecretBox } from '../../secrets/secret-box.js';
import { StorageError } from '../../storage/errors.js';
import { openStorage, storageOptionsFor, type Storage } from '../../storage/open.js';

/** Exit codes of `psabridge doctor`. */
export const DOCTOR_EXIT = Object.freeze({ ok: 0, problems: 1, usage: 2 });

/** A usage problem: printed without a stack trace, exit code 2. */
export class DoctorUsageError extends Error {
  override readonly name = 'DoctorUsageError';
}

/** Options of {@link doctor}, as the command line gives them. */
export interface DoctorCommandOptions {
  /** A configuration file to check on its own. */
  readonly config?: string | undefined;
  /** The account to check (by name) on the configured database. Default: the only one. */
  readonly account?: string | undefined;
  /** Print the report as JSON. */
  readonly json?: boolean | undefined;
  /** Sync the ConnectWise companies first. Default true. */
  readonly sync?: boolean | undefined;
}

/** What {@link doctor} prints to and reads from. */
export interface DoctorIo {
  readonly config: Config;
  /** The environment the configuration file's secrets are read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * Runs the doctor as the command does and returns the exit code.
 *
 * @example
 * const code = await doctor({ config: 'psabridge.json' }, { config, env: process.env, stdout, stderr });
 */
export async function doctor(options: DoctorCommandOptions, io: DoctorIo): Promise<number> {
  try {
    const report = options.config
      ? await checkConfigFile(options.config, options, io)
      : await checkConfiguredDatabase(options, io);
    if (options.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else io.stdout(`${formatDoctorReport(report)}\n`);
    return report.ok ? DOCTOR_EXIT.ok : DOCTOR_EXIT.problems;
  } catch (error) {
    if (error instanceof ConfigApplyError) {
      // The file is well formed but ConnectWise (or the synced companies) refused part of it:
      // that is a problem that would stop tickets.
      printIssues(io, options, 'problems', error.message, error.issues);
      return DOCTOR_EXIT.problems;
    }
    if (error instanceof ConfigFileError) {
      printIssues(io, options, 'config', error.message, error.issues);
      return DOCTOR_EXIT.usage;
    }
    if (
      error instanceof DoctorUsageError ||
      error instanceof ConfigError ||
      error instanceof MasterKeyError ||
      error instanceof StorageError
    ) {
      printIssues(io, options, 'usage', error.message, []);
      return DOCTOR_EXIT.usage;
    }
    throw error;
  }
}

function printIssues(
  io: DoctorIo,
  options: DoctorCommandOptions,
  kind: 'problems' | 'config' | 'usage',
  message: string,
  issues: readonly ConfigFileIssue[],
): void {
  if (options.json) {
    io.stdout(`${JSON.stringify({ ok: false, error: { kind, message, issues } }, null, 2)}\n`);
  } else {
    io.stderr(`psabridge doctor: ${message}\n`);
  }
}

/** Applies the file to a throwaway SQLite database and runs the doctor there. */
async function checkConfigFile(
  file: string,
  options: DoctorCommandOptions,
  io: DoctorIo,
): Promise<DoctorReport> {
  const parsed = await loadConfigFile(file);
  const dir = await mkdtemp(path.join(tmpdir(), 'psabridge-doctor-'));
  try {
    const storage = await openStorage({ sqlitePath: path.join(dir, 'doctor.db') });
    try {
      const deps = {
        db: storage.db,
        secretBox: new SecretBox({ current: new Uint8Array(randomBytes(32)) }),
        config: io.config,
      };
      const { accountId } = await applyConfigFile(deps, parsed, io.env, { source: file });
      return await runDoctor(deps, accountId, { sync: options.sync !== false });
    } finally {
      await storage.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs the doctor on the configured database for the chosen account. */
async function checkConfiguredDatabase(
  options: DoctorCommandOptions,
  io: DoctorIo,
): Promise<DoctorReport> {
  const { config } = io;
  const masterKey = await loadMasterKey({ key: config.masterKey, keyFile: config.masterKeyFile });
  const storage: Storage = await openStorage(storageOptionsFor(config.database));
  try {
    const accounts = await listAccounts(storage.db);
    const chosen = options.account ? accounts.filter((a) => a.name === options.account) : accounts;
    if (chosen.length !== 1 || !chosen[0]) {
      throw new DoctorUsageError(
        accounts.length === 0
          ? 'This install has no account yet. Set one up (psabridge serve --config FILE, or the console), or check a file with --config FILE.'
          : options.account
            ? `No single account is named "${options.account}"; accounts: ${accounts.map((a) => `"${a.name}"`).join(', ')}.`
            : `This install has ${accounts.length} accounts; choose one with --account NAME (${accounts.map((a) => `"${a.name}"`).join(', ')}).`,
      );
    }
    return await runDoctor(
      { db: storage.db, secretBox: new SecretBox({ current: masterKey }), config },
      chosen[0].id,
      { sync: options.sync !== false },
    );
  } finally {
    await storage.close();
  }
}

/** The `doctor` subcommand. */
export function doctorCommand(): Command {
  return (
    new Command('doctor')
      .description(
        'Print, per company, what would stop a ticket; exit 0 when all is well, 1 on a problem, 2 on a usage or configuration error',
      )
      .option(
        '--config <file>',
        'check this configuration file on its own (secrets from the environment)',
      )
      .option(
        '--account <name>',
        'the account to check on the configured database (default: the only one)',
      )
      .option('--json', 'print the report as JSON')
      .option('--no-sync', 'use the last company sync instead of syncing first')
      // A usage error (unknown option, missing value) exits 2 like a bad configuration, so scripts
      // can tell "cannot check" from "found a problem" (1); help and version still exit 0.
      .exitOverride((error) => {
        process.exit(error.exitCode === 0 ? 0 : DOCTOR_EXIT.usage);
      })
      .action(async (options: DoctorCommandOptions) => {
        let config: Config;
        try {
          config = loadConfigFromProcess();
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          process.stderr.write(`psabridge doctor: ${error.message}\n`);
          process.exitCode = DOCTOR_EXIT.usage;
          return;
        }
        process.exitCode = await doctor(options, {
          config,
          env: process.env,
          stdout: (text) => process.stdout.write(text),
          stderr: (text) => process.stderr.write(text),
        });
      })
  );
}
