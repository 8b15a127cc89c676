/**
 * What can stop a ticket for one company, each with the fix an administrator can act on. The
 * four rules at the end of the integration page are here (Company ID equals the console name, a
 * contact exists, the company is active; the board's default team is the connection part's),
 * plus what the bridge adds: manual mappings, suggestions, soft-deleted companies and the
 * per-company ticketing switch.
 */

/** Every company problem, by code; clients branch on the code, people read the text. */
export const COMPANY_PROBLEM_CODES = [
  'unknown_company',
  'not_synced',
  'unmatched',
  'ambiguous',
  'mapped_company_missing',
  'deleted',
  'inactive',
  'saving_disallowed',
  'no_contact',
  'ticketing_disabled',
] as const;

export type CompanyProblemCode = (typeof COMPANY_PROBLEM_CODES)[number];

/** One reason a ticket cannot be made for a company, and how to fix it. */
export interface CompanyProblem {
  readonly code: CompanyProblemCode;
  readonly message: string;
  readonly fix: string;
}

/** A ConnectWise company as a problem text names it. */
export interface NamedCwCompany {
  readonly id: number;
  readonly identifier: string;
  readonly name: string;
}

/** A suggestion as a problem text names it. */
export interface SuggestedCwCompany extends NamedCwCompany {
  readonly score: number;
}

const quote = (text: string): string => `'${text}'`;
const describe = (company: NamedCwCompany): string =>
  company.name === company.identifier
    ? `${quote(company.identifier)} (id ${company.id})`
    : `${quote(company.identifier)} ("${company.name}", id ${company.id})`;

/** Builders of every problem, so each text is written once. */
export const companyProblems = {
  unknownCompany(companyId: string): CompanyProblem {
    return {
      code: 'unknown_company',
      message: `This account has no console company ${companyId}.`,
      fix: 'Register the company (PUT /api/v1/companies/{name}) or send an event that names it.',
    };
  },

  notSynced(): CompanyProblem {
    return {
      code: 'not_synced',
      message: 'The ConnectWise companies have not been synced yet, so no company can be matched.',
      fix: 'Run a company sync (Companies › Sync, or POST /api/v1/companies/sync) once the ConnectWise connection is set up.',
    };
  },

  unmatched(
    consoleName: string,
    suggestions: readonly SuggestedCwCompany[],
    ambiguous: boolean,
  ): CompanyProblem {
    const named = suggestions.map(describe);
    const hint =
      suggestions.length === 0
        ? ''
        : ambiguous
          ? ` Several companies fit equally well: ${named.join(', ')}; choose one by hand.`
          : ` Did you mean ${named[0] ?? ''}? Accept the suggestion to map it.`;
    return {
      code: 'unmatched',
      message: `No ConnectWise company has Company ID ${quote(consoleName)}.${hint}`,
      fix: `Either rename the ConnectWise company's Company ID to ${quote(consoleName)} (Companies › Company › Company ID), or map it by hand (Companies › ${consoleName} › Mapping).`,
    };
  },

  ambiguous(consoleName: string, companies: readonly NamedCwCompany[]): CompanyProblem {
    return {
      code: 'ambiguous',
      message: `${companies.length} live ConnectWise companies have Company ID ${quote(consoleName)}: ${companies.map(describe).join(', ')}.`,
      fix: `Map ${quote(consoleName)} by hand to the right one (Companies › ${consoleName} › Mapping), or give the others another Company ID in ConnectWise.`,
    };
  },

  mappedCompanyMissing(consoleName: string, cwCompanyId: number): CompanyProblem {
    return {
      code: 'mapped_company_missing',
      message: `${quote(consoleName)} is mapped to ConnectWise company id ${cwCompanyId}, which the last company sync did not find.`,
      fix: `Map ${quote(consoleName)} to another company or clear the mapping (Companies › ${consoleName} › Mapping); if the company was just added, run a company sync.`,
    };
  },

  deleted(company: NamedCwCompany): CompanyProblem {
    return {
      code: 'deleted',
      message: `ConnectWise company ${describe(company)} is deleted; ConnectWise refuses tickets for it.`,
      fix: 'Map the console company to a live ConnectWise company, or restore the deleted one in ConnectWise.',
    };
  },

  inactive(company: NamedCwCompany, statusName: string | null): CompanyProblem {
    const status = statusName === null ? '' : ` (status ${quote(statusName)})`;
    return {
      code: 'inactive',
      message: `Company ${quote(company.identifier)} is inactive in ConnectWise${status}; ConnectWise refuses tickets for inactive companies.`,
      fix: 'Set its status to Active (Companies › Company › Status).',
    };
  },

  savingDisallowed(company: NamedCwCompany, statusName: string | null): CompanyProblem {
    return {
      code: 'saving_disallowed',
      message: `Company ${quote(company.identifier)} has status ${quote(statusName ?? 'unknown')} in ConnectWise, which does not allow saving tickets.`,
      fix: 'Set its status to Active (Companies › Company › Status), or lift the hold on the company.',
    };
  },

  noContact(company: NamedCwCompany): CompanyProblem {
    return {
      code: 'no_contact',
      message: `${quote(company.identifier)} has no contacts in ConnectWise; the integration needs one to name on tickets.`,
      fix: 'Add a contact (Companies › Contacts), or mark an existing one active.',
    };
  },

  ticketingDisabled(consoleName: string): CompanyProblem {
    return {
      code: 'ticketing_disabled',
      message: `Ticketing is switched off for ${quote(consoleName)}, so its problems make no new tickets.`,
      fix: `Switch ticketing on (Companies › ${consoleName} › Ticketing) if it should get tickets.`,
    };
  },
};
