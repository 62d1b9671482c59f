import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 iterations, 1 lane).
 * The parameters travel in the encoded hash, so they can be raised later
 * without breaking existing accounts.
 */
const ARGON2ID = 2; // @node-rs/argon2 Algorithm.Argon2id (a const enum, not importable under isolatedModules)
const options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * Spends the same time as a real check when the account does not exist, so
 * response times do not reveal which email addresses have accounts. The
 * hash is fixed (of a random password nobody kept, with the options above),
 * rather than made on first use: making it would slow the first unknown
 * address's answer by a second hash.
 */
export const DUMMY_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$5fWKe5kBoOArT+rrsq+/Ww$tzWqWV4o5NUk2cCqsOcZvIoybP+NP/ldceJZSKTUtY0';
export async function verifyAgainstNothing(password: string): Promise<false> {
  await verifyPassword(DUMMY_HASH, password);
  return false;
}
