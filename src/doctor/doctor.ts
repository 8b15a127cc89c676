/**
 * The pre-flight doctor: everything that would stop a ticket for an account, found before a
 * backup fails. It runs the account-wide checks in order, each feeding the next:
 *
 * 1. connection: the saved keys work and carry every permission of the integration page;
 * 2. board: the saved service board, statuses, team and priorities still exist and fit together
 *    (the page's rule 4: the board has a default team);
 * 3. sync: the ConnectWise companies are copied again, so the company lines are current;
 * 4. rules: the account's rules load;
 *
 * then, per console company, the page's rules 1–3 (Company ID, contact, active), deleted
 * companies, the ticketing switch, and summaries over ConnectWise's 100 characters.
 */
import type { ManageClient, ManageEventListener } from '../connectwise/client/index.js';
import { syncCompanies } from '../companies/sync.js';
import { CompanySyncError } from '../companies/errors.js';
import { getCompanySyncState } from '../companies/cw-companies.js';
import { listReadiness, type CompanyReadiness } from '../companies/readiness.js';
import { checkBoardSettings } from '../connection/board-settings.js';
import { getBoardSettings } from '../connection/board-settings-store.js';
import { recheckConnection } from '../connection/connection-service.js';
import { ConnectionNotConfiguredError } from '../connection/errors.js';
import { problemOf } from '../connection/failure.js';
import { openManageClient } from '../connection/open-client.js';
import type { Problem } from '../connection/problem.js';
import type { ConnectionDeps } from '../connection/types.js';
import { normalizeCompany } from '../domain/incident-key.js';
import { DEFAULT_RULES, type Rules } from '../domain/rules.js';
import { getRules } from '../rules/rules-store.js';
import { toIso } from '../storage/columns.js';
import {
  countProblems,
  type DoctorCompanyLine,
  type DoctorProblem,
  type DoctorReport,
  type DoctorSection,
  type DoctorSeverity,
} from './report.js';
import { longestDeviceNames, longSummaries, REPRESENTATIVE_DEVICE } from './summary-check.js';

/** Options of {@link runDoctor}. */
export interface DoctorOptions {
  /** Sync the ConnectWise companies first. Default true; false uses the last sync. */
  readonly sync?: boolean;
  /** Cancels the ConnectWise calls. */
  readonly signal?: AbortSignal;
  /** Receives the ConnectWise client's events (no secrets in them). Default: none. */
  readonly onEvent?: ManageEventListener;
}

const withSeverity = (problem: Problem, severity: DoctorSeverity): DoctorProblem => ({
  code: problem.code,
  message: problem.message,
  fix: problem.fix,
  severity,
});

const section = (
  name: DoctorSection['name'],
  summary: string,
  problems: readonly DoctorProblem[],
  skipped = false,
): DoctorSection => ({
  name,
  status: skipped ? 'skipped' : problems.some((p) => p.severity !== 'info') ? 'problems' : 'ok',
  summary,
  problems,
});

/**
 * Runs every check for `accountId` and reports what would stop tickets. It never throws for
 * what it finds (a refused key, a missing board): those are problems in the report.
 *
 * @example
 * const report = await runDoctor({ db, secretBox, config }, accountId);
 * if (!report.ok) console.log(formatDoctorReport(report));
 */
export async function runDoctor(
  deps: ConnectionDeps,
  accountId: string,
  options: DoctorOptions = {},
): Promise<DoctorReport> {
  const now = deps.now ?? (() => new Date());
  const calls = {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  };
  const sections: DoctorSection[] = [];

  // Connection: without working keys nothing else can be asked of ConnectWise.
  let client: ManageClient | undefined;
  let context = { site: '', companyId: '' };
  try {
    const report = await recheckConnection(deps, accountId, calls);
    context = { site: report.site, companyId: report.companyId };
    const keysWork = report.steps.some((s) => s.name === 'keys' && s.status === 'passed');
    if (keysWork) client = await openManageClient(deps, accountId, calls);
    sections.push(
      section(
        'connection',
        report.ok
          ? `Connected to ${report.companyName ?? report.companyId} at ${report.site}` +
              `${report.version ? ` (ConnectWise ${report.version})` : ''}; every permission is granted.`
          : `The connection to ${report.site} has ${report.problems.length} problem(s).`,
        report.problems.map((p) => withSeverity(p, 'error')),
      ),
    );
  } catch (error) {
    sections.push(
      section('connection', 'No working ConnectWise connection.', [
        withSeverity(
          error instanceof ConnectionNotConfiguredError
            ? {
                code: 'connection_not_configured',
                message: 'No ConnectWise connection is saved for this account.',
                fix: 'Enter the API member keys in Settings › ConnectWise Manage (or the connectwise section of the configuration file) and authenticate.',
              }
            : problemOf(error, { step: 'keys', site: context.site, companyId: context.companyId }),
          'error',
        ),
      ]),
    );
  }

  // Board: the settings tickets are written with, checked against ConnectWise as it is now.
  const settings = await getBoardSettings(deps.db, accountId);
  if (!settings) {
    sections.push(
      section('board', 'No service board is chosen.', [
        withSeverity(
          {
            code: 'board_not_configured',
            message: 'No service board is chosen, so the bridge does not know where tickets go.',
            fix: 'Choose the board, type, subtype, item, statuses and priorities in Settings › ConnectWise Manage › Service board (or the board section of the configuration file).',
          },
          'error',
        ),
      ]),
    );
  } else if (!client) {
    sections.push(
      section(
        'board',
        `"${settings.board.name}" not checked: the connection does not work.`,
        [],
        true,
      ),
    );
  } else {
    try {
      const problems = await checkBoardSettings(client, settings, calls);
      sections.push(
        section(
          'board',
          problems.length === 0
            ? `Board "${settings.board.name}": type, statuses (new "${settings.newStatus.name}", closed "${settings.closedStatus.name}"), team and priorities are in place.`
            : `Board "${settings.board.name}" has ${problems.length} problem(s).`,
          problems.map((p) => withSeverity(p, 'error')),
        ),
      );
    } catch (error) {
      sections.push(
        section('board', `Board "${settings.board.name}" could not be checked.`, [
          withSeverity(problemOf(error, { step: 'keys', ...context }), 'error'),
        ]),
      );
    }
  }

  // Sync: fresh company rows, so the company lines below say how ConnectWise is now.
  if (client && options.sync !== false) {
    try {
      const result = await syncCompanies({ db: deps.db, client, now }, accountId, calls);
      sections.push(
        section(
          'sync',
          `${result.companies} ConnectWise companies and ${result.contacts} active contacts synced in ${result.durationMs} ms.`,
          [],
        ),
      );
    } catch (error) {
      const cause = error instanceof CompanySyncError ? error.cause : error;
      sections.push(
        section('sync', 'The company sync failed; the company lines use the last good sync.', [
          withSeverity(problemOf(cause, { step: 'keys', ...context }), 'error'),
        ]),
      );
    }
  } else {
    const state = await getCompanySyncState(deps.db, accountId);
    const last =
      state?.lastOkAt == null ? 'no sync has finished yet' : `using the sync of ${state.lastOkAt}`;
    sections.push(
      section(
        'sync',
        client ? `Not run on request; ${last}.` : `Not run: the connection does not work; ${last}.`,
        [],
        true,
      ),
    );
  }

  // Rules: what makes tickets, with which summaries.
  let rules: Rules = DEFAULT_RULES;
  try {
    rules = await getRules(deps.db, accountId);
    const ticketing = Object.values(rules.events).filter((rule) => rule.ticket).length;
    sections.push(section('rules', `${ticketing} problem event types make tickets.`, []));
  } catch (error) {
    sections.push(
      section('rules', 'The stored rules could not be read; the defaults are assumed below.', [
        withSeverity(
          {
            code: 'rules_invalid',
            message: error instanceof Error ? error.message : String(error),
            fix: 'Save the rules again (Rules, or the rules section of the configuration file).',
          },
          'error',
        ),
      ]),
    );
  }

  // Companies: per console company, what stops its tickets.
  const [readiness, devices] = await Promise.all([
    listReadiness(deps.db, accountId, { limit: Number.MAX_SAFE_INTEGER }),
    longestDeviceNames(deps.db, accountId),
  ]);
  const companies = readiness.companies.map((r) =>
    companyLine(r, rules, devices.get(r.company.id) ?? REPRESENTATIVE_DEVICE),
  );

  const errors = countProblems(sections, companies, 'error');
  return {
    ok: errors === 0,
    checkedAt: toIso(now()),
    sections,
    companies,
    summary: {
      companies: companies.length,
      ready: companies.filter((c) => c.ready).length,
      errors,
      warnings: countProblems(sections, companies, 'warning'),
    },
  };
}

/** One company's line: its readiness problems, the rules' switch, and long summaries. */
function companyLine(readiness: CompanyReadiness, rules: Rules, device: string): DoctorCompanyLine {
  const { company } = readiness;
  const key = normalizeCompany(company.name);
  const offByRules = Object.entries(rules.companies).some(
    ([name, rule]) => normalizeCompany(name) === key && !rule.ticketing,
  );
  const ticketingEnabled = company.ticketingEnabled && !offByRules;
  // A company switched off gets no tickets by choice: what else is wrong is reported, not failed.
  const severity: DoctorSeverity = ticketingEnabled ? 'error' : 'info';
  const problems: DoctorProblem[] = readiness.problems.map((p) =>
    withSeverity(p, p.code === 'ticketing_disabled' ? 'info' : severity),
  );
  if (offByRules && company.ticketingEnabled) {
    problems.push(
      withSeverity(
        {
          code: 'ticketing_disabled',
          message: `Ticketing is switched off for '${company.name}' in the rules (companies section), so its problems make no new tickets.`,
          fix: 'Remove the company from the rules or set its ticketing to true if it should get tickets.',
        },
        'info',
      ),
    );
  }
  if (ticketingEnabled) {
    for (const long of longSummaries(rules, company.name, device)) {
      const which = long.template === 'storm' ? 'the storm roll-up' : long.template;
      problems.push(
        withSeverity(
          {
            code: 'summary_too_long',
            message: `The ${which} summary would be ${long.full.length} characters, over ConnectWise's 100: "${long.full}". Tickets get "${long.summary}".`,
            fix: `Shorten the summary template of ${which} (Rules › ${which} › Summary), e.g. drop the job name or the error code.`,
          },
          'warning',
        ),
      );
    }
  }
  return {
    name: company.name,
    ready: ticketingEnabled && !problems.some((p) => p.severity === 'error'),
    ticketingEnabled,
    mapping: readiness.mapping.state,
    cwCompany: readiness.cwCompany && {
      id: readiness.cwCompany.id,
      identifier: readiness.cwCompany.identifier,
      name: readiness.cwCompany.name,
    },
    contact: readiness.cwCompany?.contact ?? null,
    problems,
  };
}
