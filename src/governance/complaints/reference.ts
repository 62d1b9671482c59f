import { randomInt } from 'node:crypto';

/**
 * A complaint's reference, in words a person can read out over the phone and
 * write down without mistakes: two plain words and a two-digit number,
 * "Amber Heron 47" (stored 'amber-heron-47'). Not a UUID, and not letters
 * and digits that look alike (0/O, 1/I/l).
 *
 * The words are common, neutral, easy to spell and have no sound-alike in
 * the list (no "sea"/"see", "bear"/"bare"); none is a word that could read
 * as a judgement of the complaint. 120 × 119 × 90 ≈ 1.3 million references
 * per organisation; the store retries on the rare clash. The reference is
 * not a secret: nothing public looks a complaint up by it.
 */
export const referenceWords: readonly string[] = [
  'acorn amber anchor apple arch aspen badger basket beacon birch biscuit',
  'blossom bridge brook bucket butter cabin camel candle canvas carrot castle',
  'cedar cherry clover cobalt comet copper coral cotton crystal daisy delta',
  'dolphin eagle ember falcon feather fern fiddle forest fossil garden ginger',
  'glacier granite harbour hazel heron hollow honey island ivory jasmine jigsaw',
  'kettle kiwi ladder lantern lemon lilac linen lotus maple marble meadow melon',
  'mint mitten nutmeg oak olive orbit otter paddle panda parrot pebble pepper',
  'pillow pine planet pocket pond poppy puffin quartz rabbit ribbon river robin',
  'rocket saddle salmon sandal silver spruce squirrel stable summit teapot',
  'thimble thistle tiger timber tulip tunnel turnip valley velvet violet walnut',
  'willow window winter wombat yellow zebra zigzag lagoon',
]
  .join(' ')
  .split(' ');

/** A fresh reference, 'amber-heron-47'. */
export function newReference(random: (max: number) => number = randomInt): string {
  const first = random(referenceWords.length);
  // A second word different from the first: "Otter Otter" reads as a slip.
  let second = random(referenceWords.length - 1);
  if (second >= first) second += 1;
  const number = 10 + random(90);
  return `${referenceWords[first]}-${referenceWords[second]}-${number}`;
}

/** 'amber-heron-47' as people read it: "Amber Heron 47". */
export function referenceInWords(reference: string): string {
  return reference
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join(' ');
}

/**
 * What someone typed or said, as a stored reference, or null when it cannot
 * be one: case, spaces and hyphens do not matter ("amber heron 47",
 * "AMBER-HERON-47").
 */
export function parseReference(text: string): string | null {
  const parts = text
    .trim()
    .toLowerCase()
    .split(/[\s-]+/)
    .filter(Boolean);
  if (parts.length !== 3) return null;
  const [a, b, n] = parts as [string, string, string];
  if (!/^[a-z]+$/.test(a) || !/^[a-z]+$/.test(b) || !/^[1-9][0-9]$/.test(n)) return null;
  return `${a}-${b}-${n}`;
}
