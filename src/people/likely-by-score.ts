import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { peopleAsRecords } from './linkage/duplicates.js';
import { linkPeople } from './linkage/link.js';
import type { PersonInput } from './linkage/record.js';
import { thresholdsFor } from './linkage/thresholds.js';

/**
 * "Possible duplicate" on create, with the same scores as imports and the
 * duplicate job (issue 15, use 3): the person about to be added, linked
 * against everyone the organisation holds with the Fellegi–Sunter engine.
 * Returns those at or above the policy's review threshold, most likely
 * first, with the steps of the waterfall that point towards one person.
 */
export interface ScoredCandidate {
  id: string;
  probability: number;
  why: string[];
}

const NEW = '\u0000new';

export async function scoreAgainstHeld(
  db: Kysely<Database>,
  organisation: { id: string; slug: string },
  input: {
    givenName: string;
    familyName: string;
    dateOfBirth: string | null;
    nhsNumber?: string | null;
    upn?: string | null;
  },
): Promise<ScoredCandidate[]> {
  const held = await peopleAsRecords(db, organisation.id);
  if (held.length === 0) return [];
  const record: PersonInput = {
    id: NEW,
    source: 'new',
    givenName: input.givenName,
    familyName: input.familyName,
  };
  if (input.dateOfBirth) record.dateOfBirth = input.dateOfBirth;
  if (input.nhsNumber || input.upn) {
    record.identifiers = {
      ...(input.nhsNumber ? { nhsNumber: input.nhsNumber } : {}),
      ...(input.upn ? { upn: input.upn } : {}),
    };
  }
  const thresholds = thresholdsFor(organisation.slug);
  const result = linkPeople([...held.map((p) => ({ ...p, source: 'held' })), record], {
    threshold: thresholds.review,
    matchThreshold: thresholds.autoLink,
    explain: true,
  });
  return result.pairs
    .map((pair) => ({
      id: String(pair.a === NEW ? pair.b : pair.a),
      probability: pair.probability,
      why: (pair.waterfall?.steps ?? [])
        .filter((s) => s.field !== 'Starting point' && s.weight > 1)
        .map((s) => `${s.field}: ${s.finding}`),
    }))
    .sort((a, b) => b.probability - a.probability);
}
