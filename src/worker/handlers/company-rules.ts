/** The rules the domain applies to one company's incidents. */
import type { Kysely } from 'kysely';

import type { Rules } from '../../domain/index.js';
import { getRules } from '../../rules/index.js';
import { fromFlag } from '../../storage/columns.js';
import type { Database } from '../../storage/schema.js';

/** A console company as the handlers need it. */
export interface CompanyRow {
  readonly id: string;
  readonly name: string;
  readonly ticketingEnabled: boolean;
}

/** The console company `companyId` of the account, or undefined. */
export async function loadCompany(
  db: Kysely<Database>,
  accountId: string,
  companyId: string,
): Promise<CompanyRow | undefined> {
  const row = await db
    .selectFrom('companies')
    .select(['id', 'name', 'ticketing_enabled'])
    .where('account_id', '=', accountId)
    .where('id', '=', companyId)
    .executeTakeFirst();
  return row === undefined
    ? undefined
    : { id: row.id, name: row.name, ticketingEnabled: fromFlag(row.ticketing_enabled) };
}

/**
 * The account's rules, with the company's own switch (Companies › ticketing) applied: a company
 * switched off in the console makes no new tickets, exactly as a `companies` rule would.
 */
export async function rulesForCompany(
  db: Kysely<Database>,
  accountId: string,
  company: CompanyRow | undefined,
): Promise<Rules> {
  const rules = await getRules(db, accountId);
  if (company === undefined || company.ticketingEnabled) return rules;
  // fromEntries keeps a company literally named `__proto__` a plain key.
  return {
    ...rules,
    companies: Object.fromEntries([
      ...Object.entries(rules.companies),
      [company.name, { ticketing: false }],
    ]),
  };
}
