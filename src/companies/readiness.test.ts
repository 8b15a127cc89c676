import { describe, expect, it } from 'vitest';
import type { CompanySyncState, SyncedCompany } from './cw-companies.js';
import { buildCompanyDirectory } from './directory.js';
import { assessCompany, targetProblems } from './readiness.js';
import type { ConsoleCompany } from './registry.js';

const SYNCED: CompanySyncState = {
  state: 'ok',
  startedAt: '2026-12-03T10:00:00.000Z',
  finishedAt: '2026-12-03T10:00:02.000Z',
  lastOkAt: '2026-12-03T10:00:00.000Z',
  companies: 0,
  contacts: 0,
  lastError: null,
};

function cw(id: number, identifier: string, extra: Partial<SyncedCompany> = {}): SyncedCompany {
  return {
    id,
    identifier,
    name: identifier,
    deletedFlag: false,
    statusId: 1,
    statusName: 'Active',
    inactive: false,
    savingDisallowed: false,
    contact: { id: id * 10, name: `Contact of ${identifier}` },
    contactCount: 1,
    syncedAt: SYNCED.startedAt,
    ...extra,
  };
}

function consoleCompany(name: string, extra: Partial<ConsoleCompany> = {}): ConsoleCompany {
  return {
    id: `cmp_${name}`,
    name,
    ticketingEnabled: true,
    cwCompanyId: null,
    mappingSource: 'auto',
    registeredBy: 'api',
    createdAt: SYNCED.startedAt,
    updatedAt: SYNCED.startedAt,
    ...extra,
  };
}

const directory = buildCompanyDirectory(
  [
    cw(1, 'ACME', { name: 'ACME Corporation' }),
    cw(2, 'Globex', { deletedFlag: true }),
    cw(3, 'Globex'),
    cw(4, 'Initech', { inactive: true, statusName: 'Inactive' }),
    cw(5, 'Umbrella', { contact: null, contactCount: 0 }),
    cw(6, 'Cyberdyne', { savingDisallowed: true, statusName: 'Credit Hold' }),
    cw(7, 'Twin'),
    cw(8, 'Twin'),
    cw(9, 'OldCo', { deletedFlag: true }),
    cw(10, 'ContosoEast', { name: 'Contoso' }),
    cw(11, 'ContosoWest', { name: 'Contoso' }),
  ],
  SYNCED,
);

const codes = (name: string, extra: Partial<ConsoleCompany> = {}) =>
  assessCompany(consoleCompany(name, extra), directory).problems.map((p) => p.code);

describe('readiness', () => {
  it('is ready for an exact Company ID with a contact, naming the contact', () => {
    const readiness = assessCompany(consoleCompany('ACME'), directory);
    expect(readiness).toMatchObject({
      ready: true,
      mapping: { state: 'exact', cwCompanyId: 1 },
      cwCompany: { contact: { id: 10 } },
      problems: [],
    });
  });

  it('matches Company IDs case-sensitively, offering the other case as a suggestion', () => {
    const readiness = assessCompany(consoleCompany('acme'), directory);
    expect(readiness.mapping.state).toBe('unmatched');
    expect(readiness.suggestions[0]).toMatchObject({
      cwCompanyId: 1,
      reason: 'identifier-ignoring-case',
    });
  });

  it('reports each blocking state of the matched company', () => {
    expect(codes('Initech')).toEqual(['inactive']);
    expect(codes('Umbrella')).toEqual(['no_contact']);
    expect(codes('Cyberdyne')).toEqual(['saving_disallowed']);
    expect(codes('ACME', { ticketingEnabled: false })).toEqual(['ticketing_disabled']);
  });

  it('uses the live company of a soft-deleted twin and lists the twin', () => {
    const readiness = assessCompany(consoleCompany('Globex'), directory);
    expect(readiness).toMatchObject({ ready: true, mapping: { cwCompanyId: 3 } });
    expect(readiness.deletedTwins.map((t) => t.id)).toEqual([2]);
  });

  it('never picks one of two live companies with the same Company ID', () => {
    const readiness = assessCompany(consoleCompany('Twin'), directory);
    expect(readiness.mapping.state).toBe('ambiguous');
    expect(readiness.cwCompany).toBeNull();
    expect(readiness.suggestions.map((s) => s.cwCompanyId)).toEqual([7, 8]);
    expect(readiness.problems.map((p) => p.code)).toEqual(['ambiguous']);
  });

  it('lists equally good suggestions as ambiguous and applies none', () => {
    const readiness = assessCompany(consoleCompany('Contoso'), directory);
    expect(readiness).toMatchObject({
      ready: false,
      cwCompany: null,
      suggestionsAmbiguous: true,
      mapping: { state: 'unmatched' },
    });
    expect(readiness.suggestions.map((s) => s.cwCompanyId).sort()).toEqual([10, 11]);
  });

  it('follows a manual mapping, and reports it when the mapped company is gone or deleted', () => {
    expect(
      assessCompany(
        consoleCompany('Anything', { mappingSource: 'manual', cwCompanyId: 4 }),
        directory,
      ).problems.map((p) => p.code),
    ).toEqual(['inactive']);
    expect(codes('Anything', { mappingSource: 'manual', cwCompanyId: 404 })).toEqual([
      'mapped_company_missing',
    ]);
    expect(codes('Anything', { mappingSource: 'suggestion', cwCompanyId: 9 })).toEqual(['deleted']);
  });

  it('says a sync is needed before anything can be matched', () => {
    const never = buildCompanyDirectory([], undefined);
    expect(assessCompany(consoleCompany('ACME'), never).problems.map((p) => p.code)).toEqual([
      'not_synced',
    ]);
  });

  it('lets a company without contacts through when contacts are not required', () => {
    expect(
      targetProblems(cw(5, 'Umbrella', { contact: null, contactCount: 0 }), {
        requireContact: false,
      }),
    ).toEqual([]);
  });
});
