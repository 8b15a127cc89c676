/**
 * The live set of fault rules and the decision for each request. Rules are checked in order:
 * every matching `latency` adds its delay, `dropAfterCommit` marks the request, and the first
 * matching rule that answers instead of the handler (`status`, `timeout`, `reset`, or an empty
 * `rateLimit` bucket) ends the search.
 */
import type { FaultRule, ParsedFaultRule } from './fault-rule.js';
import { faultRuleSchema } from './fault-rule.js';

/** A rule as listed: the rule, how often it acted, and how many more times it will. */
export interface ActiveFault {
  readonly rule: ParsedFaultRule & { id: string };
  readonly fired: number;
  readonly remaining?: number;
}

/** What to do to one request. */
export interface FaultDecision {
  latencyMs: number;
  dropAfterCommit: boolean;
  /** Answer instead of handling. */
  terminal?:
    | { kind: 'status'; status: number; retryAfterSeconds: number; body?: unknown }
    | { kind: 'timeout'; holdMs?: number }
    | { kind: 'reset' };
  /** Ids of the rules that acted. */
  ruleIds: string[];
}

/** The request facts rules match on. */
export interface FaultTarget {
  readonly method: string;
  /** Under `/apis/3.0` for API calls, else the full path. */
  readonly path: string;
  readonly endpoint?: string;
}

/** Thrown for an invalid rule; `issues` name each problem. */
export class FaultRuleError extends Error {
  constructor(
    readonly issues: { path: string; message: string }[],
    options?: { cause?: unknown },
  ) {
    super(
      `Invalid fault rule: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      options,
    );
    this.name = 'FaultRuleError';
  }
}

interface Entry {
  rule: ParsedFaultRule & { id: string };
  pattern?: RegExp;
  fired: number;
  remaining?: number;
  credit: number;
  tokens: number;
  refilledAt: number;
}

export class FaultController {
  #entries: Entry[] = [];
  #counter = 0;
  readonly #clock: () => number;

  /** @param clock milliseconds for the rate-limit buckets; default `performance.now`. */
  constructor(rules: readonly FaultRule[] = [], clock: () => number = () => performance.now()) {
    this.#clock = clock;
    for (const rule of rules) this.add(rule);
  }

  /** Adds a rule at the end; returns its id. @throws FaultRuleError */
  add(rule: FaultRule): string {
    const parsed = parseRule(rule);
    const id = parsed.id ?? `fault-${++this.#counter}`;
    this.#entries = this.#entries.filter((e) => e.rule.id !== id);
    this.#entries.push({
      rule: { ...parsed, id },
      ...(parsed.path !== undefined ? { pattern: pathPattern(parsed.path) } : {}),
      fired: 0,
      ...(parsed.times !== undefined ? { remaining: parsed.times } : {}),
      credit: 0,
      tokens: parsed.kind === 'rateLimit' ? (parsed.burst ?? parsed.requestsPerMinute) : 0,
      refilledAt: this.#clock(),
    });
    return id;
  }

  /** Replaces every rule; returns their ids. @throws FaultRuleError (and changes nothing) */
  set(rules: readonly FaultRule[]): string[] {
    rules.forEach((rule, i) => {
      try {
        parseRule(rule);
      } catch (error) {
        if (!(error instanceof FaultRuleError)) throw error;
        throw new FaultRuleError(
          error.issues.map((x) => ({ ...x, path: `[${i}]${x.path.slice(1)}` })),
          { cause: error },
        );
      }
    });
    this.#entries = [];
    return rules.map((rule) => this.add(rule));
  }

  remove(id: string): boolean {
    const before = this.#entries.length;
    this.#entries = this.#entries.filter((e) => e.rule.id !== id);
    return this.#entries.length < before;
  }

  clear(): void {
    this.#entries = [];
  }

  list(): ActiveFault[] {
    return this.#entries.map((e) => ({
      rule: { ...e.rule },
      fired: e.fired,
      ...(e.remaining !== undefined ? { remaining: e.remaining } : {}),
    }));
  }

  /** Decides what happens to one request, consuming `times` and bucket tokens. */
  decide(target: FaultTarget): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, dropAfterCommit: false, ruleIds: [] };
    for (const entry of [...this.#entries]) {
      if (!this.#matches(entry, target)) continue;
      const rule = entry.rule;
      if (rule.kind === 'rateLimit') {
        const retryAfter = this.#take(
          entry,
          rule.requestsPerMinute,
          rule.burst ?? rule.requestsPerMinute,
        );
        if (retryAfter === undefined || !this.#sample(entry)) continue;
        this.#fire(entry, decision);
        decision.terminal = { kind: 'status', status: 429, retryAfterSeconds: retryAfter };
        break;
      }
      if (!this.#sample(entry)) continue;
      this.#fire(entry, decision);
      if (rule.kind === 'latency') decision.latencyMs += rule.latencyMs;
      else if (rule.kind === 'dropAfterCommit') decision.dropAfterCommit = true;
      else {
        decision.terminal =
          rule.kind === 'status'
            ? {
                kind: 'status',
                status: rule.status,
                retryAfterSeconds: rule.retryAfterSeconds,
                ...(rule.body !== undefined ? { body: rule.body } : {}),
              }
            : rule.kind === 'timeout'
              ? { kind: 'timeout', ...(rule.holdMs !== undefined ? { holdMs: rule.holdMs } : {}) }
              : { kind: 'reset' };
        break;
      }
    }
    return decision;
  }

  #matches(entry: Entry, target: FaultTarget): boolean {
    const rule = entry.rule;
    if (rule.method !== undefined && rule.method !== target.method) return false;
    if (rule.endpoint !== undefined && rule.endpoint !== target.endpoint) return false;
    return !entry.pattern || entry.pattern.test(target.path);
  }

  /** Whether this matching request is in the rule's share. */
  #sample(entry: Entry): boolean {
    const fraction = entry.rule.fraction ?? 1;
    if (fraction >= 1) return true;
    if (entry.rule.sampling === 'random') return Math.random() < fraction;
    entry.credit += fraction;
    if (entry.credit < 1 - 1e-9) return false;
    entry.credit -= 1;
    return true;
  }

  #fire(entry: Entry, decision: FaultDecision): void {
    entry.fired++;
    decision.ruleIds.push(entry.rule.id);
    if (entry.remaining === undefined) return;
    entry.remaining--;
    if (entry.remaining <= 0) this.#entries = this.#entries.filter((e) => e !== entry);
  }

  /** Takes a token; `undefined` when one was available, else the seconds until one is. */
  #take(entry: Entry, perMinute: number, capacity: number): number | undefined {
    const now = this.#clock();
    const perMs = perMinute / 60_000;
    entry.tokens = Math.min(capacity, entry.tokens + (now - entry.refilledAt) * perMs);
    entry.refilledAt = now;
    if (entry.tokens >= 1) {
      entry.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - entry.tokens) / perMs / 1000));
  }
}

function parseRule(rule: FaultRule): ParsedFaultRule {
  const result = faultRuleSchema.safeParse(rule);
  if (result.success) return result.data;
  throw new FaultRuleError(
    result.error.issues.map((issue) => ({
      path: `$${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`,
      message: issue.message,
    })),
    { cause: result.error },
  );
}

/** `*` → any run, `:name` → one segment; whole path, ignoring case and a trailing slash. */
function pathPattern(pattern: string): RegExp {
  const source = pattern
    .replace(/\/$/, '')
    .split(/(\*|:[A-Za-z]+)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}/?$`, 'i');
}
