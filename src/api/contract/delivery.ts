/**
 * Ticket delivery: how many jobs wait, run and are blocked, each blocked one with the reason and
 * the fix, and the retry of blocked deliveries once the cause is fixed.
 */
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.js';
import { defineEndpoint } from './endpoint.js';

export const BlockedDeliverySchema = z.object({
  jobId: IdSchema,
  kind: z.string().describe('`action` (a ticket action), `event` or `tick`'),
  incidentKey: z.string().nullable(),
  action: z.string().nullable().describe('create, note, close or reopen, for an action'),
  code: z.string().nullable().describe('Stable cause code, e.g. `permission_missing`'),
  reason: z.string(),
  fix: z.string().nullable(),
  attempts: z.number().int(),
  since: TimestampSchema,
  waiting: z.number().int().describe('Jobs of the same incident waiting behind this one'),
});

export const DeliveryStatusSchema = z.object({
  queued: z.number().int(),
  running: z.number().int(),
  blocked: z.number().int(),
  dead: z.number().int(),
  blockedJobs: z.array(BlockedDeliverySchema),
});
export type DeliveryStatusView = z.infer<typeof DeliveryStatusSchema>;

export const getDeliveryEndpoint = defineEndpoint({
  method: 'GET',
  path: '/api/v1/delivery',
  summary: 'Delivery status: queued, running and blocked jobs',
  tags: ['delivery'],
  access: 'viewer',
  status: 200,
  response: DeliveryStatusSchema,
});

export const RetryDeliveryBodySchema = z.strictObject({
  incidentKey: z.string().min(1).max(1000).optional(),
  jobId: IdSchema.optional(),
});

/** Puts blocked jobs back in the queue at once (all of the account's, or one incident's or job's). */
export const retryDeliveryEndpoint = defineEndpoint({
  method: 'POST',
  path: '/api/v1/delivery/retry',
  summary: 'Retry blocked deliveries now',
  tags: ['delivery'],
  access: 'admin',
  body: RetryDeliveryBodySchema,
  status: 200,
  response: z.object({ requeued: z.number().int() }),
});
