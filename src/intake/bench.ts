import { base, en, en_GB, Faker } from '@faker-js/faker';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { Benchmark } from '../bench/run.js';
import type { Database } from '../db/schema.js';
import type { JobTimings } from './run-job.js';
import { IntakeService, type Actor, type JobSummary } from './service.js';

/**
 * Issue 15 asks 50,000 rows of a partner's file in under a minute on
 * PostgreSQL. This imports that many synthetic Police missing-from-home
 * rows into Kent SCS through the real IntakeService (upload, mapping, every
 * row checked, matched to the people held and written), and reports rows
 * per minute. The people the bench filler put in the database are the ones
 * matched against, so some rows are about them; others repeat a child
 * earlier in the file (reported missing again), the rest are new children.
 */
const DEFAULT_ROWS = 50_000;

interface Held {
  given_name: string;
  family_name: string;
  date_of_birth: string | null;
}

/** The file, as a CSV with a Police force's own headings (mapped by name, as a real one would be). */
export function missingFromHomeCsv(rows: number, seed: number, held: readonly Held[]): Buffer {
  const faker = new Faker({ locale: [en_GB, en, base] });
  faker.seed(seed);
  const children: string[][] = [];
  const lines: string[][] = [
    [
      'Occurrence number',
      'Forename',
      'Surname',
      'DOB',
      'Gender',
      'Home address',
      'Post Code',
      'Missing date',
      'Found date',
      'Circumstances',
    ],
  ];
  const ddmmyyyy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
  for (let i = 0; i < rows; i += 1) {
    const roll = faker.number.float();
    let child: string[];
    const known = held.length > 0 ? held[faker.number.int(held.length - 1)] : undefined;
    if (roll < 0.1 && known?.date_of_birth) {
      // A child the council already knows.
      child = [
        known.given_name,
        known.family_name,
        ddmmyyyy(known.date_of_birth),
        faker.helpers.arrayElement(['F', 'M', '']),
        faker.location.streetAddress(),
        postcode(faker),
      ];
    } else if (roll < 0.25 && children.length > 0) {
      // Reported missing before, earlier in this file.
      child = faker.helpers.arrayElement(children);
    } else {
      const sex = faker.helpers.arrayElement(['female', 'male'] as const);
      const born = faker.date.between({ from: '2008-01-01', to: '2022-12-31' });
      child = [
        faker.person.firstName(sex),
        faker.person.lastName(),
        ddmmyyyy(born.toISOString().slice(0, 10)),
        sex === 'female' ? 'F' : 'M',
        faker.location.streetAddress(),
        postcode(faker),
      ];
      children.push(child);
    }
    const missing = faker.date.between({ from: '2026-01-01', to: '2026-11-30' });
    const back = faker.number.float() < 0.8 ? new Date(missing.getTime() + 86_400_000) : null;
    lines.push([
      `KP-${seed}-${String(i + 1).padStart(7, '0')}`,
      ...child,
      ddmmyyyy(missing.toISOString().slice(0, 10)),
      back ? ddmmyyyy(back.toISOString().slice(0, 10)) : '',
      faker.helpers.arrayElement([
        'Did not return from school',
        'Left placement overnight',
        'Seen with older males in town centre',
        '',
      ]),
    ]);
  }
  return Buffer.from(stringify(lines));
}

/** A Kent postcode's shape (the inward part uses only the letters Royal Mail allows). */
function postcode(faker: Faker): string {
  const area = faker.helpers.arrayElement(['CT', 'ME', 'TN', 'DA', 'BR']);
  const inward = faker.string.fromCharacters('ABDEFGHJLNPQRSTUWXYZ', 2);
  return `${area}${faker.number.int({ min: 1, max: 20 })} ${faker.number.int(9)}${inward}`;
}

export async function importRows(
  db: Kysely<Database>,
  rows: number,
  log: (line: string) => void,
): Promise<{
  seconds: number;
  upload: number;
  mapping: number;
  matching: number;
  parts: JobTimings;
  job: JobSummary;
}> {
  const kent = await db
    .selectFrom('organisation')
    .select('id')
    .where('slug', '=', 'kent-scs')
    .executeTakeFirstOrThrow();
  const held = await db
    .selectFrom('person')
    .select(['given_name', 'family_name', 'date_of_birth'])
    .where('organisation_id', '=', kent.id)
    .orderBy('id')
    .limit(2_000)
    .execute();
  const content = missingFromHomeCsv(rows, rows, held);
  const actor: Actor = { accountId: null, organisationId: kent.id, organisationSlug: 'kent-scs' };
  const intake = new IntakeService(db);
  const started = performance.now();
  const jobId = await intake.upload(actor, {
    kind: 'police-missing',
    partner: 'Kent Police',
    fileName: `bench-${rows}.csv`,
    content,
  });
  const uploaded = performance.now();
  const { mapping } = await intake.proposedMapping(actor, jobId);
  await intake.applyMapping(actor, jobId, mapping);
  const mapped = performance.now();
  let reported = 0;
  const parts: JobTimings = { learning: 0, reading: 0, matching: 0, writing: 0 };
  await intake.run(
    actor,
    jobId,
    (done, total) => {
      if (done > reported && (done - reported >= 10_000 || done === total)) {
        reported = done;
        log(`  ${done.toLocaleString('en-GB')} of ${total.toLocaleString('en-GB')} rows matched`);
      }
    },
    parts,
  );
  const finished = performance.now();
  const { job } = await intake.job(actor, jobId);
  const c = job.counts;
  log(
    `  outcome: ${c.linked} attached, ${c.created} new people, ${c.review} for review, ` +
      `${c.invalid} held for correction, ${job.rowsRepeated} repeated`,
  );
  return {
    seconds: (finished - started) / 1000,
    upload: (uploaded - started) / 1000,
    mapping: (mapped - uploaded) / 1000,
    matching: (finished - mapped) / 1000,
    parts,
    job,
  };
}

export const intakeBenchmarks: Benchmark[] = [
  {
    name: 'import.police-missing',
    description: `importing a file of Police missing-from-home rows (default ${DEFAULT_ROWS.toLocaleString('en-GB')}; rows per minute)`,
    async run(db, options) {
      const rows = options.rows ?? DEFAULT_ROWS;
      const t = await importRows(db, rows, options.log);
      const perMinute = Math.round((rows / t.seconds) * 60);
      options.log(
        `  ${rows.toLocaleString('en-GB')} rows in ${t.seconds.toFixed(1)} s: ` +
          `${perMinute.toLocaleString('en-GB')} rows per minute ` +
          `(upload ${t.upload.toFixed(1)} s, checking ${t.mapping.toFixed(1)} s, ` +
          `matching and writing ${t.matching.toFixed(1)} s)`,
      );
      const p = t.parts;
      options.log(
        `  matching and writing: learning the models ${p.learning.toFixed(1)} s, ` +
          `reading rows ${p.reading.toFixed(1)} s, matching ${p.matching.toFixed(1)} s, ` +
          `writing ${p.writing.toFixed(1)} s`,
      );
      return [
        {
          name: `import.police-missing ${rows} rows`,
          samples: 1,
          medianMs: Math.round(t.seconds * 1000),
          p95Ms: Math.round(t.seconds * 1000),
          maxMs: Math.round(t.seconds * 1000),
          perSecond: rows / t.seconds,
        },
      ];
    },
  },
];
