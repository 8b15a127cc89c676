import { describe, expect, it } from 'vitest';
import { formatDoctorReport } from './format.js';
import type { DoctorReport } from './report.js';

const report: DoctorReport = {
  ok: false,
  checkedAt: '2026-12-03T10:00:00.000Z',
  sections: [
    { name: 'connection', status: 'ok', summary: 'Connected to PSA Demo MSP.', problems: [] },
    {
      name: 'board',
      status: 'problems',
      summary: 'Board "Projects Intake" has 1 problem(s).',
      problems: [
        {
          code: 'board_without_default_team',
          message: 'The service board must have a default team for ticket generation.',
          fix: 'Mark a team as Default.',
          severity: 'error',
        },
      ],
    },
  ],
  companies: [
    {
      name: 'ACME',
      ready: true,
      ticketingEnabled: true,
      mapping: 'exact',
      cwCompany: { id: 250, identifier: 'ACME', name: 'ACME Corporation' },
      contact: { id: 1001, name: 'Wile Coyote' },
      problems: [],
    },
    {
      name: 'Initech',
      ready: false,
      ticketingEnabled: true,
      mapping: 'exact',
      cwCompany: { id: 252, identifier: 'Initech', name: 'Initech' },
      contact: null,
      problems: [
        {
          code: 'inactive',
          message: "Company 'Initech' is inactive in ConnectWise.",
          fix: 'Set its status to Active (Companies › Company › Status).',
          severity: 'error',
        },
      ],
    },
  ],
  summary: { companies: 2, ready: 1, errors: 2, warnings: 0 },
};

describe('doctor report as text', () => {
  it('prints each problem under its section or company, followed by its fix', () => {
    const text = formatDoctorReport(report);
    const lines = text.split('\n');
    const inactive = lines.findIndex((l) => l.includes("'Initech' is inactive"));
    expect(lines[inactive - 1]).toContain('Initech → Initech');
    expect(lines[inactive + 1]).toContain('fix: Set its status to Active');
    expect(text).toContain('ERROR   board');
    expect(text).toContain('ACME → ACME (ACME Corporation, id 250, exact), contact Wile Coyote');
    expect(text).toContain('Companies: 1 of 2 ready');
    expect(lines.at(-1)).toBe('2 problem(s) stop tickets; fix them as shown above.');
  });

  it('ends with "All well" when nothing stops tickets', () => {
    const text = formatDoctorReport({
      ...report,
      ok: true,
      sections: [report.sections[0]!],
      companies: [report.companies[0]!],
      summary: { companies: 1, ready: 1, errors: 0, warnings: 0 },
    });
    expect(text.split('\n').at(-1)).toBe('All well: nothing stops tickets.');
  });
});
