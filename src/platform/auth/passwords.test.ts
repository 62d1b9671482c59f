import { describe, expect, it } from 'vitest';
import { DUMMY_HASH, hashPassword, verifyAgainstNothing } from './passwords.js';

const parameters = (encoded: string) => encoded.split('$').slice(1, 4).join('$');

describe('checking a password for an unknown account', () => {
  it('costs what a real check costs: the dummy hash has the same argon2 parameters', async () => {
    expect(parameters(DUMMY_HASH)).toBe(parameters(await hashPassword('any password')));
    expect(parameters(DUMMY_HASH)).toBe('argon2id$v=19$m=19456,t=2,p=1');
    await expect(verifyAgainstNothing('any password')).resolves.toBe(false);
  });
});
