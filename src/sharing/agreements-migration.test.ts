import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyTestDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import * as platform from '../db/migrations/0001-platform.js';
import * as people from '../db/migrations/0002-people.js';
import * as casework from '../db/migrations/0003-casework.js';
import * as serviceAccounts from '../db/migrations/0004-service-accounts.js';
import * as retention from '../db/migrations/0005-retention.js';
import * as partnership from '../db/migrations/0006-partnership.js';
import * as rights from '../db/migrations/0007-rights.js';
import * as rightsReview from '../db/migrations/0008-rights-review.js';
import * as sharing from '../db/migrations/0009-sharing.js';
import * as personHistory from '../db/migrations/0010-person-history.js';
import * as sharingAgreements from '../db/migrations/0013-sharing-agreements.js';

/**
 * Agreements and disclosures made before agreements were managed data keep
 * working: each agreement gets a lead and a first version, and each
 * disclosure under one relies on that version.
 */
let handle: DatabaseHandle;
let db: Kysely<unknown>;

beforeAll(async () => {
  // PGlite, or a fresh schema on the PostgreSQL in DATABASE_URL when set.
  handle = await emptyTestDatabase();
  db = handle.db as unknown as Kysely<unknown>;
  for (const m of [platform, people, casework, serviceAccounts, retention, partnership]) {
    await m.up(db);
  }
  for (const m of [rights, sharing, rightsReview, personHistory]) await m.up(db);
});
afterAll(async () => {
  await handle?.close();
});

describe('migration 0013-sharing-agreements over existing sharing data', () => {
  it('versions existing agreements and ties existing disclosures to version 1', async () => {
    await sql`
      insert into organisation (slug, name, short_name) values
        ('kent-scs', 'Kent SCS', 'Kent SCS'), ('kent-lado', 'Kent LADO', 'LADO');
      insert into account (email, display_name, password_hash)
        values ('synthetic@example.test', 'Synthetic', 'x');
      insert into sharing_agreement (slug, title, party_organisations, purposes,
          data_categories, lawful_bases, review_date)
        values ('kmisa', 'KMISA', '{kent-scs,kent-lado}', '{safeguarding-child}',
          '{child-in-need}', '{6(1)(e)}', '2027-03-31');
      insert into disclosure (organisation_id, requested_by, requested_at, recipient_id,
          recipient_name, purpose, agreement_id, lawful_basis, consent, status)
        select o.id, a.id, now(), 'schools', 'A school', 'safeguarding-child', s.id,
          '6(1)(e)', 'given', 'approved'
        from organisation o, account a, sharing_agreement s where o.slug = 'kent-scs';
    `.execute(db);
    await sharingAgreements.up(db);

    const { rows } = await sql<{
      slug: string;
      lead: string;
      version: number;
      versions: number;
      relied: number;
    }>`
      select s.slug, o.slug as lead, s.version,
        (select count(*) from sharing_agreement_version v where v.agreement_id = s.id)::int as versions,
        (select d.agreement_version from disclosure d where d.agreement_id = s.id) as relied
      from sharing_agreement s join organisation o on o.id = s.lead_organisation_id
    `.execute(db);
    expect(rows).toEqual([{ slug: 'kmisa', lead: 'kent-scs', version: 1, versions: 1, relied: 1 }]);
  });
});
