import { faker } from '@faker-js/faker/locale/en';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../../test/support/database.js';
import type { DatabaseHandle } from '../db/connection.js';
import { policyFor, type OrganisationSlug } from '../policy/index.js';
import { createBulkDemoPeople } from './demo.js';

let handle: DatabaseHandle;

beforeAll(async () => {
  handle = await testDatabase();
});
afterAll(async () => {
  await handle?.close();
});

describe('bulk demo people (safekeep demo --people N)', () => {
  it('assesses the retention of every record it creates, as any other path does', async () => {
    faker.seed(16);
    expect(await createBulkDemoPeople(handle.db, faker, { count: 90 })).toBe(90);
    const records = await handle.db
      .selectFrom('case_record')
      .select(['retention_status', 'retention_assessed_at', 'retention_explanation'])
      .execute();
    expect(records.length).toBeGreaterThan(20);
    for (const record of records) {
      expect(record.retention_assessed_at).not.toBeNull();
      expect(record.retention_status).not.toBeNull();
      expect(record.retention_explanation).toBeTruthy();
    }
    // With a closure date and a date of birth, most get a date, not a review.
    const dated = records.filter((r) => r.retention_status !== 'needs-review');
    expect(dated.length).toBeGreaterThan(0);
  });

  it('holds only the sensitive data each organisation’s notice covers', async () => {
    faker.seed(13);
    await createBulkDemoPeople(handle.db, faker, { count: 600 });
    const held = await handle.db
      .selectFrom('person as p')
      .innerJoin('organisation as o', 'o.id', 'p.organisation_id')
      .leftJoin('person_special_category as s', 's.person_id', 'p.id')
      .leftJoin('person_offence_data as d', 'd.person_id', 'p.id')
      .select(['o.slug', 's.characteristic', 'd.kind'])
      .where((eb) => eb.or([eb('s.id', 'is not', null), eb('d.id', 'is not', null)]))
      .execute();
    expect(held.length).toBeGreaterThan(0);
    for (const row of held) {
      const allowed = policyFor(row.slug as OrganisationSlug).personSensitiveData;
      if (row.characteristic) expect(allowed.specialCategory).toContain(row.characteristic);
      if (row.kind) expect(allowed.offenceData).toContain(row.kind);
    }
  });
});
