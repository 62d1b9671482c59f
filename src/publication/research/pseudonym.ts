import { createHmac, randomBytes } from 'node:crypto';

/**
 * Keyed pseudonyms (reference.md: "Consistent pseudonyms across records
 * need a keyed HMAC with a secret key, not a plain hash (guessable values
 * can be brute-forced)"). Each extract has its own key, held by information
 * governance: the same person has the same pseudonym throughout one
 * extract, and different ones in two extracts, which cannot be joined
 * unless governance allows it by issuing both with one key.
 */
export function newExtractKey(): Buffer {
  return randomBytes(32);
}

/** 20 characters of base32 (100 bits): no collisions in any extract Safekeep could make. */
export function pseudonym(key: Uint8Array, id: string): string {
  const digest = createHmac('sha256', key).update(id, 'utf8').digest();
  const alphabet = 'ABCDEFGHJKMNPQRSTVWXYZ0123456789';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 20) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}
