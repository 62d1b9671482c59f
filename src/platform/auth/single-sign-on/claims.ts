/**
 * What a provider's ID token says, read through one organisation's settings
 * (sso_provider). Pure functions, so every rule here is tested without a
 * provider (claims.test.ts) and the browser test proves them end to end.
 */

export interface ClaimSettings {
  subjectClaim: string;
  groupsClaim: string;
  nameClaim: string;
  emailClaim: string;
  /** `amr` values that mean more than one factor was used (RFC 8176: 'mfa', 'otp', 'hwk'…). */
  mfaAmrValues: readonly string[];
  /** `acr` values the organisation counts as multi-factor (e.g. a provider's MFA policy name). */
  mfaAcrValues: readonly string[];
}

export interface ProviderClaims {
  /** The stable identifier staff are matched by, never the email address. */
  subject: string;
  groups: string[];
  name: string | null;
  email: string | null;
  /** The provider says this sign-in used more than one factor. */
  multiFactor: boolean;
}

/** A mapping from a provider group to a Safekeep role, and optionally a team. */
export interface RoleMapping {
  group: string;
  roleSlug: string;
  teamId: string | null;
}

/**
 * The claims Safekeep acts on, or null when the subject claim is missing or
 * not a string (a token Safekeep cannot match anyone by).
 */
export function readClaims(
  claims: Readonly<Record<string, unknown>>,
  settings: ClaimSettings,
): ProviderClaims | null {
  const subject = claims[settings.subjectClaim];
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 300) return null;
  const amr = stringsOf(claims['amr']);
  const acr = claims['acr'];
  return {
    subject,
    groups: stringsOf(claims[settings.groupsClaim]),
    name: shortText(claims[settings.nameClaim]),
    email: emailOf(claims[settings.emailClaim]),
    multiFactor:
      amr.some((value) => settings.mfaAmrValues.includes(value)) ||
      (typeof acr === 'string' && settings.mfaAcrValues.includes(acr)),
  };
}

/** The mappings the groups grant: only exact matches, so a lookalike group grants nothing. */
export function grantedRoles(groups: readonly string[], mappings: readonly RoleMapping[]) {
  const held = new Set(groups);
  return mappings.filter((mapping) => held.has(mapping.group));
}

/** A claim that may be one string or a list of them (providers differ). */
function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function shortText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed.length > 0 && trimmed.length <= 200 ? trimmed : null;
}

function emailOf(value: unknown): string | null {
  const text = shortText(value)?.toLowerCase() ?? null;
  return text && /^[^\s@]+@[^\s@]+$/.test(text) ? text : null;
}
