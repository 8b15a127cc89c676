/** Schemas shared by several endpoints. */
import { z } from 'zod';

export const RoleSchema = z.enum(['admin', 'viewer']);

/** An ISO-8601 UTC timestamp, as stored. */
export const TimestampSchema = z.iso.datetime();

/** A row id (`usr_…`, `tok_…`): path parameters are checked for shape before any query. */
export const IdSchema = z.string().regex(/^[a-z]{2,8}_[0-9A-Z]{26}$/, 'not a valid id');

export const IdParamsSchema = z.object({ id: IdSchema });
