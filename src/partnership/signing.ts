import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Keys for the newsletter, derived from the app's session secret
 * (src/config.ts) rather than a new secret: one secret to set and protect in
 * production. Each use gets its own key (HMAC of a fixed label), so an
 * unsubscribe signature can never stand in for a session cookie signature or
 * a suppression hash, and the reverse.
 *
 * Known limit: rotating SESSION_SECRET invalidates unsubscribe links already
 * sent and makes the suppression list unmatchable (a staff import could then
 * re-add an address that had unsubscribed). Rotation must re-key or keep the
 * old secret for these two uses.
 */
export interface NewsletterKeys {
  link: Buffer;
  suppression: Buffer;
}

export function newsletterKeys(sessionSecret: string): NewsletterKeys {
  const derive = (label: string) =>
    createHmac('sha256', sessionSecret).update(`safekeep/partnership/${label}`).digest();
  return { link: derive('unsubscribe-link'), suppression: derive('suppression-list') };
}

/** Addresses compare case-insensitively and without surrounding spaces. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

function mac(key: Buffer, message: string): string {
  return createHmac('sha256', key).update(message).digest('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The token in every email's unsubscribe link: the subscriber's id and a
 * MAC over the partnership and the id. It names no address, so a forwarded
 * email leaks nothing but the right to unsubscribe its recipient.
 */
export function signUnsubscribe(key: Buffer, organisationSlug: string, subscriberId: string) {
  return `${subscriberId}.${mac(key, `unsubscribe:${organisationSlug}:${subscriberId}`)}`;
}

/** The subscriber id if the token is genuine for this partnership, else null. */
export function verifyUnsubscribe(
  key: Buffer,
  organisationSlug: string,
  token: string,
): string | null {
  const [id, signature, ...rest] = token.split('.');
  if (!id || !signature || rest.length > 0 || !UUID.test(id)) return null;
  const expected = Buffer.from(mac(key, `unsubscribe:${organisationSlug}:${id}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return id;
}

/**
 * The keyed hash kept on the suppression list. Keyed (reference.md: a plain
 * hash of a guessable value can be brute-forced) and scoped to the
 * partnership, so the two partnerships' lists cannot be joined.
 */
export function suppressionHash(key: Buffer, organisationId: string, email: string): string {
  return createHmac('sha256', key)
    .update(`${organisationId}:${normaliseEmail(email)}`)
    .digest('hex');
}
