/**
 * The doctor over HTTP: the report of what would stop tickets for the caller's account, and the
 * test ticket. What the doctor finds is in the report (200), not an error; only a test ticket
 * that cannot be made is answered with an error saying why.
 */
import { ManageValidationError } from '../../connectwise/client/index.js';
import {
  BoardNotConfiguredError,
  createTestTicket,
  runDoctor,
  TestTicketCloseError,
  type DoctorReport,
  TestTicketRefusedError,
} from '../../doctor/index.js';
import type { RouteModule } from '../app-types.js';
import { getDoctorReport, postTestTicket, type DoctorReportView } from '../contract/doctor.js';
import { ApiError } from '../errors.js';
import { route } from '../route.js';
import { companiesApiError, connectionDepsOf, connectWiseEvents } from './companies.js';

export const doctorRoutes: RouteModule = (app, deps) => {
  route(app, getDoctorReport, async ({ auth, query, request }) => {
    const report = await runDoctor(connectionDepsOf(deps), auth.accountId, {
      sync: query.sync,
      onEvent: connectWiseEvents(request.log),
    });
    request.log.info({ accountId: auth.accountId, ok: report.ok, ...report.summary }, 'doctor ran');
    return doctorReportView(report);
  });

  route(app, postTestTicket, async ({ auth, body, request }) => {
    try {
      const result = await createTestTicket(connectionDepsOf(deps), auth.accountId, body.company, {
        onEvent: connectWiseEvents(request.log),
      });
      request.log.info(
        { accountId: auth.accountId, company: result.company, ticketId: result.created.ticketId },
        'test ticket created and closed',
      );
      return result;
    } catch (error) {
      throw testTicketApiError(error);
    }
  });
};

/** The report as the API shows it (the same data, in mutable arrays). */
export function doctorReportView(report: DoctorReport): DoctorReportView {
  return {
    ...report,
    summary: { ...report.summary },
    sections: report.sections.map((s) => ({ ...s, problems: s.problems.map((p) => ({ ...p })) })),
    companies: report.companies.map((c) => ({
      ...c,
      cwCompany: c.cwCompany && { ...c.cwCompany },
      contact: c.contact && { ...c.contact },
      problems: c.problems.map((p) => ({ ...p })),
    })),
  };
}

function testTicketApiError(error: unknown): unknown {
  if (error instanceof TestTicketRefusedError) {
    return new ApiError('conflict', error.message, {
      errors: [{ path: 'company', message: `${error.problem.fix} (${error.problem.code})` }],
      cause: error,
    });
  }
  if (error instanceof BoardNotConfiguredError) {
    return new ApiError('conflict', error.message, { cause: error });
  }
  if (error instanceof ManageValidationError) {
    return new ApiError(
      'conflict',
      `ConnectWise refused the test ticket: ${error.message} Run the doctor to see which setting is wrong.`,
      { cause: error },
    );
  }
  if (error instanceof TestTicketCloseError) {
    return new ApiError('unavailable', error.message, { cause: error });
  }
  return companiesApiError(error);
}
