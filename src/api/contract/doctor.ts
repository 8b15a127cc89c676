/**
 * The doctor: everything that would stop a ticket, per company, and a test ticket created and
 * closed on the configured board.
 */
import { z } from 'zod';
import { TimestampSchema } from './common.js';
import { defineEndpoint } from './endpoint.js';

export const DoctorProblemSchema = z.object({
  code: z.string(),
  message: z.string(),
  fix: z.string(),
  severity: z
    .enum(['error', 'warning', 'info'])
    .describe(
      '`error` stops tickets; `warning` spoils them (a summary cut at 100 characters); `info` is a choice (ticketing off)',
    ),
});

export const DoctorSectionSchema = z.object({
  name: z.enum(['connection', 'board', 'sync', 'rules']),
  status: z.enum(['ok', 'problems', 'skipped']),
  summary: z.string(),
  problems: z.array(DoctorProblemSchema),
});

export const DoctorCompanySchema = z.object({
  name: z.string(),
  ready: z.boolean(),
  ticketingEnabled: z.boolean(),
  mapping: z.string(),
  cwCompany: z
    .object({ id: z.number().int(), identifier: z.string(), name: z.string() })
    .nullable(),
  contact: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  problems: z.array(DoctorProblemSchema),
});

export const DoctorReportSchema = z.object({
  ok: z.boolean().describe('Nothing of severity `error` was found'),
  checkedAt: TimestampSchema,
  sections: z.array(DoctorSectionSchema),
  companies: z.array(DoctorCompanySchema),
  summary: z.object({
    companies: z.number().int(),
    ready: z.number().int(),
    errors: z.number().int(),
    warnings: z.number().int(),
  }),
});
export type DoctorReportView = z.infer<typeof DoctorReportSchema>;

export const DoctorQuerySchema = z.object({
  sync: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .default(true)
    .describe('Sync the ConnectWise companies first (default true)'),
});

export const TestTicketRequestSchema = z.object({
  company: z.string().trim().min(1).max(100).describe('The console company name'),
});

export const TestTicketResultSchema = z.object({
  company: z.string(),
  cwCompanyId: z.number().int(),
  contactId: z.number().int().nullable(),
  externalXRef: z.string(),
  board: z.string(),
  created: z.object({ ticketId: z.number().int(), status: z.string().nullable() }),
  closed: z.object({
    ticketId: z.number().int(),
    status: z.string().nullable(),
    closedFlag: z.boolean(),
  }),
  link: z.string().describe('Opens the ticket in the ConnectWise UI'),
});

/** Runs every check for the caller's account (and a company sync unless `sync=false`). */
export const getDoctorReport = defineEndpoint({
  method: 'GET',
  path: '/api/v1/doctor',
  summary: 'What would stop tickets, per company',
  tags: ['doctor'],
  access: 'viewer',
  query: DoctorQuerySchema,
  status: 200,
  response: DoctorReportSchema,
});

/** Creates a test ticket for one company on the configured board, then closes it. */
export const postTestTicket = defineEndpoint({
  method: 'POST',
  path: '/api/v1/doctor/test-ticket',
  summary: 'Create and close a test ticket',
  tags: ['doctor'],
  access: 'admin',
  body: TestTicketRequestSchema,
  status: 201,
  response: TestTicketResultSchema,
});
