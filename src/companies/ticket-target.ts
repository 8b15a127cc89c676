/**
 * Where a ticket for a console company goes: the ConnectWise company and contact, read from the
 * bridge's own synced rows with two indexed queries, so no ticket costs a ConnectWise look-up.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import {
  findSyncedByIdentifier,
  getCompanySyncState,
  getSyncedCompany,
  type SyncedCompany,
} from './cw-companies.js';
import { companyProblems, type CompanyProblem } from './problems.js';
import { targetProblems } from './readiness.js';
import { getConsoleCompany } from './registry.js';

/** A ticket target, or the first reason there is none. */
export type TicketTarget =
  | { readonly ok: true; readonly cwCompanyId: number; readonly contactId: number | null }
  | { readonly ok: false; readonly problem: CompanyProblem };

/** Options of {@link resolveTicketTarget}. */
export interface TicketTargetOptions {
  /**
   * Resolve even when the company's ticketing switch is off (the doctor's test ticket). Default
   * false: a company switched off gets `ticketing_disabled`.
   */
  readonly ignoreTicketingSwitch?: boolean;
  /** The integration page's rule 2; false lets a company without contacts through. Default true. */
  readonly requireContact?: boolean;
}

/**
 * The ConnectWise company and contact a new ticket for console company `companyId`
 * (`companies.id`) goes to.
 *
 * The mapping is the manual one or the confirmed suggestion when set, else the integration
 * page's rule: the one live synced company whose Company ID equals the console name exactly.
 * The company must be live and active and have a contact; the contact is the one the last sync
 * chose (default contact first). Problems come with their fix, for the job's error and the
 * console.
 *
 * @example
 * const target = await resolveTicketTarget(db, accountId, companyId);
 * if (!target.ok) return block(target.problem);
 * await client.tickets.create({ company: { id: target.cwCompanyId }, … });
 */
export async function resolveTicketTarget(
  db: Kysely<Database>,
  accountId: string,
  companyId: string,
  options: TicketTargetOptions = {},
): Promise<TicketTarget> {
  const company = await getConsoleCompany(db, accountId, companyId);
  if (!company) return fail(companyProblems.unknownCompany(companyId));
  if (!company.ticketingEnabled && options.ignoreTicketingSwitch !== true) {
    return fail(companyProblems.ticketingDisabled(company.name));
  }

  let target: SyncedCompany | undefined;
  if (company.mappingSource !== 'auto' && company.cwCompanyId !== null) {
    target = await getSyncedCompany(db, accountId, company.cwCompanyId);
    if (!target)
      {return fail(companyProblems.mappedCompanyMissing(company.name, company.cwCompanyId));}
  } else {
    const live = (await findSyncedByIdentifier(db, accountId, company.name)).filter(
      (candidate) => !candidate.deletedFlag,
    );
    if (live.length > 1) return fail(companyProblems.ambiguous(company.name, live));
    target = live[0];
    if (!target) {
      const sync = await getCompanySyncState(db, accountId);
      if (sync?.lastOkAt == null) return fail(companyProblems.notSynced());
      // Suggestions cost an index build; readiness (console, doctor) shows them.
      return fail(companyProblems.unmatched(company.name, [], false));
    }
  }

  const problem = targetProblems(target, {
    ...(options.requireContact === undefined ? {} : { requireContact: options.requireContact }),
  })[0];
  if (problem) return fail(problem);
  return { ok: true, cwCompanyId: target.id, contactId: target.contact?.id ?? null };
}

function fail(problem: CompanyProblem): TicketTarget {
  return { ok: false, problem };
}
