import { createHash } from 'node:crypto';

/**
 * The hash chain over audit events. Each event's hash covers its own content
 * and the previous event's hash, so altering or removing any row breaks every
 * later link. Content is canonical JSON with a fixed key order.
 */
export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedContent {
  id: string;
  occurredAt: Date;
  actorAccountId: string | null;
  organisationId: string | null;
  action: string;
  objectType: string | null;
  objectIds: readonly string[];
  purpose: string | null;
  outcome: string;
  requestId: string | null;
}

export function hashEvent(content: ChainedContent, prevHash: string): string {
  const canonical = JSON.stringify([
    content.id,
    content.occurredAt.toISOString(),
    content.actorAccountId,
    content.organisationId,
    content.action,
    content.objectType,
    [...content.objectIds],
    content.purpose,
    content.outcome,
    content.requestId,
    prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}
