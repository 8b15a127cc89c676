/**
 * The doctor's report as text for a terminal: the account-wide checks, then one line per
 * company, each problem followed by its fix, and a closing verdict.
 */
import type { DoctorCompanyLine, DoctorProblem, DoctorReport, DoctorSection } from './report.js';

const MARK: Readonly<Record<DoctorProblem['severity'] | 'ok' | 'skipped', string>> = {
  ok: 'ok     ',
  error: 'ERROR  ',
  warning: 'warning',
  info: 'info   ',
  skipped: 'skipped',
};

function problemLines(problems: readonly DoctorProblem[], indent: string): string[] {
  return problems.flatMap((p) => [
    `${indent}${MARK[p.severity]} ${p.message}`,
    `${indent}        fix: ${p.fix}`,
  ]);
}

function sectionLines(section: DoctorSection): string[] {
  const worst = section.problems.find((p) => p.severity === 'error')
    ? 'error'
    : section.problems.find((p) => p.severity === 'warning')
      ? 'warning'
      : section.status === 'skipped'
        ? 'skipped'
        : 'ok';
  return [
    `${MARK[worst]} ${section.name.padEnd(10)} ${section.summary}`,
    ...problemLines(section.problems, '    '),
  ];
}

function companyLines(company: DoctorCompanyLine): string[] {
  const worst = company.problems.some((p) => p.severity === 'error')
    ? 'error'
    : company.problems.some((p) => p.severity === 'warning')
      ? 'warning'
      : company.ticketingEnabled
        ? 'ok'
        : 'info';
  const target = company.cwCompany
    ? ` → ${company.cwCompany.identifier} (${company.cwCompany.name}, id ${company.cwCompany.id}, ${company.mapping})`
    : ` (${company.mapping})`;
  const contact = company.contact ? `, contact ${company.contact.name}` : '';
  const off = company.ticketingEnabled ? '' : ', ticketing off';
  return [
    `  ${MARK[worst]} ${company.name}${target}${contact}${off}`,
    ...problemLines(company.problems, '      '),
  ];
}

/**
 * The report as lines of text (no trailing newline).
 *
 * @example
 * process.stdout.write(`${formatDoctorReport(report)}\n`);
 */
export function formatDoctorReport(report: DoctorReport, heading?: string): string {
  const lines: string[] = [];
  if (heading !== undefined) lines.push(heading, '');
  for (const section of report.sections) lines.push(...sectionLines(section));
  lines.push('');
  const { companies, ready, errors, warnings } = report.summary;
  if (companies === 0) {
    lines.push(
      'Companies: none registered yet (they are registered by events, the API or the configuration file).',
    );
  } else {
    lines.push(`Companies: ${ready} of ${companies} ready`);
    for (const company of report.companies) lines.push(...companyLines(company));
  }
  lines.push('');
  lines.push(
    report.ok
      ? `All well: nothing stops tickets${warnings > 0 ? ` (${warnings} warning(s) above)` : ''}.`
      : `${errors} problem(s) stop tickets${warnings > 0 ? `, ${warnings} warning(s)` : ''}; fix them as shown above.`,
  );
  return lines.join('\n');
}
