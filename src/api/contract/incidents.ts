/**
 * Incidents: one backup problem (company + device + condition, or a company-wide storm) across
 * all the tickets it had, with its state, counts, ticket and why its delivery is blocked.
 */
import { z } from 'zod';
import { TimestampSchema } from './common.js';
import { defineEndpoint } from './endpoint.js';
import {
  ConnectWiseTimeSchema,
  PagingQuerySchema,
  TicketCompanySchema,
  TicketSchema,
} from './tickets.js';

const tags = ['incidents'];

/** The incident states (see the domain's `INCIDENT_STATES`). */
export const IncidentStateSchema = z.enum([
  'pending',
  'open',
  'recovering',
  'resolved',
  'closedExternally',
  'suppressed',
  'rolledUp',
]);

export const ConditionSchema = z.enum(['backup', 'device', 'restore', 'quota']);

export const IncidentSchema = z.object({
  incidentKey: z.string(),
  kind: z.enum(['device', 'storm']),
  company: TicketCompanySchema,
  condition: ConditionSchema,
  device: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  state: IncidentStateSchema,
  stateSince: TimestampSchema,
  suppressedReason: z.enum(['companyOff', 'quiet']).nullable(),
  priority: z.enum(['critical', 'high', 'medium', 'low']).nullable(),
  firstSeenAt: TimestampSchema.nullable().describe('First problem of the current (or last) run'),
  lastSeenAt: TimestampSchema.nullable().describe('Last problem of the current (or last) run'),
  counts: z.object({
    problems: z.number().int().describe('Problem events of the current (or last) run'),
    recoveries: z.number().int().describe('Recoveries in a row since the last problem'),
    devices: z.number().int().describe('Devices a storm carries'),
  }),
  lastProblemAt: TimestampSchema.nullable(),
  lastRecoveryAt: TimestampSchema.nullable(),
  resolvedAt: TimestampSchema.nullable(),
  ticket: z
    .object({
      ticketId: z.number().int().nullable().describe('Null until the create is delivered'),
      generation: z.number().int(),
      status: z.string().nullable().describe('The live ConnectWise status, as last seen'),
      closed: z.boolean().nullable(),
      closedBy: z.enum(['bridge', 'technician']).nullable(),
      closedAt: ConnectWiseTimeSchema.nullable(),
      deleted: z.boolean(),
      url: z.string().nullable(),
    })
    .nullable(),
  blocked: z
    .object({ reason: z.string(), fix: z.string().nullable() })
    .nullable()
    .describe('Why delivery is blocked and what fixes it; null when it is not'),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});

export const IncidentDetailSchema = IncidentSchema.extend({
  tickets: z.array(TicketSchema).describe('Every ticket the incident had, oldest first'),
  lastProblem: z
    .object({
      type: z.string(),
      occurredAt: TimestampSchema,
      errorCode: z.string().nullable(),
      message: z.string().nullable(),
    })
    .nullable(),
  members: z.array(
    z.object({
      deviceId: z.string(),
      deviceName: z.string().nullable(),
      joinedAt: TimestampSchema,
      recoveredAt: TimestampSchema.nullable(),
    }),
  ),
});

const flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const ListIncidentsQuerySchema = PagingQuerySchema.extend({
  company: z.string().min(1).max(200).optional().describe('Console company name, any case'),
  state: IncidentStateSchema.optional(),
  condition: ConditionSchema.optional(),
  blocked: flag.optional().describe('`true`: only blocked incidents; `false`: none of them'),
});

export const IncidentListSchema = z.object({
  incidents: z.array(IncidentSchema),
  nextCursor: z
    .string()
    .nullable()
    .describe('Pass as `cursor` for the next page; null on the last'),
});

export const listIncidentsEndpoint = defineEndpoint({
  method: 'GET',
  path: '/api/v1/incidents',
  summary: 'Incidents with their state, ticket and blocked reason',
  tags,
  access: 'viewer',
  query: ListIncidentsQuerySchema,
  status: 200,
  response: IncidentListSchema,
});

export const IncidentKeyParamsSchema = z.object({
  key: z.string().min(1).max(1000).describe('The incident key, URL-encoded (it contains `/`)'),
});

export const getIncidentEndpoint = defineEndpoint({
  method: 'GET',
  path: '/api/v1/incidents/:key',
  summary: 'One incident with its tickets',
  tags,
  access: 'viewer',
  params: IncidentKeyParamsSchema,
  status: 200,
  response: IncidentDetailSchema,
});
