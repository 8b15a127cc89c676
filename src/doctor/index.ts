/**
 * The pre-flight doctor: per company, everything that would stop a ticket, and a test ticket
 * that is created and closed on the configured board.
 */
export { runDoctor, type DoctorOptions } from './doctor.js';
export { BoardNotConfiguredError, TestTicketCloseError, TestTicketRefusedError } from './errors.js';
export { formatDoctorReport } from './format.js';
export {
  countProblems,
  type DoctorCompanyLine,
  type DoctorProblem,
  type DoctorReport,
  type DoctorSection,
  type DoctorSectionName,
  type DoctorSeverity,
} from './report.js';
export {
  longestDeviceNames,
  longSummaries,
  REPRESENTATIVE_DEVICE,
  REPRESENTATIVE_JOB,
  type LongSummary,
} from './summary-check.js';
export {
  createTestTicket,
  TEST_TICKET_SUMMARY,
  TEST_TICKET_XREF_PREFIX,
  type TestTicketOptions,
  type TestTicketResult,
} from './test-ticket.js';
