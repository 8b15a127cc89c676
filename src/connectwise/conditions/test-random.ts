// Seeded randomness for the property and fuzz tests, so every failure reproduces.

/** A deterministic generator of floats in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random element of a non-empty list. */
export function pick<T>(random: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick needs a non-empty list.');
  return items[Math.floor(random() * items.length)] as T;
}

/** Text drawn from `alphabet`, 0 to `maxLength` characters long. */
export function randomText(random: () => number, alphabet: string, maxLength: number): string {
  const chars = [...alphabet];
  const length = Math.floor(random() * (maxLength + 1));
  let text = '';
  for (let i = 0; i < length; i++) text += pick(random, chars);
  return text;
}
