import { createHash, randomBytes } from 'node:crypto';

/** 256 bits from the OS CSPRNG, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Tokens are stored hashed: a copy of the database cannot be replayed as a cookie. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
