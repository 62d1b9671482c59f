import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseworkStaff, type CaseworkStaff } from '../../test/support/casework.js';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import type { Database } from '../db/schema.js';
import { PartnershipService } from '../partnership/service.js';
import { ConflictError, ValidationError } from '../platform/errors/errors.js';
import {
  datasetColumns,
  datasetCsv,
  portabilityJson,
  type PortabilityExport,
} from './portability.js';
import { RightsService, type NewRequest } from './service.js';

const SECRET = 'test-session-secret-for-rights-portability-0000';
const TODAY = '2026-03-10';

let handle: DatabaseHandle;
let db: Kysely<Database>;
let rights: RightsService;
let partnership: PartnershipService;
let kscmpIg: CaseworkStaff;
let kscmpApprover: CaseworkStaff;
let kscmpTeam: CaseworkStaff;
let sscpIg: CaseworkStaff;
let sscpApprover: CaseworkStaff;
let sscpTeam: CaseworkStaff;

beforeAll(async () => {
  handle = await testDatabase();
  db = handle.db;
  rights = new RightsService(db, () => TODAY, { sessionSecret: SECRET });
  partnership = new PartnershipService(db, { sessionSecret: SECRET, today: () => TODAY });
  kscmpIg = await caseworkStaff(db, 'kscmp', ['information-governance']);
  kscmpApprover = await caseworkStaff(db, 'kscmp', ['information-governance']);
  kscmpTeam = await caseworkStaff(db, 'kscmp', ['partnership-business']);
  sscpIg = await caseworkStaff(db, 'sscp', ['information-governance']);
  sscpApprover = await caseworkStaff(db, 'sscp', ['information-governance']);
  sscpTeam = await caseworkStaff(db, 'sscp', ['partnership-business']);
});

afterAll(async () => {
  await handle?.close();
});

function request(over: Partial<NewRequest> = {}): NewRequest {
  return {
    type: 'portability',
    receivedOn: '2026-03-02',
    channel: 'email',
    description: 'Please send me my data to give to my new employer.',
    requesterRole: 'self',
    requesterName: 'Synthetic Requester',
    requesterContact: 'by post only',
    identityCheck: 'known-to-us',
    subject: { givenName: 'Synthetic', familyName: 'Requester' },
    ...over,
  };
}

async function booking(
  staff: CaseworkStaff,
  fullName: string,
  email: string,
  over: { employer?: string; requirements?: string | null; title?: string } = {},
) {
  const courseId = await partnership.createCourse(staff.context, {
    title: over.title ?? 'Safeguarding basics',
    kind: 'course',
    delivery: 'face-to-face',
    startDate: '2026-04-01',
    endDate: '2026-04-01',
  });
  return partnership.book(staff.context, courseId, {
    fullName,
    jobRole: 'Health visitor',
    employer: over.employer ?? 'Synthetic Health Trust',
    sector: 'health',
    email,
    telephone: '01234 567890',
    postalAddress: null,
    budgetReference: null,
    requirements: over.requirements ?? null,
  });
}

async function subscriberId(organisation: 'kscmp' | 'sscp', email: string) {
  const row = await db
    .selectFrom('newsletter_subscriber as s')
    .innerJoin('organisation as o', 'o.id', 's.organisation_id')
    .select('s.id')
    .where('o.slug', '=', organisation)
    .where('s.email', '=', email)
    .executeTakeFirstOrThrow();
  return row.id;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** A portability request, in progress, with discovery run and the decision recorded. */
async function decided(staff: CaseworkStaff, over: Partial<NewRequest>) {
  const id = await rights.create(staff.context, request(over));
  await rights.transition(staff.context, id, { to: 'in-progress' });
  const found = await rights.review.discover(staff.context, id);
  await rights.decide(staff.context, id, { kind: 'portability' });
  return { id, found };
}

async function approve(preparer: CaseworkStaff, approver: CaseworkStaff, id: string) {
  await rights.transition(preparer.context, id, { to: 'review' });
  await rights.transition(approver.context, id, { to: 'approved' });
}

describe('the portability export (Art 20)', () => {
  it('holds exactly the confirmed bookings and subscriptions, and only after a second person approves', async () => {
    const bookingId = await booking(kscmpTeam, 'Ottoline Portable', 'ottoline@synthetic.example', {
      employer: '=HYPERLINK("http://evil.example","click")',
      requirements: 'Vegetarian, no nuts\nand a "quiet" room',
    });
    await partnership.signUp('kscmp', {
      fullName: 'Ottoline Portable',
      employer: 'Synthetic School',
      email: 'ottoline@synthetic.example',
      consent: 'yes',
    });
    const subscriber = await subscriberId('kscmp', 'ottoline@synthetic.example');
    // Someone with a similar name: discovery finds them, nobody confirms them.
    const similar = await booking(kscmpTeam, 'Ottoline Portables', 'other@synthetic.example');
    // Someone else entirely.
    await booking(kscmpTeam, 'Bartholomew Unrelated', 'bart@synthetic.example');

    const { id, found } = await decided(kscmpIg, {
      subject: { givenName: 'Ottoline', familyName: 'Portable' },
    });
    expect(found.partnership.map((p) => p.id).sort()).toEqual(
      [bookingId, similar, subscriber].sort(),
    );

    // Not before the choice is approved: while in progress …
    expect(await rejection(rights.portability.export(kscmpIg.context, id, 'json'))).toBeInstanceOf(
      ConflictError,
    );
    await rights.portability.confirm(kscmpIg.context, id, [
      { source: 'training-booking', id: bookingId },
      { source: 'newsletter-subscriber', id: subscriber },
    ]);
    const view = await rights.portability.view(kscmpIg.context, id);
    expect(view.confirmed.map((c) => [c.source, c.id, c.name])).toEqual(
      expect.arrayContaining([
        ['training-booking', bookingId, 'Ottoline Portable'],
        ['newsletter-subscriber', subscriber, 'Ottoline Portable'],
      ]),
    );
    expect(view.downloadable).toBe(false);
    // … nor in review, before the second person approves.
    await rights.transition(kscmpIg.context, id, { to: 'review' });
    expect(await rejection(rights.portability.export(kscmpIg.context, id, 'csv'))).toBeInstanceOf(
      ConflictError,
    );
    // The choice is frozen for the approver.
    expect(await rejection(rights.portability.confirm(kscmpIg.context, id, []))).toBeInstanceOf(
      ConflictError,
    );
    await rights.transition(kscmpApprover.context, id, { to: 'approved' });

    const data = await rights.portability.export(kscmpIg.context, id, 'json');
    const json = portabilityJson(data);
    expect(json.datasets.map((d) => [d.dataset, d.records.length])).toEqual([
      ['training-bookings', 1],
      ['newsletter-subscriptions', 1],
    ]);
    const [bookings, subscriptions] = json.datasets;
    expect(bookings?.records[0]).toMatchObject({
      fullName: 'Ottoline Portable',
      email: 'ottoline@synthetic.example',
      courseTitle: 'Safeguarding basics',
      courseStartDate: '2026-04-01',
      attendance: 'booked',
    });
    expect(Object.keys(bookings?.records[0] ?? {})).toEqual([
      ...datasetColumns['training-bookings'],
    ]);
    expect(subscriptions?.records[0]).toMatchObject({
      fullName: 'Ottoline Portable',
      employer: 'Synthetic School',
      consentMethod: 'web-form',
    });
    const text = JSON.stringify(json);
    expect(text).not.toContain('other@synthetic.example');
    expect(text).not.toContain('Bartholomew');
    // Derived data (retention) is ours, not something the person provided.
    expect(text).not.toContain('retention');

    // The CSV of the same bookings: one header row, escaped and defused.
    const csv = datasetCsv(data, 'training-bookings');
    const [header, ...rest] = csv.split('\r\n');
    expect(header).toBe(datasetColumns['training-bookings'].join(','));
    expect(csv).toContain('"\'=HYPERLINK(""http://evil.example"",""click"")"');
    expect(csv).toContain('"Vegetarian, no nuts\nand a ""quiet"" room"');
    expect(rest.join('\r\n')).not.toContain('other@synthetic.example');

    // Each download audited: who, which request, the rows' ids — no names.
    const audit = await db
      .selectFrom('audit_event')
      .select(['actor_account_id', 'object_ids'])
      .where('action', '=', 'rights.portability-download-json')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.actor_account_id).toBe(kscmpIg.accountId);
    expect([...(audit[0]?.object_ids ?? [])].sort()).toEqual([id, bookingId, subscriber].sort());
    const { rows } = await sql<{
      row: string;
    }>`select a::text as row from audit_event a where action like 'rights.portability%'`.execute(
      db,
    );
    expect(rows.map((r) => r.row).join('\n')).not.toContain('Ottoline');
    const page = await rights.get(kscmpIg.context, id);
    expect(page.events.find((e) => e.kind === 'portability-download-json')?.note).toBe(
      '1 training bookings, 1 newsletter subscriptions',
    );
  });

  it('refuses entries discovery did not find, and before the decision', async () => {
    const stranger = await booking(kscmpTeam, 'Cassius Stranger', 'cassius@synthetic.example');
    const id = await rights.create(
      kscmpIg.context,
      request({ subject: { givenName: 'Nobody', familyName: 'Found' } }),
    );
    await rights.transition(kscmpIg.context, id, { to: 'in-progress' });
    await rights.review.discover(kscmpIg.context, id);
    expect(
      await rejection(
        rights.portability.confirm(kscmpIg.context, id, [
          { source: 'training-booking', id: stranger },
        ]),
      ),
    ).toBeInstanceOf(ConflictError);
    await rights.decide(kscmpIg.context, id, { kind: 'portability' });
    expect(
      await rejection(
        rights.portability.confirm(kscmpIg.context, id, [
          { source: 'training-booking', id: stranger },
        ]),
      ),
    ).toBeInstanceOf(ValidationError);
    expect(
      await db
        .selectFrom('rights_portable_item')
        .select('id')
        .where('request_id', '=', id)
        .execute(),
    ).toEqual([]);
  });

  it('leaves out public-task data: SSCP training bookings are not portable (Art 20(3))', async () => {
    const sscpBooking = await booking(
      sscpTeam,
      'Delphine Sscpportable',
      'delphine@synthetic.example',
    );
    await partnership.signUp('sscp', {
      fullName: 'Delphine Sscpportable',
      employer: 'Synthetic School',
      email: 'delphine@synthetic.example',
      consent: 'yes',
    });
    const subscriber = await subscriberId('sscp', 'delphine@synthetic.example');
    const { id } = await decided(sscpIg, {
      subject: { givenName: 'Delphine', familyName: 'Sscpportable' },
    });
    const page = await rights.get(sscpIg.context, id);
    expect(page.decisions.find((d) => d.category === 'training')).toMatchObject({
      outcome: 'does-not-apply',
      ground: 'Art 20(3) UK GDPR',
    });
    const view = await rights.portability.view(sscpIg.context, id);
    expect(view.datasets).toEqual(['newsletter-subscriptions']);
    expect(view.found?.map((f) => f.id)).toEqual([subscriber]);
    const refused = await rejection(
      rights.portability.confirm(sscpIg.context, id, [
        { source: 'training-booking', id: sscpBooking },
        { source: 'newsletter-subscriber', id: subscriber },
      ]),
    );
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fieldErrors[0]?.message).toMatch(/does not reach/);
    await rights.portability.confirm(sscpIg.context, id, [
      { source: 'newsletter-subscriber', id: subscriber },
    ]);
    await approve(sscpIg, sscpApprover, id);
    const json = portabilityJson(await rights.portability.export(sscpIg.context, id, 'json'));
    expect(json.datasets.map((d) => d.dataset)).toEqual(['newsletter-subscriptions']);
    expect(JSON.stringify(json)).not.toContain('Health visitor');
  });

  it('is for portability requests of the staff member’s own organisation only', async () => {
    const { id } = await decided(kscmpIg, {
      subject: { givenName: 'Another', familyName: 'Portabler' },
    });
    await expect(rights.portability.view(sscpIg.context, id)).rejects.toThrow('Page not found');
    const access = await rights.create(kscmpIg.context, request({ type: 'access' }));
    expect(await rejection(rights.portability.view(kscmpIg.context, access))).toBeInstanceOf(
      ConflictError,
    );
  });
});

describe('CSV escaping', () => {
  const data = (records: Record<string, string | null>[]): PortabilityExport => ({
    requestId: '00000000-0000-4000-8000-000000000000',
    controller: 'Synthetic controller',
    generatedOn: TODAY,
    datasets: [
      {
        dataset: 'newsletter-subscriptions',
        category: 'newsletter-subscription',
        categoryName: 'Newsletter',
        ground: 'Art 20(1) UK GDPR',
        columns: datasetColumns['newsletter-subscriptions'],
        records,
      },
    ],
  });
  const row = (employer: string | null) => ({
    fullName: 'Synthetic Person',
    employer,
    email: 'person@synthetic.example',
    consentGivenAt: '2026-01-01T09:00:00.000Z',
    consentMethod: 'web-form',
    consentNoticeVersion: '2025-06',
  });
  const employerCell = (employer: string | null) =>
    datasetCsv(data([row(employer)]), 'newsletter-subscriptions')
      .split('\r\n')[1]
      ?.replace(/^Synthetic Person,/, '')
      .replace(/,person@synthetic\.example,.*$/s, '');

  it('quotes commas, quotes and line breaks, and leaves plain text alone', () => {
    expect(employerCell('Plain School')).toBe('Plain School');
    expect(employerCell('Smith, Jones and Co')).toBe('"Smith, Jones and Co"');
    expect(employerCell('The "Best" School')).toBe('"The ""Best"" School"');
    expect(employerCell('Line one\nline two')).toBe('"Line one\nline two"');
    expect(employerCell(null)).toBe('');
  });

  it('prefixes a quote to cells a spreadsheet would run as a formula', () => {
    expect(employerCell('=1+2')).toBe("'=1+2");
    expect(employerCell('+44 1234')).toBe("'+44 1234");
    expect(employerCell('-2+3')).toBe("'-2+3");
    expect(employerCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(employerCell('\tTabbed')).toBe("'\tTabbed");
    expect(employerCell('\rReturn')).toBe('"\'\rReturn"');
    expect(employerCell('=SUM(A1,A2)')).toBe('"\'=SUM(A1,A2)"');
    // Only at the start: a hyphenated name is left as it is.
    expect(employerCell('Smith-Jones Academy')).toBe('Smith-Jones Academy');
  });

  it('writes one header row and CRLF line ends, even with no records', () => {
    expect(datasetCsv(data([]), 'newsletter-subscriptions')).toBe(
      `${datasetColumns['newsletter-subscriptions'].join(',')}\r\n`,
    );
    expect(datasetCsv(data([]), 'training-bookings')).toBe(
      `${datasetColumns['training-bookings'].join(',')}\r\n`,
    );
  });
});
