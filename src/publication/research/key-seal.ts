import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { ResearchKeys } from '../../config.js';

/**
 * Each research extract's pseudonym key, encrypted at rest (decision 0040).
 * The key is what makes a pseudonym unguessable (reference.md: a keyed
 * HMAC, not a plain hash); held in the clear, anyone with a copy of the
 * database could recompute every pseudonym from the ids and re-identify
 * the extract. So it is sealed with AES-256-GCM under RESEARCH_KEY_SECRET,
 * which the database never sees, and bound to its extract (the id is the
 * additional authenticated data), so a sealed key copied onto another row
 * does not open.
 *
 * Layout: version (1 byte, 1) | sealing key id (8 bytes: SHA-256 of the key)
 * | IV (12) | tag (16) | ciphertext. The key id says which secret sealed it,
 * so keys can be re-sealed under a new secret while the old one still opens.
 */
const VERSION = 1;

export function keyId(key: Buffer): Buffer {
  return createHash('sha256').update(key).digest().subarray(0, 8);
}

export function sealKey(keys: ResearchKeys, extractId: string, plain: Uint8Array): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keys.current, iv);
  cipher.setAAD(Buffer.from(extractId, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([
    Buffer.from([VERSION]),
    keyId(keys.current),
    iv,
    cipher.getAuthTag(),
    ciphertext,
  ]);
}

/** Why a sealed key will not open; the message completes "the key is …". */
export class SealedKeyError extends Error {}

/** The extract's key; refuses (SealedKeyError) if no configured secret sealed it or it was altered. */
export function openKey(keys: ResearchKeys, extractId: string, sealed: Uint8Array): Buffer {
  const bytes = Buffer.from(sealed);
  if (bytes[0] !== VERSION || bytes.length < 1 + 8 + 12 + 16 + 1) {
    throw new SealedKeyError('not in the sealed layout');
  }
  const id = bytes.subarray(1, 9);
  const key = [keys.current, keys.previous].find((k) => k && keyId(k).equals(id));
  if (!key) {
    throw new SealedKeyError(
      'sealed under a secret that is not configured (RESEARCH_KEY_SECRET or RESEARCH_KEY_SECRET_PREVIOUS)',
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(9, 21));
    decipher.setAAD(Buffer.from(extractId, 'utf8'));
    decipher.setAuthTag(bytes.subarray(21, 37));
    return Buffer.concat([decipher.update(bytes.subarray(37)), decipher.final()]);
  } catch {
    throw new SealedKeyError('sealed but does not open: altered, or another extract’s');
  }
}

/** Whether the current secret sealed it (false: a rotation still has it to do). */
export function sealedWithCurrent(keys: ResearchKeys, sealed: Uint8Array): boolean {
  return Buffer.from(sealed).subarray(1, 9).equals(keyId(keys.current));
}
