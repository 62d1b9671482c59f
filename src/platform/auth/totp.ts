import { generateSecret, generateURI, verify } from 'otplib';

/**
 * TOTP (RFC 6238) as authenticator apps expect: SHA-1, 6 digits, 30 s.
 * One step either side is accepted for clock drift; a code is accepted once
 * only (the step it matched is remembered and later codes must be newer).
 */
export const TOTP_ISSUER = 'Safekeep';

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, label: string): string {
  return generateURI({ issuer: TOTP_ISSUER, label, secret });
}

export async function checkTotp(
  secret: string,
  code: string,
  lastStep: number | null,
  nowSeconds?: number,
): Promise<{ valid: true; step: number } | { valid: false }> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return { valid: false };
  const result = await verify({
    secret,
    token,
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
    ...(nowSeconds !== undefined ? { epoch: nowSeconds } : {}),
  });
  if (!result.valid || !('timeStep' in result)) return { valid: false };
  return { valid: true, step: result.timeStep };
}
