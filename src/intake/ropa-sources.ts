import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { formatDate } from '../platform/http/views.js';
import { intakeKinds, isIntakeKind } from './kinds.js';

/**
 * Each partner's files as a source in the record of processing (UK GDPR
 * Art 30; issue 15): by kind and partner, how many files and rows, and when
 * the last came. Counts and organisations' names only, never a row's
 * values. A job still waiting for its columns to be mapped has put nothing
 * on anyone's record yet, so it is not counted.
 */
export interface ImportSource {
  /** The category of record (processing activity) the kind feeds. */
  category: string;
  kindName: string;
  partner: string;
  files: number;
  /** Rows received, less those imported before (which changed nothing). */
  rows: number;
  lastImportedAt: Date;
}

export async function importSources(
  db: Kysely<Database>,
  organisationId: string,
): Promise<ImportSource[]> {
  const groups = await db
    .selectFrom('intake_job')
    .select((eb) => [
      'kind',
      'partner',
      eb.fn.countAll<string>().as('files'),
      eb.fn.sum<string>(eb('rows_total', '-', eb.ref('rows_repeated'))).as('rows'),
      eb.fn.max('created_at').as('last'),
    ])
    .where('organisation_id', '=', organisationId)
    .where('status', '!=', 'mapping')
    .groupBy(['kind', 'partner'])
    .orderBy('kind')
    .orderBy('partner')
    .execute();
  return groups.flatMap((g) => {
    if (!isIntakeKind(g.kind)) return [];
    const kind = intakeKinds[g.kind];
    return [
      {
        category: kind.category,
        kindName: kind.name,
        partner: g.partner,
        files: Number(g.files),
        rows: Number(g.rows),
        lastImportedAt: new Date(g.last),
      },
    ];
  });
}

/** "Police missing-from-home notifications from Kent Police: 2 files, 50,000 rows, the last on 7 December 2026". */
export function importSourceWords(source: ImportSource): string {
  const count = (n: number, one: string, many: string) =>
    `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
  return (
    `${source.kindName} from ${source.partner}: ${count(source.files, 'file', 'files')}, ` +
    `${count(source.rows, 'row', 'rows')}, the last on ${formatDate(source.lastImportedAt.toISOString().slice(0, 10))}`
  );
}
