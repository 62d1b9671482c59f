import { sign, verify, type KeyObject } from 'node:crypto';
import type { StoredEvent } from './audit-chain.js';

/**
 * Seals on audit events (decision record 0012). The chain and the signed
 * checkpoints show that recorded events were not altered or removed; they
 * cannot show who recorded an event, and the app's database login may
 * insert events. So the app signs each event it records with the
 * checkpoint key, which lives in its configuration and never in the
 * database: an event inserted by anyone holding only the database login
 * carries no seal that verifies.
 *
 * The seal covers what the app decides (who, what, to what, why, how it
 * ended, and the event's id), not what the database stamps (the time, the
 * transaction): those are hashed into the chain once linked, and the app's
 * login cannot change a row after it is written.
 */
export type SealedContent = Pick<
  StoredEvent,
  | 'id'
  | 'actorAccountId'
  | 'organisationId'
  | 'action'
  | 'objectType'
  | 'objectIds'
  | 'purpose'
  | 'outcome'
  | 'requestId'
>;

function sealMessage(c: SealedContent): Buffer {
  // uuids as the database gives them back: lower case.
  return Buffer.from(
    JSON.stringify([
      'safekeep-audit-event-seal-v1',
      c.id.toLowerCase(),
      c.actorAccountId?.toLowerCase() ?? null,
      c.organisationId?.toLowerCase() ?? null,
      c.action,
      c.objectType,
      [...c.objectIds],
      c.purpose,
      c.outcome,
      c.requestId,
    ]),
  );
}

export function sealEvent(content: SealedContent, key: KeyObject): string {
  return sign(null, sealMessage(content), key).toString('base64');
}

export function sealHolds(content: SealedContent, seal: string, publicKey: KeyObject): boolean {
  try {
    return verify(null, sealMessage(content), publicKey, Buffer.from(seal, 'base64'));
  } catch {
    return false;
  }
}
