/** Users of the caller's account (admins only). */
import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../accounts/password-policy.js';
import { IdParamsSchema, IdSchema, RoleSchema, TimestampSchema } from './common.js';
import { defineEndpoint } from './endpoint.js';

export const UserSchema = z.object({
  id: IdSchema,
  email: z.string(),
  displayName: z.string(),
  role: RoleSchema,
  disabled: z.boolean(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type UserView = z.infer<typeof UserSchema>;

const EmailSchema = z.email().max(320);
const DisplayNameSchema = z.string().trim().min(1).max(200);
/** The password rule; the server checks it again with `passwordProblem`. */
export const PasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `use at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `use at most ${MAX_PASSWORD_LENGTH} characters`);

export const CreateUserSchema = z.object({
  email: EmailSchema,
  displayName: DisplayNameSchema,
  role: RoleSchema.default('viewer'),
  password: PasswordSchema,
});

export const UpdateUserSchema = z
  .object({
    email: EmailSchema.optional(),
    displayName: DisplayNameSchema.optional(),
    role: RoleSchema.optional(),
    disabled: z.boolean().optional(),
    password: PasswordSchema.optional(),
  })
  .refine((changes) => Object.values(changes).some((v) => v !== undefined), {
    error: 'give at least one of email, displayName, role, disabled, password',
  });

export const listUsers = defineEndpoint({
  method: 'GET',
  path: '/api/v1/users',
  summary: 'List users',
  tags: ['users'],
  access: 'admin',
  status: 200,
  response: z.object({ users: z.array(UserSchema) }),
});

/** Creates a user; `409 conflict` when the email is taken anywhere in the install. */
export const createUser = defineEndpoint({
  method: 'POST',
  path: '/api/v1/users',
  summary: 'Create a user',
  tags: ['users'],
  access: 'admin',
  body: CreateUserSchema,
  status: 201,
  response: UserSchema,
});

/**
 * Changes a user. Disabling or a new password signs them out everywhere; `409 conflict` when
 * the change would leave the account without an enabled admin.
 */
export const updateUser = defineEndpoint({
  method: 'PATCH',
  path: '/api/v1/users/:id',
  summary: 'Change a user',
  tags: ['users'],
  access: 'admin',
  params: IdParamsSchema,
  body: UpdateUserSchema,
  status: 200,
  response: UserSchema,
});

/** Deletes a user; `409 conflict` for the account's last enabled admin. */
export const deleteUser = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/users/:id',
  summary: 'Delete a user',
  tags: ['users'],
  access: 'admin',
  params: IdParamsSchema,
  status: 204,
  response: null,
});
