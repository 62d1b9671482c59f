import type { CensusPeriod } from '../census.js';
import { codeOf, primaryNeedCodes } from '../codes.js';
import {
  legalStatusCodes,
  placementChangeCodes,
  placementCodeFromType,
  placementCodes,
  placementProviderCodes,
  TEMPORARY_PLACEMENTS,
} from './codes.js';

/**
 * SSDA903 episodes, derived (never typed): a period of care, as the
 * looked-after record holds it, is cut into a new episode whenever the
 * child's legal status or placement changes. The reason for a new episode
 * (RNE) follows from what changed: S for the first, L for the legal status,
 * P for the placement, B for both at once; every episode but the last of a
 * period ends with REC X1, the last with the period's reason it ceased.
 * The reason for a placement change is recorded on the placement that
 * ended, and written on the episode that ends with it (the author's reading
 * of the guide: docs/returns.md).
 *
 * A temporary placement (T0–T4: hospital, a holiday, respite while the
 * usual carers are away) is recorded beside the usual placement, which is
 * not ended: the latest begun placement covers the days it lasts, so the
 * episodes run usual placement, temporary placement, usual placement again
 * (RNE P each time), as the guide has it.
 */

export interface PlacementItem {
  type: string;
  startedOn: string;
  endedOn?: string;
  dfeType?: string;
  providedBy?: string;
  postcode?: string;
  urn?: string;
  reasonChanged?: string;
}

export interface PeriodOfCare {
  recordId: string;
  startedOn: string;
  endedOn?: string;
  /** REC code, or the stored word when it maps to none. */
  reasonCeased?: string;
  categoryOfNeed?: string;
  homePostcode?: string;
  /** The record's current legal status: used throughout when no change is recorded. */
  legalStatus?: string;
  legalStatusChanges: { status: string; from: string }[];
  placements: PlacementItem[];
}

export interface EpisodeRow {
  recordId: string;
  decom: string;
  rne: string;
  ls?: string;
  cin?: string;
  place?: string;
  placeProvider?: string;
  dec?: string;
  rec?: string;
  reasonPlaceChange?: string;
  homePost?: string;
  plPost?: string;
  urn?: string;
  /** The placement ends with this episode and another follows: REASON_PLACE_CHANGE is due. */
  placementChanges?: boolean;
  /** The placement behind the row, to compare rows; not written. */
  placement?: PlacementItem;
}

function coded(list: Parameters<typeof codeOf>[0], word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  return codeOf(list, word) ?? word;
}

/** The legal status on a day: the latest change on or before it, else the record's status. */
function statusOn(period: PeriodOfCare, day: string): string | undefined {
  if (period.legalStatusChanges.length === 0) return period.legalStatus;
  const before = period.legalStatusChanges
    .filter((c) => c.from <= day)
    .sort((a, b) => a.from.localeCompare(b.from));
  return before.at(-1)?.status;
}

/** The placement on a day: the latest begun on or before it and not ended by it. */
function placementOn(period: PeriodOfCare, day: string): PlacementItem | undefined {
  return period.placements
    .filter((p) => p.startedOn <= day && (p.endedOn === undefined || p.endedOn > day))
    .sort((a, b) => a.startedOn.localeCompare(b.startedOn))
    .at(-1);
}

export function placeCodeOf(placement: PlacementItem | undefined): string | undefined {
  if (!placement) return undefined;
  const slug = placement.dfeType ?? placementCodeFromType[placement.type];
  return coded(placementCodes, slug);
}

/** A temporary placement (T0–T4): a short stay away from the usual one, which stays open. */
export function isTemporary(placement: PlacementItem | undefined): boolean {
  const code = placeCodeOf(placement);
  return code !== undefined && TEMPORARY_PLACEMENTS.has(code);
}

/**
 * The episodes of a period of care up to the end of the collection year:
 * events after 31 March are next year's, so an episode open then has no
 * DEC or REC in this return.
 */
export function episodeRows(period: PeriodOfCare, year: CensusPeriod): EpisodeRow[] {
  if (period.startedOn > year.end) return [];
  const end =
    period.endedOn !== undefined && period.endedOn <= year.end ? period.endedOn : undefined;
  const limit = end ?? year.end;
  const inside = (day: string) =>
    day > period.startedOn && (end === undefined ? day <= limit : day < end);
  const points = [
    ...new Set([
      period.startedOn,
      ...period.legalStatusChanges.map((c) => c.from).filter(inside),
      ...period.placements.map((p) => p.startedOn).filter(inside),
      ...period.placements
        .map((p) => p.endedOn)
        .filter((d): d is string => d !== undefined && inside(d)),
    ]),
  ].sort();
  const rows: EpisodeRow[] = [];
  for (const day of points) {
    const status = statusOn(period, day);
    const placement = placementOn(period, day);
    const previous = rows.at(-1);
    if (previous) {
      const statusChanged = coded(legalStatusCodes, status) !== previous.ls;
      const placementChanged = placement !== previous.placement;
      if (!statusChanged && !placementChanged) continue;
      previous.dec = day;
      previous.rec = 'X1';
      // Going to or coming back from a temporary placement is not a change
      // of the usual placement: no reason for one is given.
      const temporary = isTemporary(previous.placement) || isTemporary(placement);
      if (placementChanged && previous.placement && !temporary) {
        previous.placementChanges = placement !== undefined;
        previous.reasonPlaceChange = coded(placementChangeCodes, previous.placement.reasonChanged);
      }
    }
    rows.push({
      recordId: period.recordId,
      decom: day,
      rne: !previous
        ? 'S'
        : coded(legalStatusCodes, status) !== previous.ls && placement !== previous.placement
          ? 'B'
          : placement !== previous.placement
            ? 'P'
            : 'L',
      ls: coded(legalStatusCodes, status),
      cin: coded(primaryNeedCodes, period.categoryOfNeed),
      place: placeCodeOf(placement),
      // A temporary placement has no provider in the return.
      placeProvider: isTemporary(placement)
        ? undefined
        : coded(placementProviderCodes, placement?.providedBy),
      homePost: period.homePostcode,
      plPost: placement?.postcode,
      urn: placement ? (placement.urn ?? 'XXXXXXX') : undefined,
      placement,
    });
  }
  const last = rows.at(-1);
  if (last && end !== undefined) {
    last.dec = end;
    last.rec = period.reasonCeased;
  }
  return rows;
}
