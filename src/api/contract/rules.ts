/**
 * The account's incident rules: which problems become tickets, with what priority and summary,
 * when they close, reopen or roll up into a storm. An admin stores an override (any part of the
 * rules); the answer shows the override and the complete rules it makes with the defaults.
 */
import { z } from 'zod';
import { TimestampSchema } from './common.js';
import { defineEndpoint } from './endpoint.js';

const SeveritySchema = z.enum(['critical', 'high', 'medium', 'low']);

const EventRuleSchema = z.object({
  ticket: z.boolean().describe('Whether this event type makes tickets at all'),
  priority: SeveritySchema,
  summaryTemplate: z.string().describe('Mustache template of the ticket summary'),
  threshold: z.number().int().describe('Problem events in a row before a ticket is made'),
});

const ConditionRuleSchema = z.object({
  closeAfterSuccesses: z.number().int(),
  noteIntervalMinutes: z.number().int(),
  reopenWindowHours: z.number().int(),
  closedWhileFailing: z.enum(['reopen', 'new', 'quiet']),
});

/** The complete rules of an account (defaults with the override applied). */
export const RulesSchema = z.object({
  events: z.object({
    'backup.failed': EventRuleSchema,
    'backup.warning': EventRuleSchema,
    'backup.missed': EventRuleSchema,
    'device.offline': EventRuleSchema,
    'restore.failed': EventRuleSchema,
    'quota.exceeded': EventRuleSchema,
  }),
  conditions: z.object({
    backup: ConditionRuleSchema,
    device: ConditionRuleSchema,
    restore: ConditionRuleSchema,
    quota: ConditionRuleSchema,
  }),
  storm: z.object({
    enabled: z.boolean(),
    devices: z.number().int(),
    windowMinutes: z.number().int(),
    holdMinutes: z.number().int(),
    noteIntervalMinutes: z.number().int(),
    summaryTemplate: z.string(),
  }),
  companies: z.record(z.string(), z.object({ ticketing: z.boolean() })),
});

/** An override: any part of {@link RulesSchema}; the server validates it setting by setting. */
export const RulesOverrideBodySchema = z
  .record(z.string(), z.unknown())
  .describe(
    'Any part of the rules, e.g. {"events":{"backup.warning":{"threshold":5}}}. Unknown keys are refused; {} restores the defaults.',
  );

export const RulesViewSchema = z.object({
  rules: RulesSchema,
  override: z.record(z.string(), z.unknown()),
  updatedAt: TimestampSchema.nullable().describe('When the override was saved; null if never'),
});
export type RulesView = z.infer<typeof RulesViewSchema>;

export const getRulesEndpoint = defineEndpoint({
  method: 'GET',
  path: '/api/v1/rules',
  summary: "The account's incident rules",
  tags: ['rules'],
  access: 'viewer',
  status: 200,
  response: RulesViewSchema,
});

/** Replaces the override; a bad setting gets `validation_failed` naming each one by path. */
export const putRulesEndpoint = defineEndpoint({
  method: 'PUT',
  path: '/api/v1/rules',
  summary: "Replace the account's rules override",
  tags: ['rules'],
  access: 'admin',
  body: RulesOverrideBodySchema,
  status: 200,
  response: RulesViewSchema,
});
