/**
 * Ingest tokens of the caller's account (admins only): the bearer tokens the backup platform
 * sends events with (`POST /api/v1/events`). The secret is in the create answer alone.
 */
import { z } from 'zod';
import { IdParamsSchema, IdSchema, TimestampSchema } from './common.js';
import { defineEndpoint } from './endpoint.js';

export const IngestTokenSchema = z.object({
  id: IdSchema,
  name: z.string(),
  hint: z.string().describe('The first characters of the token, to tell tokens apart'),
  createdAt: TimestampSchema,
  lastUsedAt: TimestampSchema.nullable().describe('Refreshed at most once a minute'),
  revokedAt: TimestampSchema.nullable(),
});
export type IngestTokenView = z.infer<typeof IngestTokenSchema>;

export const CreateIngestTokenSchema = z.object({
  name: z.string().trim().min(1).max(200).describe('Who sends with it, e.g. "Backup console"'),
});

export const CreatedIngestTokenSchema = z.object({
  token: z
    .string()
    .describe('The secret, for "Authorization: Bearer <token>": shown this once, store it now'),
  ingestToken: IngestTokenSchema,
});

export const listIngestTokens = defineEndpoint({
  method: 'GET',
  path: '/api/v1/ingest-tokens',
  summary: 'List ingest tokens',
  description: 'Every ingest token of the account, revoked ones included; never the secret.',
  tags: ['ingest-tokens'],
  access: 'admin',
  status: 200,
  response: z.object({ tokens: z.array(IngestTokenSchema) }),
});

/** Creates an ingest token; the answer holds the secret, which is never shown again. */
export const createIngestToken = defineEndpoint({
  method: 'POST',
  path: '/api/v1/ingest-tokens',
  summary: 'Create an ingest token',
  tags: ['ingest-tokens'],
  access: 'admin',
  body: CreateIngestTokenSchema,
  status: 201,
  response: CreatedIngestTokenSchema,
});

/** Revokes an ingest token; the next event request with it gets 401. Revoking twice is no error. */
export const revokeIngestToken = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/ingest-tokens/:id',
  summary: 'Revoke an ingest token',
  tags: ['ingest-tokens'],
  access: 'admin',
  params: IdParamsSchema,
  status: 204,
  response: null,
});
