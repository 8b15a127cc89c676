/**
 * Event types grouped into conditions. A condition is what an incident is about (one ticket per
 * company + device + condition); the polarity says whether an event starts or ends a problem.
 */
import type { EventType } from './event.js';

/** What an incident is about. */
export const CONDITIONS = ['backup', 'device', 'restore', 'quota'] as const;
export type Condition = (typeof CONDITIONS)[number];

/** `problem` events open or extend an incident; `recovery` events count towards closing it. */
export type Polarity = 'problem' | 'recovery';

/** Severity names, mapped to ConnectWise priorities by the bridge's board settings. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The event types that signal a problem. */
export const PROBLEM_EVENT_TYPES = [
  'backup.failed',
  'backup.warning',
  'backup.missed',
  'device.offline',
  'restore.failed',
  'quota.exceeded',
] as const;
export type ProblemEventType = (typeof PROBLEM_EVENT_TYPES)[number];

/** The event types that signal a recovery. */
export const RECOVERY_EVENT_TYPES = [
  'backup.succeeded',
  'device.online',
  'restore.succeeded',
  'quota.ok',
] as const;
export type RecoveryEventType = (typeof RECOVERY_EVENT_TYPES)[number];

/** How the domain reads one event type. */
export interface EventTypeInfo {
  condition: Condition;
  polarity: Polarity;
  /** Default ticket priority of a problem type; recoveries carry `low` and never set one. */
  severity: Severity;
  /** Lower-case phrase for texts, e.g. `backup failed`. */
  label: string;
}

/**
 * The one table from event type to condition, polarity, default severity and label.
 *
 * Warnings and misses share the `backup` condition with failures: they are the same problem seen
 * with different strength, so they land on the same ticket and one success closes them all.
 */
export const EVENT_TYPE_INFO: Readonly<Record<EventType, EventTypeInfo>> = {
  'backup.failed': {
    condition: 'backup',
    polarity: 'problem',
    severity: 'high',
    label: 'backup failed',
  },
  'backup.warning': {
    condition: 'backup',
    polarity: 'problem',
    severity: 'low',
    label: 'backup warning',
  },
  'backup.missed': {
    condition: 'backup',
    polarity: 'problem',
    severity: 'high',
    label: 'backup missed',
  },
  'backup.succeeded': {
    condition: 'backup',
    polarity: 'recovery',
    severity: 'low',
    label: 'backup succeeded',
  },
  'device.offline': {
    condition: 'device',
    polarity: 'problem',
    severity: 'medium',
    label: 'device offline',
  },
  'device.online': {
    condition: 'device',
    polarity: 'recovery',
    severity: 'low',
    label: 'device online',
  },
  'restore.failed': {
    condition: 'restore',
    polarity: 'problem',
    severity: 'high',
    label: 'restore failed',
  },
  'restore.succeeded': {
    condition: 'restore',
    polarity: 'recovery',
    severity: 'low',
    label: 'restore succeeded',
  },
  'quota.exceeded': {
    condition: 'quota',
    polarity: 'problem',
    severity: 'medium',
    label: 'quota exceeded',
  },
  'quota.ok': {
    condition: 'quota',
    polarity: 'recovery',
    severity: 'low',
    label: 'quota back within limit',
  },
};

/** Lower-case phrase naming a condition's problem, for storm summaries (`backup problems`). */
export const CONDITION_LABELS: Readonly<Record<Condition, string>> = {
  backup: 'backup problems',
  device: 'devices offline',
  restore: 'restore failures',
  quota: 'quota exceeded',
};

/** The condition an event type belongs to. */
export function conditionOf(type: EventType): Condition {
  return EVENT_TYPE_INFO[type].condition;
}

/** True for the six problem types. */
export function isProblemType(type: EventType): type is ProblemEventType {
  return EVENT_TYPE_INFO[type].polarity === 'problem';
}

/** True for the four recovery types. */
export function isRecoveryType(type: EventType): type is RecoveryEventType {
  return EVENT_TYPE_INFO[type].polarity === 'recovery';
}
