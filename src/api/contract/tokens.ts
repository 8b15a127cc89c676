/** API tokens of the caller's account (admins only). */
import { z } from 'zod';
import { IdParamsSchema, IdSchema, RoleSchema, TimestampSchema } from './common.js';
import { defineEndpoint } from './endpoint.js';

export const ApiTokenSchema = z.object({
  id: IdSchema,
  name: z.string(),
  role: RoleSchema,
  hint: z.string().describe('The first characters of the token, to tell tokens apart'),
  createdByUserId: z.string().nullable(),
  createdAt: TimestampSchema,
  lastUsedAt: TimestampSchema.nullable(),
  revokedAt: TimestampSchema.nullable(),
});
export type ApiTokenView = z.infer<typeof ApiTokenSchema>;

export const CreateApiTokenSchema = z.object({
  name: z.string().trim().min(1).max(200),
  role: RoleSchema.default('viewer'),
});

export const CreatedApiTokenSchema = z.object({
  token: z.string().describe('The secret: shown this once, store it now'),
  apiToken: ApiTokenSchema,
});

export const listApiTokens = defineEndpoint({
  method: 'GET',
  path: '/api/v1/tokens',
  summary: 'List API tokens',
  tags: ['tokens'],
  access: 'admin',
  status: 200,
  response: z.object({ tokens: z.array(ApiTokenSchema) }),
});

/** Creates a token; the answer holds the secret, which is never shown again. */
export const createApiToken = defineEndpoint({
  method: 'POST',
  path: '/api/v1/tokens',
  summary: 'Create an API token',
  tags: ['tokens'],
  access: 'admin',
  body: CreateApiTokenSchema,
  status: 201,
  response: CreatedApiTokenSchema,
});

/** Revokes a token; it stops working at once. Revoking twice is not an error. */
export const revokeApiToken = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/tokens/:id',
  summary: 'Revoke an API token',
  tags: ['tokens'],
  access: 'admin',
  params: IdParamsSchema,
  status: 204,
  response: null,
});
