/**
 * Fault rules: what the sandbox does wrong on purpose, and to which requests. Validated with zod
 * because they also arrive over the admin API (`/__sandbox/faults`).
 */
import { z } from 'zod';

const match = {
  /** Set by the controller when omitted. */
  id: z.string().min(1).max(100).optional(),
  /** HTTP method; default any. */
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .optional(),
  /**
   * Path pattern, matched ignoring case: under `/apis/3.0` for API calls (`/service/tickets`,
   * `/service/tickets/*`, `/service/tickets/:id/notes`), else the full path
   * (`/login/companyinfo/*`). `*` is any run of characters, `:name` one segment. Default any.
   */
  path: z.string().startsWith('/').optional(),
  /** An endpoint name of `ENDPOINTS`, e.g. `createTicket`; default any. */
  endpoint: z.string().min(1).optional(),
  /** Act on the next N matching requests, then remove the rule. Default: until removed. */
  times: z.number().int().positive().optional(),
  /** Act on this share of matching requests (0 < f ≤ 1). Default 1. */
  fraction: z.number().gt(0).lte(1).optional(),
  /** `even` spreads the share deterministically (every 1/f-th request); `random` draws. */
  sampling: z.enum(['even', 'random']).default('even'),
};

const rule = z.discriminatedUnion('kind', [
  /** Wait before handling the request (it is then handled normally). */
  z.strictObject({
    ...match,
    kind: z.literal('latency'),
    latencyMs: z.number().int().min(0).max(600_000),
  }),
  /**
   * Answer with this status instead of handling the request. 429 gets ConnectWise's rate-limit
   * body and `Retry-After`; 500 a message containing "timeout"; 502/503/504 a gateway page.
   */
  z.strictObject({
    ...match,
    kind: z.literal('status'),
    status: z.number().int().min(400).max(599),
    /** Seconds for `Retry-After` (429 and 503). Default 1. */
    retryAfterSeconds: z.number().int().min(0).max(86_400).default(1),
    /** Replaces the default body: a string is sent as text, anything else as JSON. */
    body: z.unknown().optional(),
  }),
  /** Accept the request and never answer: close the connection after `holdMs`, or hold it until
   * the client gives up (or the sandbox closes) when `holdMs` is omitted. */
  z.strictObject({
    ...match,
    kind: z.literal('timeout'),
    holdMs: z.number().int().min(0).max(3_600_000).optional(),
  }),
  /** Close the connection at once, without handling the request (a connection reset). */
  z.strictObject({ ...match, kind: z.literal('reset') }),
  /** Handle the request (a write is committed), then close the connection without answering. */
  z.strictObject({ ...match, kind: z.literal('dropAfterCommit') }),
  /**
   * A token bucket: `burst` requests at once (default `requestsPerMinute`), refilled at
   * `requestsPerMinute`; a request finding it empty gets 429 with `Retry-After` (§6).
   */
  z.strictObject({
    ...match,
    kind: z.literal('rateLimit'),
    requestsPerMinute: z.number().positive().max(1_000_000),
    burst: z.number().int().positive().optional(),
  }),
]);

export const faultRuleSchema = rule;
export const faultRulesSchema = z.array(rule);

/** A fault rule as written (optional fields may be omitted). */
export type FaultRule = z.input<typeof faultRuleSchema>;
/** A fault rule after validation. */
export type ParsedFaultRule = z.output<typeof faultRuleSchema>;
