import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, resolveRules } from '../domain/rules.js';
import { longSummaries } from './summary-check.js';

describe('summary check', () => {
  it('finds nothing to cut with the default rules and an ordinary device', () => {
    expect(longSummaries(DEFAULT_RULES, 'ACME', 'ACME-FS01')).toEqual([]);
  });

  it('names each template whose summary would pass 100 characters for the device', () => {
    const device = `FILESERVER-${'X'.repeat(80)}`;
    const long = longSummaries(DEFAULT_RULES, 'ACME', device);
    expect(long.map((l) => l.template)).toContain('backup.failed');
    for (const summary of long) {
      expect(summary.full.length).toBeGreaterThan(100);
      expect(summary.summary.length).toBeLessThanOrEqual(100);
    }
  });

  it('skips event types that make no tickets and the storm when it is off', () => {
    const rules = resolveRules({
      events: { 'backup.failed': { ticket: false } },
      storm: { enabled: false, summaryTemplate: `{{company}} ${'storm '.repeat(30)}` },
    });
    const long = longSummaries(rules, 'ACME', `DEVICE-${'Y'.repeat(95)}`);
    expect(long.map((l) => l.template)).not.toContain('backup.failed');
    expect(long.map((l) => l.template)).not.toContain('storm');
  });
});
