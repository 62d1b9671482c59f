/**
 * What the SSDA903 return reads off the demo's looked-after and adoption
 * records (src/returns/ssda903; docs/returns.md): periods of care with their
 * legal status changes, DfE placement types and providers, postcodes,
 * missing episodes, social workers, the year's health and offending facts,
 * UASC, care leavers and adoptions. Everything is taken from the record's
 * dates and its subject's date of birth, never drawn from faker, so no other
 * demo value moves. Synthetic throughout: postcodes and registration
 * numbers are made up.
 */
import { Temporal } from 'temporal-polyfill';

const plus = (date: string, days: number) => Temporal.PlainDate.from(date).add({ days }).toString();
const years = (date: string, n: number) =>
  Temporal.PlainDate.from(date).add({ years: n }).toString();
const daysBetween = (from: string, to: string) =>
  Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to)).days;
/** A number from a date, for deterministic choices. */
const seed = (date: string) => Number(date.replace(/-/g, '')) % 9973;
const pick = <T>(values: readonly T[], date: string): T =>
  values[seed(date) % values.length] ?? (values[0] as T);

const postcode = (date: string) => `ME${10 + (seed(date) % 10)} ${1 + (seed(date) % 9)}AB`;

/** The DfE's placement type and provider for each of the demo's placement types. */
const dfePlacement: Record<string, { dfeType: string; providedBy: string; urn?: string }> = {
  'foster-care': { dfeType: 'foster-other', providedBy: 'own-provision' },
  'kinship-care': { dfeType: 'relative-other', providedBy: 'own-provision' },
  residential: { dfeType: 'childrens-home', providedBy: 'private-provision', urn: 'SC100001' },
  'semi-independent': { dfeType: 'semi-independent', providedBy: 'private-provision' },
  'placed-with-parents': { dfeType: 'with-parents', providedBy: 'parent-provider' },
  'placed-for-adoption': { dfeType: 'adoption-consent-new-carer', providedBy: 'own-provision' },
  secure: { dfeType: 'secure-childrens-home', providedBy: 'other-la-provision', urn: 'SC100002' },
  other: { dfeType: 'other-placement', providedBy: 'own-provision' },
};

export interface LookedAfterDemo {
  detail: Record<string, unknown>;
  /** The period of care, when there is one. */
  start?: string;
  end?: string;
  careLeaver: boolean;
  /** Health facts for looked_after_outcome, by whoever is allocated. */
  outcomes: {
    kind: 'sdq' | 'health-assessment' | 'dental-check';
    occurredOn: string;
    sdqScore: number | null;
  }[];
  /** Looked-after reviews of a closed record's period of care: 20 days in, then every six months. */
  reviews: string[];
}

/**
 * The looked-after record's detail for the demo. The period of care starts
 * when the record opened (or at birth, for a record opened before the child
 * was born) and ends when it closed; a child who turned 16 in care leaves it
 * two months later, as a care leaver.
 */
export function lookedAfterDemo(options: {
  legalStatus: string;
  placementType: string;
  opened: string;
  closed: string | null;
  dateOfBirth: string | null;
  today: string;
  /** Someone is allocated to record the health outcomes. */
  allocated: boolean;
  /** An unaccompanied asylum-seeking child (with a known date of birth). */
  uasc: boolean;
  /** The child is to be adopted when the period ends: not a care leaver. */
  toBeAdopted?: boolean;
}): LookedAfterDemo {
  const { legalStatus, placementType, opened, dateOfBirth: dob, today, allocated } = options;
  const start = dob && dob > opened ? dob : opened;
  const limit = options.closed && options.closed < today ? options.closed : today;
  if (options.closed && options.closed <= start) {
    return {
      detail: { legalStatus, episodes: [], placements: [] },
      careLeaver: false,
      outcomes: [],
      reviews: [],
    };
  }
  const leaves = dob ? plus(years(dob, 16), 60) : undefined;
  const careLeaver =
    options.toBeAdopted !== true &&
    dob !== null &&
    leaves !== undefined &&
    leaves < limit &&
    start <= plus(years(dob, 16), -60);
  const end = careLeaver ? leaves : (options.closed ?? undefined);
  const until = end ?? today;

  const legalStatusChanges =
    legalStatus === 'care-order' && plus(start, 90) < until
      ? [
          { status: 'interim-care-order', from: start },
          { status: 'care-order', from: plus(start, 90) },
        ]
      : [];
  const first = dfePlacement[placementType] ?? dfePlacement['other'];
  const moves =
    plus(start, 150) < until &&
    placementType !== 'placed-with-parents' &&
    placementType !== 'placed-for-adoption';
  const placements: Record<string, unknown>[] = [
    {
      type: placementType,
      startedOn: start,
      ...(moves
        ? { endedOn: plus(start, 150), reasonChanged: 'care-plan' }
        : end
          ? { endedOn: end }
          : {}),
      provider: 'Synthetic Fostering Service',
      ...first,
      postcode: postcode(start),
    },
  ];
  if (moves) {
    placements.push({
      type: 'foster-care',
      startedOn: plus(start, 150),
      ...(end ? { endedOn: end } : {}),
      provider: 'Synthetic Fostering Service',
      dfeType: 'foster-long-term',
      providedBy: 'own-provision',
      postcode: postcode(plus(start, 150)),
    });
  }
  const missingOn = plus(start, 40);
  const missingEpisodes =
    missingOn < until && plus(missingOn, 1) <= today
      ? [
          {
            kind: pick(['missing', 'away'], start),
            startedOn: missingOn,
            endedOn: plus(missingOn, 1),
          },
        ]
      : [];

  // OC2: each year ending 31 March that the child was looked after throughout.
  const yearOutcomes: Record<string, unknown>[] = [];
  const outcomes: LookedAfterDemo['outcomes'] = [];
  for (let y = Number(start.slice(0, 4)) + 1; y <= Number(today.slice(0, 4)); y += 1) {
    const yearEnd = `${y}-03-31`;
    if (yearEnd > today || start > `${y - 1}-04-01` || (end !== undefined && end <= yearEnd)) {
      continue;
    }
    if (allocated) {
      outcomes.push(
        { kind: 'health-assessment', occurredOn: `${y}-01-15`, sdqScore: null },
        { kind: 'dental-check', occurredOn: `${y}-01-20`, sdqScore: null },
        { kind: 'sdq', occurredOn: `${y}-02-01`, sdqScore: 8 + (seed(start) % 20) },
      );
    }
    yearOutcomes.push({
      yearEnding: yearEnd,
      convicted: 'no',
      immunisationsUpToDate: 'yes',
      substanceMisuse: 'no',
      ...(allocated ? {} : { sdqReason: 'sdq-other' }),
    });
  }

  const uasc = dob !== null && options.uasc;
  const reviews: string[] = [];
  if (options.closed && allocated) {
    for (let on = plus(start, 20); on < until && on <= today; on = plus(on, 182)) reviews.push(on);
  }
  const detail: Record<string, unknown> = {
    legalStatus,
    legalStatusChanges,
    unaccompaniedAsylumSeeking: uasc ? 'yes' : 'no',
    ...(uasc && dob ? { uascCeasedOn: years(dob, 18) } : {}),
    episodes: [
      {
        startedOn: start,
        ...(end
          ? {
              endedOn: end,
              reasonCeased: careLeaver ? 'moved-to-independent-living' : 'returned-home-planned',
            }
          : {}),
        categoryOfNeed: 'abuse-or-neglect',
        homePostcode: postcode(opened),
        previousPermanence: 'no-previous-permanence',
      },
    ],
    placements,
    missingEpisodes,
    yearOutcomes,
    socialWorkers: [
      {
        registrationNumber: `SW${100000 + seed(start)}`,
        startedOn: start,
        ...(end ? { endedOn: end, reasonChanged: 'case-moved-team' } : {}),
      },
    ],
  };
  if (careLeaver && dob) {
    const contactOn = plus(years(dob, 17), -10);
    detail['careLeaver'] = {
      education: 'further-education',
      employment: 'not-employed',
      accommodation: 'semi-independent',
      inTouch: 'in-touch',
      ...(contactOn <= today ? { contactOn } : {}),
      activity: 'other-education-full-time',
      accommodationSuitable: 'yes',
    };
  }
  return { detail, start, end, careLeaver, outcomes, reviews };
}

/**
 * A looked-after child adopted when their period of care ended: the
 * decision to place, the match and the placement for adoption fall in the
 * period, and the period ends with the adoption (REC E11). Changes the
 * looked-after detail in place; returns the adoption record's AD1 fields.
 */
export function adoptedDemo(
  lookedAfter: Record<string, unknown>,
  start: string,
  end: string,
): Record<string, unknown> {
  const length = daysBetween(start, end);
  const decision = plus(start, Math.floor(length * 0.3));
  const matched = plus(start, Math.floor(length * 0.6));
  const placed = plus(matched, 14);
  const placements = (lookedAfter['placements'] as Record<string, unknown>[]).filter(
    (p) => String(p['startedOn']) < placed,
  );
  const current = placements.at(-1);
  if (current) {
    current['endedOn'] = placed;
    current['reasonChanged'] = 'care-plan';
  }
  placements.push({
    type: 'placed-for-adoption',
    startedOn: placed,
    endedOn: end,
    provider: 'Synthetic Adoption Agency',
    dfeType: 'adoption-consent-new-carer',
    providedBy: 'own-provision',
    postcode: postcode(placed),
  });
  lookedAfter['placements'] = placements;
  const episode = (lookedAfter['episodes'] as Record<string, unknown>[])[0];
  if (episode) episode['reasonCeased'] = 'adopted-unopposed';
  const adopters = pick(
    [
      ['couple-man-and-woman', 'married-couple'],
      ['single-woman', 'single-adopter'],
      ['couple-two-women', 'civil-partners'],
    ] as const,
    end,
  );
  return {
    decisionToPlaceOn: decision,
    matchedOn: matched,
    adoptedByFosterCarer: 'no',
    adoptersSex: adopters[0],
    adoptersLegalStatus: adopters[1],
  };
}
