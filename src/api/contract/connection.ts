/**
 * Settings › ConnectWise Manage: the API member's credentials and their check, the service
 * boards and priorities ConnectWise offers, and the board settings tickets are written with.
 * The private key goes in and never comes out: no answer carries it.
 */
import { z } from 'zod';
import { TimestampSchema } from './common.js';
import { defineEndpoint } from './endpoint.js';

const tags = ['connectwise'];

/** A ConnectWise record id (boards, statuses, priorities…). */
const CwIdSchema = z.number().int().positive();

export const NamedRefSchema = z.object({ id: z.number().int(), name: z.string() });

/** What stops the integration, with a stable `code` to branch on and what to do about it. */
export const ProblemSchema = z.object({
  code: z.string().describe('Stable, e.g. `wrong_keys`, `permission_missing`, `board_inactive`'),
  message: z.string(),
  fix: z.string().describe('What to do about it'),
  field: z.string().optional().describe('The field it concerns; empty for none in particular'),
});
export type ProblemView = z.infer<typeof ProblemSchema>;

// ---- Connection ------------------------------------------------------------------------------

export const ConnectionInputSchema = z.object({
  site: z
    .string()
    .trim()
    .min(1)
    .max(255)
    .describe('The host you sign in to ConnectWise on, e.g. `na.myconnectwise.net`'),
  companyId: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .describe('The company ID of the ConnectWise login screen (case-sensitive)'),
  publicKey: z.string().trim().min(1).max(200),
  privateKey: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Write-only. Leave it out to keep the saved private key'),
});
export type ConnectionInputBody = z.input<typeof ConnectionInputSchema>;

export const CheckStepSchema = z.object({
  name: z.enum(['site', 'keys', 'permissions']),
  status: z.enum(['passed', 'failed', 'skipped']),
  message: z.string(),
});

export const PermissionLineSchema = z.object({
  fn: z.string().describe('Module function key, e.g. `serviceTickets`'),
  action: z.enum(['add', 'edit', 'delete', 'inquire']),
  label: z.string().describe('e.g. `Service Desk › Service Tickets › Add Level: All`'),
  status: z.enum(['granted', 'missing', 'unchecked']),
  message: z.string(),
});

export const ConnectionCheckSchema = z.object({
  ok: z.boolean(),
  checkedAt: TimestampSchema,
  site: z.string(),
  companyId: z.string(),
  apiBase: z.string().nullable(),
  codebase: z.string().nullable(),
  companyName: z.string().nullable(),
  version: z.string().nullable(),
  steps: z.array(CheckStepSchema).describe('site, keys, permissions: in the order they run'),
  permissions: z.array(PermissionLineSchema).describe('One line per required permission'),
  problems: z.array(ProblemSchema).describe('Empty exactly when `ok`'),
});
export type ConnectionCheckView = z.infer<typeof ConnectionCheckSchema>;

export const ConnectionSchema = z.object({
  site: z.string(),
  companyId: z.string(),
  publicKeyMasked: z.string().describe('e.g. `Demo••••••••001`'),
  apiBase: z.string(),
  codebase: z.string(),
  status: z.enum(['ok', 'broken']),
  lastCheck: ConnectionCheckSchema.nullable(),
  checkedAt: TimestampSchema.nullable(),
  createdAt: TimestampSchema,
  updatedAt: TimestampSchema,
});
export type ConnectionViewBody = z.infer<typeof ConnectionSchema>;

export const getConnection = defineEndpoint({
  method: 'GET',
  path: '/api/v1/connectwise/connection',
  summary: 'The saved ConnectWise connection (null when none)',
  tags,
  access: 'viewer',
  status: 200,
  response: z.object({ connection: ConnectionSchema.nullable() }),
});

/** Authenticates and, only when every check passes, saves. A failed check answers 400. */
export const saveConnection = defineEndpoint({
  method: 'PUT',
  path: '/api/v1/connectwise/connection',
  summary: 'Authenticate and save the ConnectWise connection',
  description:
    'Runs the connection check (site and company, keys and clientId, every required ' +
    'permission) and saves only when it passes. Otherwise answers 400 `validation_failed` ' +
    'with one entry per problem; `POST …/connection/check` gives the full report.',
  tags,
  access: 'admin',
  body: ConnectionInputSchema,
  status: 200,
  response: z.object({ connection: ConnectionSchema, check: ConnectionCheckSchema }),
});

/** "Authenticate" without saving; with no body, re-checks the saved connection and records it. */
export const checkConnection = defineEndpoint({
  method: 'POST',
  path: '/api/v1/connectwise/connection/check',
  summary: 'Check ConnectWise credentials without saving them',
  description:
    'With a body: checks those credentials and saves nothing. Without a body: checks the ' +
    'saved connection again and records the outcome as its status.',
  tags,
  access: 'admin',
  body: ConnectionInputSchema.nullish(),
  status: 200,
  response: z.object({ check: ConnectionCheckSchema }),
});

/** Removes the connection and the board settings with it. */
export const deleteConnection = defineEndpoint({
  method: 'DELETE',
  path: '/api/v1/connectwise/connection',
  summary: 'Remove the ConnectWise connection',
  tags,
  access: 'admin',
  status: 204,
  response: null,
});

// ---- Boards and priorities -------------------------------------------------------------------

export const BoardSummarySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  inactive: z.boolean(),
  project: z.boolean().describe('A project board: service tickets cannot go there'),
});

const ChoiceSchema = NamedRefSchema.extend({ inactive: z.boolean() });

export const BoardOptionsSchema = z.object({
  board: BoardSummarySchema.extend({ hasDefaultTeam: z.boolean() }),
  types: z.array(ChoiceSchema.extend({ default: z.boolean() })),
  subtypes: z.array(ChoiceSchema),
  items: z.array(ChoiceSchema),
  combinations: z
    .array(
      z.object({
        type: NamedRefSchema,
        subtype: NamedRefSchema.nullable(),
        item: NamedRefSchema.nullable(),
      }),
    )
    .describe('Only the type/subtype/item combinations the board allows'),
  statuses: z.array(ChoiceSchema.extend({ default: z.boolean(), closed: z.boolean() })),
  teams: z.array(NamedRefSchema.extend({ default: z.boolean() })),
});
export type BoardOptionsView = z.infer<typeof BoardOptionsSchema>;

export const PrioritySchema = z.object({
  id: z.number().int(),
  name: z.string(),
  default: z.boolean(),
  sortOrder: z.number().nullable(),
});

export const listBoards = defineEndpoint({
  method: 'GET',
  path: '/api/v1/connectwise/boards',
  summary: 'Service boards in ConnectWise',
  tags,
  access: 'viewer',
  status: 200,
  response: z.object({ boards: z.array(BoardSummarySchema) }),
});

export const getBoardOptions = defineEndpoint({
  method: 'GET',
  path: '/api/v1/connectwise/boards/:id/options',
  summary: "A board's types, subtypes, items, allowed combinations, statuses and teams",
  tags,
  access: 'viewer',
  params: z.object({ id: z.coerce.number().int().positive() }),
  status: 200,
  response: BoardOptionsSchema,
});

export const listPriorities = defineEndpoint({
  method: 'GET',
  path: '/api/v1/connectwise/priorities',
  summary: 'Ticket priorities in ConnectWise',
  tags,
  access: 'viewer',
  status: 200,
  response: z.object({ priorities: z.array(PrioritySchema) }),
});

// ---- Board settings --------------------------------------------------------------------------

const PrioritiesByIdSchema = z.object({
  critical: CwIdSchema,
  high: CwIdSchema,
  medium: CwIdSchema,
  low: CwIdSchema,
});

export const BoardSelectionSchema = z.object({
  boardId: CwIdSchema,
  typeId: CwIdSchema,
  subtypeId: CwIdSchema.nullable().default(null),
  itemId: CwIdSchema.nullable().default(null),
  newStatusId: CwIdSchema.describe('The status new tickets get: an open, active status'),
  closedStatusId: CwIdSchema.describe('The status the bridge closes tickets with: a closed status'),
  teamId: CwIdSchema.nullable().default(null).describe("Null: the board's default team"),
  priorities: PrioritiesByIdSchema.describe('The ConnectWise priority id per severity'),
});
export type BoardSelectionBody = z.input<typeof BoardSelectionSchema>;

export const BoardSettingsSchema = z.object({
  board: NamedRefSchema,
  type: NamedRefSchema,
  subtype: NamedRefSchema.nullable(),
  item: NamedRefSchema.nullable(),
  newStatus: NamedRefSchema,
  closedStatus: NamedRefSchema,
  team: NamedRefSchema.nullable().describe("Null: the board's default team"),
  priorities: z.object({
    critical: NamedRefSchema,
    high: NamedRefSchema,
    medium: NamedRefSchema,
    low: NamedRefSchema,
  }),
  updatedAt: TimestampSchema,
});
export type BoardSettingsView = z.infer<typeof BoardSettingsSchema>;

export const getBoardSettings = defineEndpoint({
  method: 'GET',
  path: '/api/v1/connectwise/board-settings',
  summary: 'The saved service-board settings (null when none)',
  tags,
  access: 'viewer',
  status: 200,
  response: z.object({ boardSettings: BoardSettingsSchema.nullable() }),
});

/** Checked against ConnectWise first; a refusal answers 400 naming each field and the fix. */
export const saveBoardSettings = defineEndpoint({
  method: 'PUT',
  path: '/api/v1/connectwise/board-settings',
  summary: 'Save the service-board settings',
  description:
    'Refused (400 `validation_failed`, one entry per problem) when the board is inactive or ' +
    'has no default team, a status is inactive, the new status is closed, the closed status ' +
    'is not closed, the type/subtype/item combination is not allowed, or anything chosen no ' +
    'longer exists.',
  tags,
  access: 'admin',
  body: BoardSelectionSchema,
  status: 200,
  response: z.object({ boardSettings: BoardSettingsSchema }),
});
