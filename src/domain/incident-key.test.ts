import { describe, expect, it } from 'vitest';
import {
  externalXRefOf,
  incidentKeyOf,
  normalizeCompany,
  stormKeyOf,
  xrefBaseOf,
} from './incident-key.js';

describe('incident keys', () => {
  it('builds account/company/condition/device with the company normalized', () => {
    expect(
      incidentKeyOf({
        accountId: 'a1',
        company: ' ACME ',
        condition: 'backup',
        deviceId: 'dev-42',
      }),
    ).toBe('a1/acme/backup/dev-42');
  });

  it('treats company names that differ only in case and spaces as one company', () => {
    const a = incidentKeyOf({
      accountId: 'a1',
      company: 'Acme',
      condition: 'device',
      deviceId: 'x',
    });
    const b = incidentKeyOf({
      accountId: 'a1',
      company: 'ACME  ',
      condition: 'device',
      deviceId: 'x',
    });
    expect(a).toBe(b);
    expect(normalizeCompany('ÅCME')).toBe(normalizeCompany('åcme'));
  });

  it('keeps device ids case-sensitive and escapes separators', () => {
    const upper = incidentKeyOf({
      accountId: 'a',
      company: 'c',
      condition: 'backup',
      deviceId: 'DEV/1',
    });
    const lower = incidentKeyOf({
      accountId: 'a',
      company: 'c',
      condition: 'backup',
      deviceId: 'dev/1',
    });
    expect(upper).not.toBe(lower);
    expect(upper).toBe('a/c/backup/DEV%2F1');
  });

  it('never lets a device named * collide with the storm key', () => {
    const device = incidentKeyOf({
      accountId: 'a',
      company: 'c',
      condition: 'backup',
      deviceId: '*',
    });
    const storm = stormKeyOf({ accountId: 'a', company: 'c', condition: 'backup' });
    expect(storm).toBe('a/c/backup/*');
    expect(device).not.toBe(storm);
  });

  it('separates conditions and accounts', () => {
    const keys = new Set([
      incidentKeyOf({ accountId: 'a', company: 'c', condition: 'backup', deviceId: 'd' }),
      incidentKeyOf({ accountId: 'a', company: 'c', condition: 'device', deviceId: 'd' }),
      incidentKeyOf({ accountId: 'b', company: 'c', condition: 'backup', deviceId: 'd' }),
    ]);
    expect(keys.size).toBe(3);
  });
});

describe('externalXRef', () => {
  // The golden value is RFC 4648 base32 of SHA-256, computed outside this code base (Python's
  // hashlib + base64.b32encode); if it changes, tickets made before can no longer be reconciled.
  it('is the same in every process and version (golden value)', () => {
    expect(externalXRefOf('a1/acme/backup/dev-42', 1)).toBe(
      'psab1:5pv22lat2lfrvmofrsykl7u777elyczj.1',
    );
  });

  it('differs per generation but shares the base', () => {
    const first = externalXRefOf('k', 1);
    const second = externalXRefOf('k', 2);
    expect(first).not.toBe(second);
    expect(first.startsWith(xrefBaseOf('k'))).toBe(true);
    expect(second.startsWith(xrefBaseOf('k'))).toBe(true);
  });

  it('stays within ConnectWise 100 characters for any key', () => {
    const key = incidentKeyOf({
      accountId: 'a'.repeat(500),
      company: '🚀'.repeat(300),
      condition: 'backup',
      deviceId: 'd'.repeat(2000),
    });
    const xref = externalXRefOf(key, 123_456);
    expect(xref.length).toBeLessThanOrEqual(100);
    expect(xref).toMatch(/^psab1:[a-z2-7]{32}\.123456$/);
  });

  it('refuses generation 0', () => {
    expect(() => externalXRefOf('k', 0)).toThrow(RangeError);
  });
});
