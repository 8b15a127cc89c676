/**
 * Applies a configuration file: after it, the account is set up as if an administrator had done
 * it in the console, with the same checks (the keys are authenticated against ConnectWise, board
 * names resolved, mappings checked against the synced companies). Each part is compared with
 * what is stored first and written only when it differs, so applying a file twice changes
 * nothing the second time.
 *
 * Parts are applied in the console's order: account, admin, connection, board, rules,
 * companies, ingest token. Secrets come from the environment map given, never from the file.
 */
import { createAccount, listAccounts } from '../accounts/accounts.js';
import {
  authenticateUser,
  createUser,
  listUsers,
  normalizeEmail,
  updateUser,
} from '../accounts/users.js';
import { getCompanySyncState } from '../companies/cw-companies.js';
import { CompanyMappingError } from '../companies/errors.js';
import { listConsoleCompanies, registerCompanies } from '../companies/registry.js';
import { changeCompanySettings, type CompanySettingsChange } from '../companies/settings.js';
import { syncCompanies } from '../companies/sync.js';
import {
  getBoardSettings,
  getConnectionCredentials,
  openManageClient,
  saveBoardSettingsByName,
  saveConnectionFromConfig,
  type BoardSettings,
  type ConnectionDeps,
  type Problem,
} from '../connection/index.js';
import { parseRulesOverride } from '../domain/rules.js';
import { listIngestTokens, setIngestTokenFromValue } from '../ingest/tokens.js';
import { getRulesOverride, saveRulesOverride } from '../rules/index.js';
import { inTransaction } from '../storage/transaction.js';
import { ConfigApplyError, type ConfigFileIssue } from './errors.js';
import { readConfigSecrets, type ConfigSecrets, type SecretEnv } from './load.js';
import type { ConfigFile } from './schema.js';

/** What applying a file did. */
export interface ApplyResult {
  readonly accountId: string;
  readonly accountCreated: boolean;
  /** One line per part that changed, e.g. `connection saved`; empty when nothing changed. */
  readonly changes: readonly string[];
}

/** Options of {@link applyConfigFile}. */
export interface ApplyOptions {
  /** Names the file in messages. Default `configuration`. */
  readonly source?: string;
  readonly signal?: AbortSignal;
}

/**
 * Makes the stored state equal to what `file` declares.
 *
 * @param env where the secrets named by the file are read (`privateKeyEnv`, `passwordEnv`,
 *   `tokenEnv`); pass `process.env` at the edge.
 * @throws ConfigSecretError when a named variable is unset; nothing is applied then.
 * @throws ConfigApplyError naming the JSON path of the part that failed (keys refused, a board
 *   name unknown, a mapping to no company…); parts before it stay applied.
 * @example
 * const file = await loadConfigFile('psabridge.json');
 * const { accountId, changes } = await applyConfigFile({ db, secretBox, config }, file, process.env);
 */
export async function applyConfigFile(
  deps: ConnectionDeps,
  file: ConfigFile,
  env: SecretEnv,
  options: ApplyOptions = {},
): Promise<ApplyResult> {
  const secrets = readConfigSecrets(file, env, options.source);
  const now = (): Date => (deps.now ?? (() => new Date()))();
  const calls = options.signal ? { signal: options.signal } : {};
  const changes: string[] = [];

  const { accountId, created } = await findOrCreateAccount(deps, file.account.name, now());
  if (created) changes.push(`account "${file.account.name}" created`);

  if (file.admin) {
    const change = await applyAdmin(deps, accountId, file.admin, secrets, now());
    if (change) changes.push(change);
  }

  if (file.connectwise && secrets.privateKey !== undefined) {
    const input = {
      site: file.connectwise.site,
      companyId: file.connectwise.companyId,
      publicKey: file.connectwise.publicKey,
      privateKey: secrets.privateKey,
    };
    const saved = await getConnectionCredentials(deps.db, deps.secretBox, accountId).catch(
      () => null,
    );
    const same =
      saved !== null &&
      saved.site === input.site.trim() &&
      saved.companyId === input.companyId.trim() &&
      saved.publicKey === input.publicKey.trim() &&
      saved.privateKey === input.privateKey;
    if (!same) {
      await step('connectwise', () => saveConnectionFromConfig(deps, accountId, input, calls));
      changes.push('ConnectWise connection authenticated and saved');
    }
  }

  if (file.board) {
    const named = {
      board: file.board.board,
      type: file.board.type,
      subtype: file.board.subtype ?? null,
      item: file.board.item ?? null,
      newStatus: file.board.newStatus,
      closedStatus: file.board.closedStatus,
      team: file.board.team ?? null,
      priorities: file.board.priorities,
    };
    const saved = await getBoardSettings(deps.db, accountId);
    if (!saved || !sameBoard(saved, named)) {
      await step('board', () => saveBoardSettingsByName(deps, accountId, named, calls));
      changes.push(`service board "${named.board}" saved`);
    }
  }

  if (file.rules !== undefined) {
    const parsed = parseRulesOverride(file.rules);
    if (!parsed.ok) {
      throw new ConfigApplyError(
        parsed.issues.map((issue) => ({
          path: issue.path === '' ? 'rules' : `rules.${issue.path}`,
          message: issue.message,
        })),
        { cause: parsed.issues },
      );
    }
    const stored = await getRulesOverride(deps.db, accountId);
    if (canonicalJson(stored.override) !== canonicalJson(parsed.override)) {
      await step('rules', () => saveRulesOverride(deps.db, accountId, parsed.override, now()));
      changes.push('rules saved');
    }
  }

  if (file.companies) {
    const changed = await applyCompanies(deps, accountId, file.companies, now, calls);
    changes.push(...changed);
  }

  if (file.ingestToken && secrets.ingestToken !== undefined) {
    const token = secrets.ingestToken;
    const name = file.ingestToken.name;
    const before = await listIngestTokens(deps.db, accountId);
    await step('ingestToken', () =>
      setIngestTokenFromValue(deps.db, accountId, name, token, now()),
    );
    const after = await listIngestTokens(deps.db, accountId);
    if (tokenState(before) !== tokenState(after)) changes.push(`ingest token "${name}" set`);
  }

  return { accountId, accountCreated: created, changes };
}

async function findOrCreateAccount(
  deps: ConnectionDeps,
  name: string,
  now: Date,
): Promise<{ accountId: string; created: boolean }> {
  const named = (await listAccounts(deps.db)).filter((account) => account.name === name);
  if (named.length > 1) {
    throw new ConfigApplyError(
      [
        {
          path: 'account.name',
          message: `${named.length} accounts are named "${name}"; rename all but one (the file picks the account by name)`,
        },
      ],
      { cause: named.map((account) => account.id) },
    );
  }
  const [existing] = named;
  if (existing) return { accountId: existing.id, created: false };
  const account = await createAccount(deps.db, { name }, now);
  return { accountId: account.id, created: true };
}

async function applyAdmin(
  deps: ConnectionDeps,
  accountId: string,
  admin: NonNullable<ConfigFile['admin']>,
  secrets: ConfigSecrets,
  now: Date,
): Promise<string | undefined> {
  const password = secrets.adminPassword;
  if (password === undefined) return undefined;
  const email = normalizeEmail(admin.email);
  const existing = (await listUsers(deps.db, accountId)).find((user) => user.email === email);
  if (!existing) {
    await step('admin', () =>
      createUser(
        deps.db,
        accountId,
        { email, displayName: admin.displayName, role: 'admin', password },
        now,
      ),
    );
    return `admin ${email} created`;
  }

  const change: { role?: 'admin'; displayName?: string; disabled?: false; password?: string } = {};
  if (existing.role !== 'admin') change.role = 'admin';
  if (existing.displayName !== admin.displayName) change.displayName = admin.displayName;
  if (existing.disabled) change.disabled = false;
  // A password is stored hashed: it is the same exactly when it still signs in.
  if (existing.disabled || !(await authenticateUser(deps.db, email, password))) {
    change.password = password;
  }
  if (Object.keys(change).length === 0) return undefined;
  await step('admin', () => updateUser(deps.db, accountId, existing.id, change, now));
  return `admin ${email} updated`;
}

async function applyCompanies(
  deps: ConnectionDeps,
  accountId: string,
  companies: NonNullable<ConfigFile['companies']>,
  now: () => Date,
  calls: { signal?: AbortSignal },
): Promise<string[]> {
  const before = new Map(
    (await listConsoleCompanies(deps.db, accountId)).map((c) => [c.name, c.updatedAt]),
  );
  await step('companies', () =>
    inTransaction(deps.db, (trx) =>
      registerCompanies(
        trx,
        accountId,
        companies.map((c) => c.name),
        'config',
        now(),
      ),
    ),
  );

  // Mappings are checked against the synced ConnectWise companies: sync first if there is none.
  let synced = false;
  const sync = async (): Promise<void> => {
    synced = true;
    const client = await step('companies', () => openManageClient(deps, accountId, calls));
    await step('companies', () =>
      syncCompanies(
        { db: deps.db, client, ...(deps.now ? { now: deps.now } : {}) },
        accountId,
        calls,
      ),
    );
  };
  const mapped = companies.some((c) => c.cwCompanyId !== undefined || c.cwIdentifier !== undefined);
  if (mapped && (await getCompanySyncState(deps.db, accountId))?.lastOkAt == null) await sync();

  for (const [index, company] of companies.entries()) {
    const change: CompanySettingsChange = {
      ticketingEnabled: company.ticketing,
      ...(company.cwCompanyId !== undefined
        ? { cwCompanyId: company.cwCompanyId }
        : company.cwIdentifier !== undefined
          ? { cwIdentifier: company.cwIdentifier }
          : { clearMapping: true }),
    };
    try {
      await changeCompanySettings(deps.db, accountId, company.name, change, now());
    } catch (error) {
      if (!(error instanceof CompanyMappingError)) throw error;
      let refused: CompanyMappingError = error;
      // The company may be newer than the last sync: sync once and try again.
      if (!synced) {
        await sync();
        try {
          await changeCompanySettings(deps.db, accountId, company.name, change, now());
          continue;
        } catch (again) {
          if (!(again instanceof CompanyMappingError)) throw again;
          refused = again;
        }
      }
      throw new ConfigApplyError(
        [{ path: `companies.${index}.${refused.field}`, message: refused.message }],
        { cause: refused },
      );
    }
  }

  const after = await listConsoleCompanies(deps.db, accountId);
  const declared = new Set(companies.map((c) => c.name));
  const added = after.filter((c) => declared.has(c.name) && !before.has(c.name)).length;
  const updated = after.filter(
    (c) => declared.has(c.name) && before.has(c.name) && before.get(c.name) !== c.updatedAt,
  ).length;
  return [
    ...(added > 0 ? [`${added} companies registered`] : []),
    ...(updated > 0 ? [`${updated} companies updated`] : []),
  ];
}

/** Runs one part; its failure becomes a ConfigApplyError at `path`. */
async function step<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ConfigApplyError) throw error;
    throw new ConfigApplyError(issuesOf(path, error), { cause: error });
  }
}

/** The issues an error stands for: one per problem it carries, else its message. */
function issuesOf(path: string, error: unknown): ConfigFileIssue[] {
  const problems = (error as { problems?: readonly (Problem & { field?: string })[] }).problems;
  if (Array.isArray(problems) && problems.length > 0) {
    return problems.map((p: Problem & { field?: string }) => ({
      path: p.field === undefined || p.field === '' ? path : `${path}.${p.field}`,
      message: `${p.message} ${p.fix}`,
    }));
  }
  const issues = (error as { issues?: readonly { path: string; message: string }[] }).issues;
  if (Array.isArray(issues) && issues.length > 0) {
    return issues.map((issue: { path: string; message: string }) => ({
      path: issue.path === '' ? path : `${path}.${issue.path}`,
      message: issue.message,
    }));
  }
  return [{ path, message: error instanceof Error ? error.message : String(error) }];
}

const sameName = (a: string | null | undefined, b: string | null | undefined): boolean =>
  (a ?? '').trim().toLowerCase() === (b ?? '').trim().toLowerCase();

function sameBoard(
  saved: BoardSettings,
  named: {
    board: string;
    type: string;
    subtype: string | null;
    item: string | null;
    newStatus: string;
    closedStatus: string;
    team: string | null;
    priorities: { critical: string; high: string; medium: string; low: string };
  },
): boolean {
  return (
    sameName(saved.board.name, named.board) &&
    sameName(saved.type.name, named.type) &&
    sameName(saved.subtype?.name, named.subtype) &&
    sameName(saved.item?.name, named.item) &&
    sameName(saved.newStatus.name, named.newStatus) &&
    sameName(saved.closedStatus.name, named.closedStatus) &&
    sameName(saved.team?.name, named.team) &&
    sameName(saved.priorities.critical.name, named.priorities.critical) &&
    sameName(saved.priorities.high.name, named.priorities.high) &&
    sameName(saved.priorities.medium.name, named.priorities.medium) &&
    sameName(saved.priorities.low.name, named.priorities.low)
  );
}

/** JSON with object keys sorted, so two equal overrides compare equal as text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

function tokenState(
  tokens: readonly { id: string; name: string; revokedAt: string | null }[],
): string {
  return JSON.stringify(tokens.map((t) => [t.id, t.name, t.revokedAt]));
}
