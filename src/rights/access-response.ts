import { Temporal } from 'temporal-polyfill';
import { withdrawForRightsRequest } from '../people/consent/service.js';
import type { StaffContext } from '../platform/auth/service.js';
import { recordAudit } from '../platform/audit/audit-log.js';
import { ConflictError, NotFoundError } from '../platform/errors/errors.js';
import { disclosuresAboutPerson } from '../sharing/disclosure-log.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { assembleBundle, bundleJson, bundlePdf, type DocumentOriginal } from './bundle.js';
import { formatDate } from './clock.js';
import { openStates } from './machine.js';
import { annotationsForBundle } from './rectification.js';
import { authoriseReviewWork } from './gathering.js';
import {
  loadRequest,
  recordRequestEvent,
  RIGHTS_PURPOSE,
  rightsOrganisation,
  rightsPolicy,
  type RightsContext,
} from './request-store.js';
import { toSpan, type RightsReview } from './review.js';
import { supplementaryInformation } from './supplementary.js';
import type { RequestState } from './tables.js';

/**
 * An access request from the confirmed subject to the approved bundle's
 * download: the person a human confirmed from discovery, and the bundle
 * (bundle.ts) with the Art 15 supplementary information from policy.
 */

/**
 * Records the person discovery found and a human confirmed. (Discovery
 * itself is built by the lead; this is the hook it calls.)
 */
export async function confirmSubject(
  { db, today }: RightsContext,
  staff: StaffContext,
  id: string,
  personId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const organisation = await authoriseReviewWork(trx, staff, id, 'work');
    const row = await loadRequest(trx, organisation.id, id);
    if (!openStates.includes(row.state) || row.state === 'review' || row.state === 'approved') {
      throw new ConflictError(
        'The subject can be confirmed only while the request is being worked on',
      );
    }
    // Each body is its own controller: only a person it holds (not merged away).
    const person = /^[0-9a-f-]{36}$/i.test(personId)
      ? await trx
          .selectFrom('person')
          .select('id')
          .where('id', '=', personId)
          .where('organisation_id', '=', organisation.id)
          .where('merged_into_id', 'is', null)
          .executeTakeFirst()
      : undefined;
    if (!person) throw new NotFoundError('Person not found');
    await trx
      .updateTable('rights_request')
      .set({ subject_person_id: personId, version: row.version + 1 })
      .where('id', '=', id)
      .execute();
    await recordRequestEvent(trx, staff, id, { kind: 'subject-confirmed' });
    // Withdrawing consent, or objecting to direct marketing (Art 7(3), Art
    // 21(3)): the person's consents stop the moment they are known to be
    // this person's, with no decision to wait for (people/consent).
    if (row.type === 'consent-withdrawal' || row.type === 'objection-direct-marketing') {
      const withdrawn = await withdrawForRightsRequest(trx, {
        organisationId: organisation.id,
        personId,
        requestId: id,
        accountId: staff.accountId,
        on: today(),
        directMarketingOnly: row.type === 'objection-direct-marketing',
      });
      if (withdrawn > 0) {
        await recordRequestEvent(trx, staff, id, {
          kind: 'consent-withdrawn',
          note:
            withdrawn === 1
              ? 'Their consent was withdrawn at once'
              : `${withdrawn} consents were withdrawn at once`,
        });
      }
    }
    await recordAudit(trx, {
      action: 'rights.subject.confirm',
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'person',
      objectIds: [personId, id],
      purpose: RIGHTS_PURPOSE,
    });
  });
}

/**
 * The response bundle, once a second person has approved it: the PDF
 * (redactions burnt in) or the same data as JSON, with the Art 15
 * supplementary information generated from policy. Every download is
 * audited.
 */
export async function downloadBundle(
  { db, today }: RightsContext,
  review: Pick<RightsReview, 'bundleItems'>,
  staff: StaffContext,
  id: string,
  format: 'pdf' | 'json',
): Promise<{ filename: string; body: Buffer | object }> {
  const organisation = rightsOrganisation(staff, 'rights.manage');
  const policy = rightsPolicy(staff);
  const data = await db.transaction().execute(async (trx) => {
    const row = await loadRequest(trx, organisation.id, id);
    if (row.type !== 'access') throw new ConflictError('Only an access request has a bundle');
    const released: RequestState[] = [
      'approved',
      'responded-in-full',
      'responded-in-part',
      'closed',
    ];
    if (!released.includes(row.state) || !row.approved_by) {
      throw new ConflictError('The bundle can be downloaded once a second person has approved it');
    }
    const { items, redactions, ncnd } = await review.bundleItems(trx, id);
    if (items.length === 0) throw new ConflictError('No review was prepared for this request');
    const annotationsOf = await annotationsForBundle(trx, items);
    const originals = await documentOriginals(
      trx,
      items.filter((i) => i.kind === 'document' && i.decision === 'disclose'),
    );
    const person = row.subject_person_id
      ? await trx
          .selectFrom('person')
          .select(['given_name', 'family_name'])
          .where('id', '=', row.subject_person_id)
          .executeTakeFirst()
      : undefined;
    await recordAudit(trx, {
      action: `rights.bundle.download-${format}`,
      actorAccountId: staff.accountId,
      organisationId: organisation.id,
      objectType: 'rights-request',
      objectIds: [id],
      purpose: RIGHTS_PURPOSE,
    });
    return assembleBundle(
      {
        requestId: id,
        controller: policy.name,
        subjectName: person
          ? `${person.given_name} ${person.family_name}`
          : `${row.subject_given_name} ${row.subject_family_name}`,
        receivedOn: formatDate(Temporal.PlainDate.from(row.received_on)),
        generatedOn: formatDate(Temporal.PlainDate.from(today())),
        supplementary: supplementaryInformation(
          policy,
          row.categories,
          row.subject_person_id
            ? await disclosuresAboutPerson(trx, organisation.id, row.subject_person_id)
            : [],
        ),
      },
      items.map((item) => ({
        ...item,
        original: originals.get(item.source_id) ?? null,
        spans: redactions.filter((r) => r.item_id === item.id).map(toSpan),
        annotations: annotationsOf(item),
      })),
      ncnd,
    );
  });
  const filename = `subject-access-${id}.${format}`;
  return format === 'pdf'
    ? { filename, body: await bundlePdf(data) }
    : { filename, body: bundleJson(data) };
}

const originalTypes = ['application/pdf', 'image/png', 'image/jpeg'] as const;

/**
 * Documents disclosed in full, as they are held, by source id: images and
 * PDFs go into the bundle themselves (issue 12 item 2). Word and text files
 * go as their text, which is all they hold that the person can read.
 */
async function documentOriginals(
  trx: Transaction<Database>,
  items: readonly { source_id: string; record_id: string | null }[],
): Promise<Map<string, DocumentOriginal>> {
  if (items.length === 0) return new Map();
  const rows = await trx
    .selectFrom('record_document')
    .select(['id', 'record_id', 'filename', 'media_type', 'content'])
    .where(
      'id',
      'in',
      items.map((i) => i.source_id),
    )
    .execute();
  const out = new Map<string, DocumentOriginal>();
  for (const row of rows) {
    const mediaType = originalTypes.find((t) => t === row.media_type);
    if (!mediaType || !items.some((i) => i.source_id === row.id && i.record_id === row.record_id))
      continue;
    out.set(row.id, { filename: row.filename, mediaType, content: Buffer.from(row.content) });
  }
  return out;
}
