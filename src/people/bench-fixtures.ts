/* Shared by the search benchmark (people/bench.ts) and the load benchmark (bench/load.ts). */

/** Makes a typed name a little wrong, as people do: one vowel changed. */
export function misspell(name: string, i: number): string {
  const vowels = [...name.matchAll(/[aeiou]/gi)].map((m) => m.index);
  const at = vowels[i % Math.max(1, vowels.length)];
  if (at === undefined) return name;
  const swap = 'aeiouy'[(i + 1) % 6] ?? 'y';
  return name.slice(0, at) + swap + name.slice(at + 1);
}
