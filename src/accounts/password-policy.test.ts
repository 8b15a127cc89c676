import { describe, expect, it } from 'vitest';
import { passwordProblem } from './password-policy.js';

describe('password policy', () => {
  it('refuses passwords under 12 characters, naming the rule and the length', () => {
    expect(passwordProblem('short-pass1')).toBe(
      'Password too short: use at least 12 characters (got 11).',
    );
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('🔒🔒🔒🔒🔒🔒')).toMatch(/got 6/);
  });

  it('refuses blank and overlong passwords and accepts a long phrase', () => {
    expect(passwordProblem('            ')).toBe('Password must not be only spaces.');
    expect(passwordProblem('x'.repeat(1025))).toMatch(/at most 1024/);
    expect(passwordProblem('long enough pass')).toBeUndefined();
  });
});
