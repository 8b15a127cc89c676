import { describe, expect, it } from 'vitest';

import { maskKey } from './mask.js';

describe('maskKey', () => {
  it('shows the first four and last three characters of a full-length key', () => {
    expect(maskKey('DemoPublicKey001')).toBe('Demo••••••••001');
  });

  it('hides the length behind a fixed run of dots', () => {
    expect(maskKey('AAAA1234567890BBB')).toBe('AAAA••••••••BBB');
    expect(maskKey('AAAA12345BBB')).toBe('AAAA••••••••BBB');
  });

  it('shows less of a short key, and nothing of a very short one', () => {
    expect(maskKey('abcdefgh')).toBe('ab••••••••gh');
    expect(maskKey('abc')).toBe('••••••••');
  });
});
