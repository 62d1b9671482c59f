import { stringify } from 'csv-stringify/sync';
import type { Ssda903Child } from './child.js';

/**
 * The SSDA903 return's CSV files, one per table, with the DfE's column names
 * as the author knows them for 2025 to 2026 (docs/returns.md: not checked
 * against the published guide) and dates as dd/mm/yyyy. Identifiers and
 * codes only: no name, address or free text leaves in them.
 */

export const ssda903Tables = [
  'Header',
  'Episodes',
  'Reviews',
  'UASC',
  'OC2',
  'OC3',
  'AD1',
  'PlacedAdoption',
  'PrevPerm',
  'Missing',
  'SWEpisodes',
] as const;
export type Ssda903Table = (typeof ssda903Tables)[number];

export const ssda903Columns: Readonly<Record<Ssda903Table, readonly string[]>> = {
  Header: ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'],
  Episodes: [
    'CHILD',
    'DECOM',
    'RNE',
    'LS',
    'CIN',
    'PLACE',
    'PLACE_PROVIDER',
    'DEC',
    'REC',
    'REASON_PLACE_CHANGE',
    'HOME_POST',
    'PL_POST',
    'URN',
  ],
  Reviews: ['CHILD', 'DOB', 'REVIEW', 'REVIEW_CODE'],
  UASC: ['CHILD', 'SEX', 'DOB', 'DUC'],
  OC2: [
    'CHILD',
    'DOB',
    'SDQ_SCORE',
    'SDQ_REASON',
    'CONVICTED',
    'HEALTH_CHECK',
    'IMMUNISATIONS',
    'TEETH_CHECK',
    'HEALTH_ASSESSMENT',
    'SUBSTANCE_MISUSE',
    'INTERVENTION_RECEIVED',
    'INTERVENTION_OFFERED',
  ],
  OC3: ['CHILD', 'DOB', 'IN_TOUCH', 'ACTIV', 'ACCOM'],
  AD1: [
    'CHILD',
    'DOB',
    'DATE_INT',
    'DATE_MATCH',
    'FOSTER_CARE',
    'NB_ADOPTR',
    'SEX_ADOPTR',
    'LS_ADOPTR',
  ],
  PlacedAdoption: ['CHILD', 'DOB', 'DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'],
  PrevPerm: ['CHILD', 'DOB', 'PREV_PERM', 'LA_PERM', 'DATE_PERM'],
  Missing: ['CHILD', 'DOB', 'MISSING', 'MIS_START', 'MIS_END'],
  SWEpisodes: ['CHILD', 'SW_ID', 'SW_DECOM', 'SW_DEC', 'SW_REASON'],
};

/** 2026-03-31 → 31/03/2026, the DfE's date format; blank stays blank. */
export function dfeDate(iso: string | undefined): string {
  if (!iso) return '';
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

type Cell = string | number | undefined;

function rowsOf(table: Ssda903Table, c: Ssda903Child): Cell[][] {
  const dob = dfeDate(c.dob);
  switch (table) {
    case 'Header':
      return [[c.childId, c.sex, dob, c.ethnic, c.upn, c.mother, dfeDate(c.motherChildDob)]];
    case 'Episodes':
      return c.episodes.map((e) => [
        c.childId,
        dfeDate(e.decom),
        e.rne,
        e.ls,
        e.cin,
        e.place,
        e.placeProvider,
        dfeDate(e.dec),
        e.rec,
        e.reasonPlaceChange,
        e.homePost?.toUpperCase(),
        e.plPost?.toUpperCase(),
        e.urn,
      ]);
    case 'Reviews':
      return c.reviews.map((r) => [c.childId, dob, dfeDate(r.date), r.code]);
    case 'UASC':
      return c.uasc ? [[c.childId, c.sex, dob, dfeDate(c.uasc.duc)]] : [];
    case 'OC2':
      return c.oc2
        ? [
            [
              c.childId,
              dob,
              c.oc2.sdqScore,
              c.oc2.sdqScore === undefined ? c.oc2.sdqReason : undefined,
              c.oc2.convicted,
              c.oc2.healthCheck,
              c.oc2.immunisations,
              c.oc2.teethCheck,
              c.oc2.healthAssessment,
              c.oc2.substanceMisuse,
              c.oc2.interventionReceived,
              c.oc2.interventionOffered,
            ],
          ]
        : [];
    case 'OC3':
      return c.oc3 ? [[c.childId, dob, c.oc3.inTouch, c.oc3.activity, c.oc3.accommodation]] : [];
    case 'AD1':
      return c.ad1
        ? [
            [
              c.childId,
              dob,
              dfeDate(c.ad1.dateInt),
              dfeDate(c.ad1.dateMatch),
              c.ad1.fosterCare,
              c.ad1.numberOfAdopters,
              c.ad1.sexAdopters,
              c.ad1.lsAdopters,
            ],
          ]
        : [];
    case 'PlacedAdoption':
      return c.placedAdoption.map((p) => [
        c.childId,
        dob,
        dfeDate(p.datePlaced),
        dfeDate(p.dateCeased),
        p.reasonCeased,
      ]);
    case 'PrevPerm':
      return c.prevPerm.map((p) => [c.childId, dob, p.prevPerm, p.laPerm, dfeDate(p.datePerm)]);
    case 'Missing':
      return c.missing.map((m) => [c.childId, dob, m.missing, dfeDate(m.start), dfeDate(m.end)]);
    case 'SWEpisodes':
      return c.swEpisodes.map((w) => [
        c.childId,
        w.swId,
        dfeDate(w.start),
        dfeDate(w.end),
        w.reason,
      ]);
  }
}

/** The return's files: `{ name: "Header.csv", csv }` per table, rows in child order. */
export function ssda903Files(children: readonly Ssda903Child[]): { name: string; csv: string }[] {
  return ssda903Tables.map((table) => ({
    name: `${table}.csv`,
    csv: stringify(
      children.flatMap((c) => rowsOf(table, c)).map((row) => row.map((cell) => cell ?? '')),
      { header: true, columns: [...ssda903Columns[table]], record_delimiter: 'windows' },
    ),
  }));
}

/**
 * The files as one zip, as the page downloads them and the return keeps
 * them: the DfE's upload takes the eleven CSVs together. Fixed dates on
 * the entries, so the same files always make the same bytes.
 */
export async function ssda903Zip(files: readonly { name: string; csv: string }[]): Promise<Buffer> {
  const { default: JSZip } = await import('jszip');
  const zip = new JSZip();
  const date = new Date('2000-01-01T00:00:00Z');
  for (const file of files) zip.file(file.name, file.csv, { date });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** How many rows each table has, for the report and the page. */
export function tableCounts(children: readonly Ssda903Child[]): Record<Ssda903Table, number> {
  return Object.fromEntries(
    ssda903Tables.map((t) => [t, children.reduce((n, c) => n + rowsOf(t, c).length, 0)]),
  ) as Record<Ssda903Table, number>;
}
