/**
 * `psabridge user add`: creates a console user straight in the database, which is how the first
 * admin of a new install is made. Creates the account too when the install has none.
 */
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { createAccount, listAccounts } from '../../accounts/accounts.js';
import { EmailInUseError, WeakPasswordError } from '../../accounts/errors.js';
import { passwordProblem } from '../../accounts/password-policy.js';
import type { Account, Role, User } from '../../accounts/types.js';
import { countAllUsers, createUser } from '../../accounts/users.js';
import { CreateUserSchema } from '../../api/contract/users.js';
import { ConfigError } from '../../config/config.js';
import { loadConfigFromProcess } from '../../config/load.js';
import { StorageError } from '../../storage/errors.js';
import type { Storage } from '../../storage/open.js';
import { openStorage, storageOptionsFor } from '../../storage/open.js';
import { inTransaction } from '../../storage/transaction.js';

/** The name of the account created for a fresh install. */
export const DEFAULT_ACCOUNT_NAME = 'Default';

/** A problem the operator can fix; printed without a stack trace. */
export class UserCommandError extends Error {
  override readonly name = 'UserCommandError';
}

/** Input of {@link addUser}. */
export interface AddUserInput {
  readonly email: string;
  readonly displayName: string;
  /** Default: `admin` for the install's first user, `viewer` after that. */
  readonly role?: Role | undefined;
  readonly password: string;
  /** The account to add to; required only when the install has several. */
  readonly accountId?: string | undefined;
}

/**
 * Adds a user, creating the install's first account when there is none.
 *
 * @throws {UserCommandError} for input the operator must correct (bad email, weak password,
 *   taken email, unknown or ambiguous account).
 */
export async function addUser(
  storage: Storage,
  input: AddUserInput,
): Promise<{ readonly user: User; readonly account: Account; readonly accountCreated: boolean }> {
  const problem = passwordProblem(input.password);
  if (problem) throw new UserCommandError(problem);
  const parsed = CreateUserSchema.safeParse({
    email: input.email,
    displayName: input.displayName,
    password: input.password,
  });
  if (!parsed.success) {
    throw new UserCommandError(
      parsed.error.issues
        .map(
          (issue) =>
            `--${issue.path[0] === 'displayName' ? 'name' : String(issue.path[0])}: ${issue.message}`,
        )
        .join('\n'),
    );
  }

  const { account, accountCreated } = await chooseAccount(storage, input.accountId);
  const role = input.role ?? ((await countAllUsers(storage.db)) === 0 ? 'admin' : 'viewer');
  try {
    const user = await createUser(storage.db, account.id, {
      email: parsed.data.email,
      displayName: parsed.data.displayName,
      role,
      password: input.password,
    });
    return { user, account, accountCreated };
  } catch (err) {
    if (err instanceof EmailInUseError || err instanceof WeakPasswordError) {
      throw new UserCommandError(err.message, { cause: err });
    }
    throw err;
  }
}

async function chooseAccount(
  storage: Storage,
  accountId: string | undefined,
): Promise<{ account: Account; accountCreated: boolean }> {
  return inTransaction(storage.db, async (trx) => {
    const accounts = await listAccounts(trx);
    if (accountId !== undefined) {
      const account = accounts.find((a) => a.id === accountId);
      if (!account) {
        throw new UserCommandError(
          `No account ${accountId}. Accounts: ${accounts.map((a) => `${a.id} (${a.name})`).join(', ') || 'none'}.`,
        );
      }
      return { account, accountCreated: false };
    }
    const [only, ...others] = accounts;
    if (!only) {
      return {
        account: await createAccount(trx, { name: DEFAULT_ACCOUNT_NAME }),
        accountCreated: true,
      };
    }
    if (others.length > 0) {
      throw new UserCommandError(
        `This install has ${accounts.length} accounts; choose one with --account: ` +
          accounts.map((a) => `${a.id} (${a.name})`).join(', '),
      );
    }
    return { account: only, accountCreated: false };
  });
}

/** Reads a password piped on standard input: everything up to the end, minus one final newline. */
export async function readPasswordFromStdin(
  stdin: NodeJS.ReadableStream = process.stdin,
): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks for a password on the terminal without echoing it, twice. */
async function promptPassword(): Promise<string> {
  const first = await askHidden('Password (at least 12 characters): ');
  const problem = passwordProblem(first);
  if (problem) throw new UserCommandError(problem);
  if ((await askHidden('Repeat the password: ')) !== first) {
    throw new UserCommandError('The two passwords differ. Run the command again.');
  }
  return first;
}

async function askHidden(question: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) process.stderr.write(chunk);
      done();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    const answer = rl.question(question);
    muted = true;
    return await answer;
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}

/** The `user` subcommand and its `add` action. */
export function userCommand(): Command {
  const user = new Command('user').description('Manage console users');
  user
    .command('add')
    .description('Add a console user (creates the account when the install has none)')
    .requiredOption('--email <email>', "the user's email, used to sign in")
    .requiredOption('--name <name>', "the user's display name")
    .addOption(
      new Option(
        '--role <role>',
        'admin or viewer (default: admin for the first user, else viewer)',
      ).choices(['admin', 'viewer']),
    )
    .option('--password-stdin', 'read the password from standard input instead of prompting')
    .option('--account <id>', 'the account to add the user to, when the install has several')
    .action(
      async (opts: {
        email: string;
        name: string;
        role?: Role;
        passwordStdin?: boolean;
        account?: string;
      }) => {
        let storage: Storage | undefined;
        try {
          const config = loadConfigFromProcess();
          let password: string;
          if (opts.passwordStdin) password = await readPasswordFromStdin();
          else if (process.stdin.isTTY) password = await promptPassword();
          else {
            throw new UserCommandError(
              'No terminal to ask for the password on: pipe it in and add --password-stdin.',
            );
          }

          storage = await openStorage(storageOptionsFor(config.database));
          const {
            user: created,
            account,
            accountCreated,
          } = await addUser(storage, {
            email: opts.email,
            displayName: opts.name,
            role: opts.role,
            password,
            accountId: opts.account,
          });
          if (accountCreated) {
            process.stdout.write(`Created account ${account.name} (${account.id}).\n`);
          }
          process.stdout.write(
            `Created ${created.role} ${created.email} (${created.id}) in account ${account.name}.\n`,
          );
        } catch (err) {
          if (
            err instanceof UserCommandError ||
            err instanceof ConfigError ||
            err instanceof StorageError
          ) {
            process.stderr.write(`psabridge user add: ${err.message}\n`);
            process.exitCode = 1;
          } else {
            throw err;
          }
        } finally {
          await storage?.close();
        }
      },
    );
  return user;
}
