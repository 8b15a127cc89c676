/**
 * Incident rules: which problems become tickets, with what priority and summary, when they close,
 * reopen or roll up into a storm. `DEFAULT_RULES` is what an account starts with; an admin's
 * override (console, config file) is a partial object validated by `RulesOverrideSchema` and merged
 * over the defaults by `resolveRules`.
 */
import { z } from 'zod';
import { CONDITIONS, PROBLEM_EVENT_TYPES, SEVERITIES } from './conditions.js';
import type { Condition, ProblemEventType, Severity } from './conditions.js';
import { RulesValidationError } from './errors.js';
import type { RulesIssue } from './errors.js';
import { normalizeCompany } from './incident-key.js';
import { renderTemplate, templateProblems } from './templates.js';
import type { TemplateView } from './templates.js';

/** What happens when a technician closes a ticket while the problem goes on. */
export const CLOSED_WHILE_FAILING_POLICIES = ['reopen', 'new', 'quiet'] as const;

/**
 * - `reopen`: the next problem reopens the ticket if it comes within `reopenWindowHours` of the
 *   close, else a new ticket is created that names the old one.
 * - `new`: the next problem creates a new ticket that names the old one.
 * - `quiet`: stay quiet while the problem is the same (same event type and error code); a problem
 *   not seen before creates a new ticket that names the old one.
 */
export type ClosedWhileFailingPolicy = (typeof CLOSED_WHILE_FAILING_POLICIES)[number];

/** Rules of one problem event type. */
export interface EventRule {
  /** Whether this type makes tickets at all; `false` makes the domain ignore such events. */
  ticket: boolean;
  /** Severity name the bridge maps to a ConnectWise priority. */
  priority: Severity;
  /** Mustache template of the ticket summary (variables: `TEMPLATE_VARIABLES`). */
  summaryTemplate: string;
  /** Problem events of this type in a row (no recovery between) before a ticket is made. */
  threshold: number;
}

/** Rules of one condition. */
export interface ConditionRule {
  /** Recovery events in a row that close the ticket (flap damping). Default 1. */
  closeAfterSuccesses: number;
  /** Repeats within this many minutes of the last note are counted into the next one. Default 60. */
  noteIntervalMinutes: number;
  /** A problem within this many hours of a close reopens the ticket. Default 24. */
  reopenWindowHours: number;
  /** What to do after a technician closed the ticket while failing. Default `reopen`. */
  closedWhileFailing: ClosedWhileFailingPolicy;
}

/** Storm roll-up: many devices of one company failing together make one ticket. */
export interface StormRule {
  /** Default true. */
  enabled: boolean;
  /** Devices failing within `windowMinutes` that make a storm. Default 5. */
  devices: number;
  /** Default 15. */
  windowMinutes: number;
  /**
   * Minutes a device ticket waits, once due, for a storm to form, so the first devices of a storm
   * do not get tickets of their own. 0 creates at once; fractions are allowed (0.5 is 30 s).
   * Default 5.
   */
  holdMinutes: number;
  /** Joins and repeats within this many minutes of the last storm note are batched. Default 5. */
  noteIntervalMinutes: number;
  /** Mustache template of the storm ticket's summary. */
  summaryTemplate: string;
}

/** Per-company settings; companies not listed use the defaults. */
export interface CompanyRule {
  /** `false` stops new tickets for the company; tickets already open are still kept up to date. */
  ticketing: boolean;
}

/** The complete rules of one account. Plain JSON data. */
export interface Rules {
  events: Record<ProblemEventType, EventRule>;
  conditions: Record<Condition, ConditionRule>;
  storm: StormRule;
  /** Keyed by company name; looked up case-insensitively (see `normalizeCompany`). */
  companies: Record<string, CompanyRule>;
}

/** The rules every account starts with. */
export const DEFAULT_RULES: Readonly<Rules> = Object.freeze({
  events: {
    'backup.failed': {
      ticket: true,
      priority: 'high',
      summaryTemplate:
        '{{device}}: backup failed{{#jobName}} ({{jobName}}){{/jobName}}{{#errorCode}} – {{errorCode}}{{/errorCode}}',
      threshold: 1,
    },
    'backup.warning': {
      ticket: true,
      priority: 'low',
      summaryTemplate:
        '{{device}}: backup warnings, {{count}} in a row{{#jobName}} ({{jobName}}){{/jobName}}',
      threshold: 3,
    },
    'backup.missed': {
      ticket: true,
      priority: 'high',
      summaryTemplate: '{{device}}: backup missed{{#jobName}} ({{jobName}}){{/jobName}}',
      threshold: 1,
    },
    'device.offline': {
      ticket: true,
      priority: 'medium',
      summaryTemplate: '{{device}}: device offline',
      threshold: 1,
    },
    'restore.failed': {
      ticket: true,
      priority: 'high',
      summaryTemplate:
        '{{device}}: restore failed{{#jobName}} ({{jobName}}){{/jobName}}{{#errorCode}} – {{errorCode}}{{/errorCode}}',
      threshold: 1,
    },
    'quota.exceeded': {
      ticket: true,
      priority: 'medium',
      summaryTemplate: '{{device}}: backup quota exceeded',
      threshold: 1,
    },
  },
  conditions: {
    backup: {
      closeAfterSuccesses: 1,
      noteIntervalMinutes: 60,
      reopenWindowHours: 24,
      closedWhileFailing: 'reopen',
    },
    device: {
      closeAfterSuccesses: 1,
      noteIntervalMinutes: 60,
      reopenWindowHours: 24,
      closedWhileFailing: 'reopen',
    },
    restore: {
      closeAfterSuccesses: 1,
      noteIntervalMinutes: 60,
      reopenWindowHours: 24,
      closedWhileFailing: 'reopen',
    },
    quota: {
      closeAfterSuccesses: 1,
      noteIntervalMinutes: 60,
      reopenWindowHours: 24,
      closedWhileFailing: 'reopen',
    },
  },
  storm: {
    enabled: true,
    devices: 5,
    windowMinutes: 15,
    holdMinutes: 5,
    noteIntervalMinutes: 5,
    summaryTemplate: '{{company}}: {{conditionLabel}} on {{deviceCount}} devices',
  },
  companies: {},
} satisfies Rules);

// A sample view used to prove a template renders to something: an empty summary is refused by
// ConnectWise (summary is required, connectwise-api.md §3.5).
const SAMPLE_VIEW: TemplateView = {
  company: 'ACME',
  device: 'ACME-FS01',
  deviceName: 'ACME-FS01',
  deviceId: 'dev-42',
  os: 'Windows Server 2022',
  jobName: 'Nightly',
  jobId: 'job-9',
  errorCode: 'VSS_0x8004230f',
  message: 'Snapshot failed',
  eventType: 'backup.failed',
  eventLabel: 'backup failed',
  condition: 'backup',
  conditionLabel: 'backup problems',
  count: 1,
  deviceCount: 5,
  firstSeen: '2026-12-03 10:00 UTC',
  lastSeen: '2026-12-03 10:00 UTC',
};

const summaryTemplate = z
  .string({ error: 'summaryTemplate must be text' })
  .max(1000, 'summaryTemplate must be at most 1,000 characters')
  .superRefine((template, ctx) => {
    const problems = templateProblems(template);
    for (const problem of problems) {
      ctx.addIssue({ code: 'custom', message: `summaryTemplate ${problem}` });
    }
    if (problems.length === 0 && renderTemplate(template, SAMPLE_VIEW).trim() === '') {
      ctx.addIssue({
        code: 'custom',
        message: 'summaryTemplate renders an empty summary; ConnectWise requires one',
      });
    }
  });

function minutesNumber(name: string, min: number, max: number) {
  const message = `${name} must be a number of minutes from ${min} to ${max} (fractions allowed, e.g. 0.5)`;
  return z.number({ error: message }).min(min, message).max(max, message);
}

function wholeNumber(name: string, min: number, max: number) {
  const message = `${name} must be a whole number from ${min} to ${max}`;
  return z.number({ error: message }).int(message).min(min, message).max(max, message);
}

const EventRuleOverrideSchema = z.strictObject({
  ticket: z.boolean({ error: 'ticket must be true or false' }).optional(),
  priority: z
    .enum(SEVERITIES, { error: `priority must be one of ${SEVERITIES.join(', ')}` })
    .optional(),
  summaryTemplate: summaryTemplate.optional(),
  threshold: wholeNumber('threshold', 1, 1000).optional(),
});

const ConditionRuleOverrideSchema = z.strictObject({
  closeAfterSuccesses: wholeNumber('closeAfterSuccesses', 1, 100).optional(),
  noteIntervalMinutes: wholeNumber('noteIntervalMinutes', 0, 10_080).optional(),
  reopenWindowHours: wholeNumber('reopenWindowHours', 0, 8_760).optional(),
  closedWhileFailing: z
    .enum(CLOSED_WHILE_FAILING_POLICIES, {
      error: `closedWhileFailing must be one of ${CLOSED_WHILE_FAILING_POLICIES.join(', ')}`,
    })
    .optional(),
});

const StormRuleOverrideSchema = z.strictObject({
  enabled: z.boolean({ error: 'enabled must be true or false' }).optional(),
  devices: wholeNumber('devices', 2, 10_000).optional(),
  windowMinutes: wholeNumber('windowMinutes', 1, 1440).optional(),
  // Fractions allowed: a hold is a trade of ticket latency against roll-up, and seconds matter.
  holdMinutes: minutesNumber('holdMinutes', 0, 1440).optional(),
  noteIntervalMinutes: wholeNumber('noteIntervalMinutes', 0, 1440).optional(),
  summaryTemplate: summaryTemplate.optional(),
});

const CompanyRuleSchema = z.strictObject({
  ticketing: z.boolean({ error: 'ticketing must be true or false' }),
});

function keyedBy<K extends string, S extends z.ZodType>(keys: readonly K[], schema: S) {
  const shape = Object.fromEntries(keys.map((key) => [key, schema.optional()])) as {
    [P in K]: z.ZodOptional<S>;
  };
  return z.strictObject(shape);
}

/**
 * zod schema of an admin's rules override: every part optional, unknown keys refused, templates
 * checked for syntax and variables. Merge the result over `DEFAULT_RULES` with `resolveRules`.
 */
export const RulesOverrideSchema = z.strictObject({
  events: keyedBy(PROBLEM_EVENT_TYPES, EventRuleOverrideSchema).optional(),
  conditions: keyedBy(CONDITIONS, ConditionRuleOverrideSchema).optional(),
  storm: StormRuleOverrideSchema.optional(),
  companies: z
    .record(z.string(), CompanyRuleSchema)
    .superRefine((companies, ctx) => {
      for (const name of Object.keys(companies)) {
        if (name.trim() === '') {
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'company names must not be empty',
          });
        }
      }
    })
    .optional(),
});

/** A validated, partial rules override. */
export type RulesOverride = z.output<typeof RulesOverrideSchema>;

/** Result of `parseRulesOverride`. */
export type RulesOverrideResult =
  { ok: true; override: RulesOverride } | { ok: false; issues: RulesIssue[] };

/**
 * Validates an admin's override without throwing; `issues` carry dotted paths such as
 * `events.backup.warning.threshold` (the event type's own dot is kept).
 */
export function parseRulesOverride(input: unknown): RulesOverrideResult {
  const parsed = RulesOverrideSchema.safeParse(input);
  if (parsed.success) return { ok: true, override: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  };
}

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

// Keys the admin left out must not overwrite defaults with `undefined`.
function withoutUndefined<T extends object>(value: T | undefined): Defined<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}

/**
 * The full rules: `override` merged over `base` (default `DEFAULT_RULES`), setting by setting.
 * Accepts unvalidated input and throws `RulesValidationError` listing every problem.
 *
 * @example resolveRules({ events: { 'backup.warning': { threshold: 5 } } }).events['backup.warning'].threshold // 5
 */
export function resolveRules(override: unknown = {}, base: Readonly<Rules> = DEFAULT_RULES): Rules {
  const parsed = parseRulesOverride(override);
  if (!parsed.ok) throw new RulesValidationError(parsed.issues);
  const o = parsed.override;

  const events = {} as Record<ProblemEventType, EventRule>;
  for (const type of PROBLEM_EVENT_TYPES) {
    events[type] = { ...base.events[type], ...withoutUndefined(o.events?.[type]) };
  }
  const conditions = {} as Record<Condition, ConditionRule>;
  for (const condition of CONDITIONS) {
    conditions[condition] = {
      ...base.conditions[condition],
      ...withoutUndefined(o.conditions?.[condition]),
    };
  }
  // fromEntries, not assignment: a company literally named `__proto__` must stay a plain key.
  const companies: Record<string, CompanyRule> = Object.fromEntries([
    ...Object.entries(base.companies).map(([name, rule]) => [name, { ...rule }] as const),
    ...Object.entries(o.companies ?? {}).map(([name, rule]) => [name, { ...rule }] as const),
  ]);

  return {
    events,
    conditions,
    storm: { ...base.storm, ...withoutUndefined(o.storm) },
    companies,
  };
}

/** Whether new tickets may be made for `company` (case-insensitive lookup; default true). */
export function companyTicketing(rules: Readonly<Rules>, company: string): boolean {
  if (Object.hasOwn(rules.companies, company)) return rules.companies[company]?.ticketing ?? true;
  const wanted = normalizeCompany(company);
  for (const [name, rule] of Object.entries(rules.companies)) {
    if (normalizeCompany(name) === wanted) return rule.ticketing;
  }
  return true;
}
