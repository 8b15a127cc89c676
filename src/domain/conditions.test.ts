import { describe, expect, it } from 'vitest';
import { EVENT_TYPE_INFO, conditionOf, isProblemType, isRecoveryType } from './conditions.js';
import { EVENT_TYPES } from './event.js';
import type { EventType } from './event.js';

describe('event type table', () => {
  const cases: [EventType, string, 'problem' | 'recovery', string][] = [
    ['backup.failed', 'backup', 'problem', 'high'],
    ['backup.warning', 'backup', 'problem', 'low'],
    ['backup.missed', 'backup', 'problem', 'high'],
    ['backup.succeeded', 'backup', 'recovery', 'low'],
    ['device.offline', 'device', 'problem', 'medium'],
    ['device.online', 'device', 'recovery', 'low'],
    ['restore.failed', 'restore', 'problem', 'high'],
    ['restore.succeeded', 'restore', 'recovery', 'low'],
    ['quota.exceeded', 'quota', 'problem', 'medium'],
    ['quota.ok', 'quota', 'recovery', 'low'],
  ];

  it.each(cases)(
    'maps %s to condition %s, polarity %s, severity %s',
    (type, condition, polarity, severity) => {
      expect(conditionOf(type)).toBe(condition);
      expect(EVENT_TYPE_INFO[type].polarity).toBe(polarity);
      expect(EVENT_TYPE_INFO[type].severity).toBe(severity);
      expect(isProblemType(type)).toBe(polarity === 'problem');
      expect(isRecoveryType(type)).toBe(polarity === 'recovery');
    },
  );

  it('covers every event type of the ingestion contract', () => {
    expect(cases.map(([type]) => type).sort()).toEqual([...EVENT_TYPES].sort());
  });

  it('gives every condition exactly one recovery type', () => {
    const recoveries = EVENT_TYPES.filter(isRecoveryType).map(conditionOf);
    expect(recoveries.sort()).toEqual(['backup', 'device', 'quota', 'restore']);
  });
});
