import { codeOf } from '../codes.js';
import { placeCodeOf, type PlacementItem } from '../ssda903/episodes.js';
import type { CareRecordRow } from './build.js';
import { placementTypeCodes } from './codes.js';

/**
 * Reading a looked-after record for Annex A (Lists 8 and 10): its periods of
 * care, placements and legal statuses up to the as-of date, from the same
 * detail and with the same codes as the SSDA903 return
 * (../ssda903/child.ts, episodes.ts). Pure.
 */

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const objects = (value: unknown): Record<string, unknown>[] =>
  Array.isArray(value)
    ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null)
    : [];

export interface CareEpisode {
  start: string;
  /** Undefined while the period of care goes on past the as-of date. */
  end?: string;
  /** The period's category of need and why it ended, as the looked-after form records them. */
  categoryOfNeed?: string;
  reasonCeased?: string;
}

/** A looked-after record's periods of care (its episodes, or the record's own dates). */
export function careEpisodes(record: CareRecordRow, asOf: string): CareEpisode[] {
  const recorded = objects(record.detail['episodes']).flatMap((e) => {
    const start = str(e['startedOn']);
    return start === undefined
      ? []
      : [
          {
            start,
            end: str(e['endedOn']),
            categoryOfNeed: str(e['categoryOfNeed']),
            reasonCeased: str(e['reasonCeased']),
          },
        ];
  });
  const episodes: CareEpisode[] = recorded.length
    ? recorded
    : [{ start: record.openedOn, end: record.closedOn ?? undefined }];
  return episodes
    .filter((e) => e.start <= asOf)
    .map((e) => {
      const ended = e.end !== undefined && e.end <= asOf;
      return {
        ...e,
        end: ended ? e.end : undefined,
        reasonCeased: ended ? e.reasonCeased : undefined,
      };
    })
    .sort((a, b) => a.start.localeCompare(b.start));
}

export interface Placement extends PlacementItem {
  start: string;
  end?: string;
}

export function placementsOf(record: CareRecordRow, asOf: string): Placement[] {
  return objects(record.detail['placements'])
    .flatMap((p) => {
      const start = str(p['startedOn']);
      if (start === undefined || start > asOf) return [];
      const end = str(p['endedOn']);
      return [
        {
          type: str(p['type']) ?? '',
          startedOn: start,
          start,
          end,
          endedOn: end,
          dfeType: str(p['dfeType']),
          providedBy: str(p['providedBy']),
          postcode: str(p['postcode']),
          urn: str(p['urn']),
        },
      ];
    })
    .sort((a, b) => a.start.localeCompare(b.start));
}

/** The SSDA903 placement code: the DfE type recorded, else the commonest for Safekeep's word. */
export const placementCode = (p: Placement): string | undefined =>
  placeCodeOf(p) ?? codeOf(placementTypeCodes, p.type);

/**
 * Each legal status a looked-after record shows, with the days it held:
 * from its recorded changes, or the record's one status across its periods
 * of care when no change is recorded (as ../ssda903/episodes.ts reads them).
 */
export function legalStatuses(
  record: CareRecordRow,
  asOf: string,
): { status: string; from: string; to?: string }[] {
  const changes = objects(record.detail['legalStatusChanges'])
    .flatMap((c) => {
      const status = str(c['status']);
      const from = str(c['from']);
      return status && from && from <= asOf ? [{ status, from }] : [];
    })
    .sort((a, b) => a.from.localeCompare(b.from));
  if (changes.length) {
    const last = careEpisodes(record, asOf).at(-1);
    return changes.map((c, i) => ({ ...c, to: changes[i + 1]?.from ?? last?.end }));
  }
  const status = str(record.detail['legalStatus']);
  return status
    ? careEpisodes(record, asOf).map((e) => ({ status, from: e.start, to: e.end }))
    : [];
}

/** SSDA903 placements with carers who are also approved adopters (FFA or concurrent planning). */
export const FOSTERING_FOR_ADOPTION: ReadonlySet<string> = new Set(['U2', 'U5']);

/** Police protection (L1) and emergency protection orders (L2). */
export const PROTECTION: ReadonlySet<string> = new Set([
  'police-protection',
  'emergency-protection-order',
]);
