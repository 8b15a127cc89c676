/**
 * "Authenticate": proves that a site, company id and API-member keys work for the integration,
 * in the order an administrator fixes things:
 * 1. site — the site resolves to an API host and `/login/companyinfo/{companyId}` finds the
 *    company and its codebase (reference §2.2);
 * 2. keys — `/system/info` accepts the keys and the bridge's clientId (reference §1.4, §2.4);
 * 3. permissions — every permission of the integration page, each on its own line.
 * A step runs only when the one before passed. Nothing is saved here.
 */
import type { ManageEventListener, RetryPolicy } from '../connectwise/client/index.js';
import { ManageClient, resolveApiBase } from '../connectwise/client/index.js';
import type { CompanyInfo } from '../connectwise/models.js';
import type { ConnectionProblem } from './failure.js';
import { problemOf } from './failure.js';
import { checkPermissions, uncheckedPermissionLines } from './permission-check.js';
import type {
  CheckStep,
  ConnectionCheckReport,
  ConnectionInput,
  ManageClientTuning,
  PermissionLine,
} from './types.js';

/** Options of {@link checkConnection}. */
export interface CheckConnectionOptions {
  /** The integration's clientId GUID (`config.clientId`). */
  readonly clientId: string;
  /** Timeouts and retries. Default: the client's own defaults. */
  readonly manage?: ManageClientTuning;
  /** Receives the client's request/response events (they carry no secrets). Default: none. */
  readonly onEvent?: ManageEventListener;
  readonly signal?: AbortSignal;
  /** The clock of `checkedAt`. Default `() => new Date()`. */
  readonly now?: () => Date;
}

/** Mutable while the check runs; frozen into the report at the end. */
interface Findings {
  apiBase: string | null;
  codebase: string | null;
  companyName: string | null;
  version: string | null;
  steps: CheckStep[];
  permissions: PermissionLine[];
  problems: ConnectionProblem[];
}

/**
 * Runs the three steps against ConnectWise and reports each. Never throws for anything
 * ConnectWise (or the network) does: every failure becomes a problem with its own code.
 *
 * @example
 * const report = await checkConnection(
 *   { site: 'na.myconnectwise.net', companyId: 'acme', publicKey, privateKey },
 *   { clientId: config.clientId },
 * );
 * if (!report.ok) for (const p of report.problems) console.log(p.code, p.message, p.fix);
 */
export async function checkConnection(
  input: ConnectionInput,
  options: CheckConnectionOptions,
): Promise<ConnectionCheckReport> {
  const now = options.now ?? (() => new Date());
  const found: Findings = {
    apiBase: null,
    codebase: null,
    companyName: null,
    version: null,
    steps: [],
    permissions: [],
    problems: [],
  };
  await runSteps(input, options, found);
  return {
    ok: found.problems.length === 0,
    checkedAt: now().toISOString(),
    site: input.site.trim(),
    companyId: input.companyId.trim(),
    apiBase: found.apiBase,
    codebase: found.codebase,
    companyName: found.companyName,
    version: found.version,
    steps: found.steps,
    permissions: found.permissions,
    problems: found.problems,
  };
}

async function runSteps(
  input: ConnectionInput,
  options: CheckConnectionOptions,
  found: Findings,
): Promise<void> {
  const site = input.site.trim();
  const companyId = input.companyId.trim();
  const context = { site, companyId };
  const fail = (step: CheckStep['name'], problem: ConnectionProblem): void => {
    found.problems.push(problem);
    found.steps.push({ name: step, status: 'failed', message: problem.message });
    skipRest(found, step, problem.message);
  };

  // Step 1 — the site and the company on it. The clientId is the bridge's own configuration,
  // checked before anything is sent since no call can succeed without it.
  const malformed = malformedField(input, options.clientId, options.manage);
  if (malformed) {
    if (malformed.step === 'keys') found.steps.push(skippedStep('site', malformed.problem.message));
    return fail(malformed.step, malformed.problem);
  }
  found.apiBase = resolveApiBase(site, siteOptions(options.manage));
  const client = new ManageClient({
    site,
    companyId,
    publicKey: input.publicKey,
    privateKey: input.privateKey,
    clientId: options.clientId,
    ...clientTuning(options.manage),
    ...(options.onEvent && { onEvent: options.onEvent }),
  });
  const request = options.signal ? { signal: options.signal } : {};
  let info: CompanyInfo;
  try {
    info = await client.companyInfo(request);
  } catch (error) {
    return fail('site', problemOf(error, { ...context, step: 'site' }));
  }
  found.codebase = await client.codebase();
  found.companyName = info.CompanyName;
  found.steps.push({
    name: 'site',
    status: 'passed',
    message: `Found "${info.CompanyName}" (company ID ${info.CompanyID}) at ${found.apiBase}, codebase ${found.codebase}.`,
  });

  // Step 2 — the keys and the clientId, on a call every API member may make.
  try {
    const system = await client.systemInfo(request);
    found.version = typeof system.version === 'string' ? system.version : null;
  } catch (error) {
    const knownCompanyId = info.CompanyID;
    return fail('keys', problemOf(error, { ...context, step: 'keys', knownCompanyId }));
  }
  found.steps.push({
    name: 'keys',
    status: 'passed',
    message: `ConnectWise${found.version === null ? '' : ` ${found.version}`} accepted the API member's keys and the bridge's clientId.`,
  });

  // Step 3 — every permission of the integration page.
  const permissions = await checkPermissions(client, {
    site,
    ...(options.signal && { signal: options.signal }),
  });
  found.permissions = [...permissions.lines];
  found.problems.push(...permissions.problems);
  const missing = permissions.lines.filter((l) => l.status !== 'granted').length;
  found.steps.push({
    name: 'permissions',
    status: permissions.ok ? 'passed' : 'failed',
    message: permissions.ok
      ? `All ${permissions.lines.length} required permissions are granted.`
      : `${missing} of ${permissions.lines.length} required permissions are missing or could not be checked.`,
  });
}

/** Marks every step after `failed` as skipped, and the permission lines as unchecked. */
function skipRest(found: Findings, failed: CheckStep['name'], reason: string): void {
  const order: CheckStep['name'][] = ['site', 'keys', 'permissions'];
  for (const name of order.slice(order.indexOf(failed) + 1)) {
    found.steps.push(skippedStep(name, `an earlier step failed (${reason})`));
  }
  if (failed !== 'permissions') {
    found.permissions = uncheckedPermissionLines('an earlier step of the check failed.');
  }
}

function skippedStep(name: CheckStep['name'], reason: string): CheckStep {
  return { name, status: 'skipped', message: `Not checked: ${reason}` };
}

/**
 * A field no call could work with: a site that is no host, a key with spaces, no clientId; with
 * the step it belongs to.
 */
function malformedField(
  input: ConnectionInput,
  clientId: string,
  tuning: ManageClientTuning | undefined,
): { step: 'site' | 'keys'; problem: ConnectionProblem } | undefined {
  try {
    resolveApiBase(input.site, siteOptions(tuning));
  } catch (error) {
    const problem = problemOf(error, {
      step: 'site',
      site: input.site,
      companyId: input.companyId,
    });
    return { step: 'site', problem };
  }
  const fields: ['site' | 'keys', 'company ID' | 'public key' | 'private key', string][] = [
    ['site', 'company ID', input.companyId],
    ['keys', 'public key', input.publicKey],
    ['keys', 'private key', input.privateKey],
  ];
  for (const [step, label, value] of fields) {
    const trimmed = value.trim();
    if (trimmed === '' || /\s/.test(trimmed)) {
      const problem: ConnectionProblem = {
        code: 'credentials_malformed',
        field: {
          'company ID': 'companyId',
          'public key': 'publicKey',
          'private key': 'privateKey',
        }[label],
        message: `The ${label} is ${trimmed === '' ? 'empty' : 'not valid: it contains spaces'}.`,
        fix: `Copy the ${label} again from ConnectWise, without spaces or line breaks.`,
      };
      return { step, problem };
    }
  }
  if (clientId.trim() === '') {
    const problem: ConnectionProblem = {
      code: 'client_id_missing',
      field: 'clientId',
      message:
        'The bridge has no ConnectWise clientId configured; ConnectWise requires one on every call.',
      fix:
        'Set PSABRIDGE_CLIENT_ID to the GUID registered for this integration at ' +
        'developer.connectwise.com/ClientID (or unset it to use the built-in one) and restart the bridge.',
    };
    return { step: 'keys', problem };
  }
  return undefined;
}

function siteOptions(tuning: ManageClientTuning | undefined): { allowInsecureHttp?: boolean } {
  return tuning?.allowInsecureHttp === undefined
    ? {}
    : { allowInsecureHttp: tuning.allowInsecureHttp };
}

/** The client options of `tuning`, leaving out what it does not set. */
export function clientTuning(tuning: ManageClientTuning | undefined): {
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  allowInsecureHttp?: boolean;
} {
  return {
    ...(tuning?.timeoutMs !== undefined && { timeoutMs: tuning.timeoutMs }),
    ...(tuning?.retry !== undefined && { retry: tuning.retry }),
    ...(tuning?.allowInsecureHttp !== undefined && { allowInsecureHttp: tuning.allowInsecureHttp }),
  };
}
