/** Liveness and readiness for load balancers and orchestrators. */
import { z } from 'zod';
import { defineEndpoint } from './endpoint.js';

export const HealthSchema = z.object({
  status: z.literal('ok'),
  database: z.literal('ok'),
});

/** `200` when the service and its database answer; `503 unavailable` otherwise. */
export const getHealth = defineEndpoint({
  method: 'GET',
  path: '/healthz',
  summary: 'Service and database health',
  tags: ['health'],
  access: 'public',
  status: 200,
  response: HealthSchema,
});
