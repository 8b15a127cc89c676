import { describe, expect, it } from 'vitest';
import { newId } from '../storage/ids.js';
import { orderedIds } from './ordered-ids.js';

describe('orderedIds', () => {
  it('makes ids of the newId shape', () => {
    const id = orderedIds('evt')(Date.now());
    expect(id).toMatch(/^evt_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(id.length).toBe(newId('evt').length);
  });

  it('sorts ids made in the same millisecond in the order they were made', () => {
    const next = orderedIds('job');
    const ids = Array.from({ length: 10_000 }, () => next(1_765_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the order when the clock steps back', () => {
    const next = orderedIds('job');
    const first = next(1_765_000_000_500);
    const second = next(1_765_000_000_000);
    expect(second > first).toBe(true);
  });

  it('encodes the time like newId, so ids of later milliseconds sort after', () => {
    const next = orderedIds('evt');
    const at = 1_765_000_000_000;
    expect(next(at).slice(0, 14)).toBe(newId('evt', at).slice(0, 14));
    const earlier = next(at);
    expect(next(at + 1) > earlier).toBe(true);
  });

  it('refuses a prefix newId would refuse', () => {
    expect(() => orderedIds('Evt')).toThrow(TypeError);
  });
});
