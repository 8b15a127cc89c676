/**
 * The Tickets tab: every ticket the bridge made, with its live ConnectWise status (as ticket
 * tracking last saw it), its incident, and a link that opens it in ConnectWise.
 */
import { z } from 'zod';
import { TimestampSchema } from './common.js';
import { defineEndpoint } from './endpoint.js';

const tags = ['tickets'];

/**
 * Paging of the read lists: newest first; continue with the answer's `nextCursor`, or skip
 * with `offset`.
 */
export const PagingQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50).describe('Items per page'),
  cursor: z
    .string()
    .max(200)
    .optional()
    .describe('The `nextCursor` of the previous page; continues after it'),
  offset: z.coerce
    .number()
    .int()
    .min(0)
    .max(1_000_000)
    .optional()
    .describe('Items to skip (ignored with a cursor)'),
});

/** A time ConnectWise gave (ISO-8601; kept as ConnectWise wrote it). */
export const ConnectWiseTimeSchema = z.string().describe('ISO-8601, as ConnectWise gave it');

export const TicketCompanySchema = z.object({
  id: z.string().describe('The console company (`companies.id`)'),
  name: z.string().describe('The console company name, as events name it'),
});

export const TicketSchema = z.object({
  id: z.string().describe("The bridge's record of the ticket"),
  ticketId: z.number().int().describe('The ConnectWise ticket id'),
  summary: z.string(),
  company: TicketCompanySchema,
  incidentKey: z.string(),
  externalXRef: z.string().describe('The correlation key written on the ticket'),
  status: z.string().nullable().describe('The live ConnectWise status name, as last seen'),
  closed: z.boolean(),
  closedAt: ConnectWiseTimeSchema.nullable(),
  mergedIntoTicketId: z
    .number()
    .int()
    .nullable()
    .describe('The ticket a technician merged this one into; its incident follows that one'),
  recordType: z.enum(['service', 'project']),
  board: z.string().nullable().describe('The ConnectWise board, as last seen'),
  deletedAt: TimestampSchema.nullable().describe('When tracking found it gone from ConnectWise'),
  createdAt: TimestampSchema,
  lastCheckedAt: TimestampSchema.nullable().describe('When tracking last looked at it'),
  url: z.string().nullable().describe('Opens the ticket in ConnectWise'),
  mergedIntoUrl: z.string().nullable().describe('Opens the ticket it was merged into'),
});
export type TicketItem = z.infer<typeof TicketSchema>;

export const ListTicketsQuerySchema = PagingQuerySchema.extend({
  company: z.string().min(1).max(200).optional().describe('Console company name, any case'),
  status: z.string().min(1).max(100).optional().describe('ConnectWise status name, any case'),
  state: z
    .enum(['open', 'closed'])
    .optional()
    .describe('`open`: not closed and not deleted; `closed`: closed or deleted'),
});

export const TicketListSchema = z.object({
  tickets: z.array(TicketSchema),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the next page; null on the last'),
});

export const listTicketsEndpoint = defineEndpoint({
  method: 'GET',
  path: '/api/v1/tickets',
  summary: "The bridge's tickets with their live ConnectWise status",
  tags,
  access: 'viewer',
  query: ListTicketsQuerySchema,
  status: 200,
  response: TicketListSchema,
});

export const TicketIdParamsSchema = z.object({
  id: z.coerce.number().int().positive().describe('The ConnectWise ticket id'),
});

export const getTicketEndpoint = defineEndpoint({
  method: 'GET',
  path: '/api/v1/tickets/:id',
  summary: 'One ticket by its ConnectWise id',
  tags,
  access: 'viewer',
  params: TicketIdParamsSchema,
  status: 200,
  response: TicketSchema,
});
