/**
 * The Activity tab (events received, actions taken, failures and their reasons) and the
 * integration's health: the connection, the service board, the delivery queue, the company
 * sync and ticket tracking, each with what is wrong and how to fix it.
 */
import { z } from 'zod';
import { TimestampSchema } from './common.js';
import { CompanySyncStateSchema } from './companies.js';
import { ProblemSchema } from './connection.js';
import { DeliveryStatusSchema } from './delivery.js';
import { defineEndpoint } from './endpoint.js';
import { PagingQuerySchema, TicketCompanySchema } from './tickets.js';

export const ActivityLevelSchema = z.enum(['info', 'warn', 'error']);

export const ActivitySchema = z.object({
  id: z.string(),
  at: TimestampSchema,
  kind: z
    .string()
    .describe(
      'e.g. `event`, `ticket.created`, `delivery.blocked`, `tracking.closed`, `health.alarm`',
    ),
  level: ActivityLevelSchema,
  message: z.string(),
  company: TicketCompanySchema.nullable(),
  incidentKey: z.string().nullable(),
  ticketId: z.number().int().nullable(),
  eventId: z.string().nullable(),
  jobId: z.string().nullable(),
});

export const ListActivityQuerySchema = PagingQuerySchema.extend({
  level: ActivityLevelSchema.optional(),
  kind: z
    .string()
    .regex(/^[a-z][a-z_]*(\.[a-z_]+)*(\.\*)?$/, 'a kind such as `ticket.created`, or `tracking.*`')
    .max(100)
    .optional()
    .describe('A kind, or a family such as `tracking.*`'),
  company: z.string().min(1).max(200).optional().describe('Console company name, any case'),
  since: z.iso.datetime({ offset: true }).optional().describe('Only lines at or after this time'),
});

export const ActivityListSchema = z.object({
  activity: z.array(ActivitySchema),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the next page; null on the last'),
});

export const listActivityEndpoint = defineEndpoint({
  method: 'GET',
  path: '/api/v1/activity',
  summary: 'What the bridge received, did and failed at, newest first',
  tags: ['activity'],
  access: 'viewer',
  query: ListActivityQuerySchema,
  status: 200,
  response: ActivityListSchema,
});

const HealthProblemSchema = ProblemSchema.omit({ field: true });

export const IntegrationHealthSchema = z.object({
  ok: z
    .boolean()
    .describe('Connection works, the board has no known problem, no delivery is blocked or dead'),
  checkedAt: TimestampSchema.nullable().describe('The last health check'),
  alarm: z
    .object({ since: TimestampSchema, codes: z.array(z.string()) })
    .nullable()
    .describe('Raised when a check found the integration broken; null when all is well'),
  connection: z.object({
    status: z.enum(['ok', 'broken', 'none']).describe('`none`: no connection saved'),
    checkedAt: TimestampSchema.nullable(),
    problems: z.array(HealthProblemSchema),
  }),
  board: z.object({
    status: z
      .enum(['ok', 'problems', 'unknown', 'none'])
      .describe('`none`: no board chosen; `unknown`: not checked yet'),
    name: z.string().nullable(),
    problems: z.array(HealthProblemSchema),
  }),
  delivery: DeliveryStatusSchema,
  companySync: CompanySyncStateSchema.nullable(),
  tracking: z.object({
    openTickets: z.number().int(),
    lastPolledAt: TimestampSchema.nullable(),
    lagSeconds: z
      .number()
      .int()
      .nullable()
      .describe("Age of the stalest open ticket's last look; null without open tickets"),
    lastError: z.string().nullable(),
  }),
});
export type IntegrationHealthView = z.infer<typeof IntegrationHealthSchema>;

export const getIntegrationHealthEndpoint = defineEndpoint({
  method: 'GET',
  path: '/api/v1/health',
  summary: "The integration's health: connection, board, delivery, company sync, tracking",
  tags: ['health'],
  access: 'viewer',
  status: 200,
  response: IntegrationHealthSchema,
});
